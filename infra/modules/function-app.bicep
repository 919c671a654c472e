// The hosting plan and the Function App (Linux, .NET isolated worker, Functions v4), with a system-assigned identity.
// Flex Consumption takes its runtime and scale from functionAppConfig and runs the package from a blob container,
// fetched with the app's identity. Elastic Premium takes them from siteConfig and runs the package from the blob
// URL in WEBSITE_RUN_FROM_PACKAGE (written by app-settings.bicep), since Azure Files, its default content store,
// needs shared keys.
// App settings are not set here: app-settings.bicep writes them once the identity has its roles.

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Function App name (globally unique: it is the host name).')
param functionAppName string

@description('Hosting plan name.')
param planName string

@description('FlexConsumption (FC1) or ElasticPremium (EP1/EP2/EP3).')
@allowed([
  'FlexConsumption'
  'ElasticPremium'
])
param hostingPlan string

@description('Elastic Premium SKU; ignored on Flex Consumption.')
@allowed([
  'EP1'
  'EP2'
  'EP3'
])
param elasticPremiumSku string

@description('.NET version of the isolated worker.')
param dotnetVersion string

@description('Most instances the app scales out to.')
param maximumInstanceCount int

@description('Flex Consumption instance memory in MB; ignored on Elastic Premium.')
param instanceMemoryMB int

@description('Blob endpoint of the storage account, ending in a slash.')
param blobEndpoint string

@description('Container that holds the deployment package.')
param packageContainerName string

var isFlex = hostingPlan == 'FlexConsumption'

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: isFlex ? 'functionapp' : 'elastic'
  sku: isFlex
    ? {
        name: 'FC1'
        tier: 'FlexConsumption'
      }
    : {
        name: elasticPremiumSku
        tier: 'ElasticPremium'
      }
  properties: {
    reserved: true
    maximumElasticWorkerCount: isFlex ? null : maximumInstanceCount
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    siteConfig: isFlex
      ? {
          minTlsVersion: '1.2'
        }
      : {
          linuxFxVersion: 'DOTNET-ISOLATED|${dotnetVersion}'
          functionAppScaleLimit: maximumInstanceCount
          minimumElasticInstanceCount: 1
          use32BitWorkerProcess: false
          ftpsState: 'Disabled'
          minTlsVersion: '1.2'
          http20Enabled: true
        }
    functionAppConfig: isFlex
      ? {
          deployment: {
            storage: {
              type: 'blobContainer'
              value: '${blobEndpoint}${packageContainerName}'
              authentication: {
                type: 'SystemAssignedIdentity'
              }
            }
          }
          scaleAndConcurrency: {
            maximumInstanceCount: maximumInstanceCount
            instanceMemoryMB: instanceMemoryMB
          }
          runtime: {
            name: 'dotnet-isolated'
            version: dotnetVersion
          }
        }
      : null
  }
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
output principalId string = site.identity.principalId
