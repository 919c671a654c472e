// ErpFunctions: Azure resources for the Function App in functions/ErpFunctions.Functions.
// Deploy into an existing resource group:
//   az deployment group create -g <rg> -f infra/main.bicep -p @infra/main.parameters.json -p <secure parameters>
// See infra/README.md for the parameters, the settings written, publishing and secret rotation.

targetScope = 'resourceGroup'

// ---------------------------------------------------------------------------------------------------------------
// Naming and placement
// ---------------------------------------------------------------------------------------------------------------

@description('Azure region for every resource. Flex Consumption is offered in a subset of regions (az functionapp list-flexconsumption-locations).')
param location string = resourceGroup().location

@description('Short name the resource names are built from (lowercase letters, digits, hyphens).')
@minLength(2)
@maxLength(16)
param baseName string = 'erpfunctions'

@description('Function App name; it is also the host name <name>.azurewebsites.net. Empty: func-<baseName>-<token>.')
@maxLength(60)
param functionAppName string = ''

@description('Storage account name. Empty: st<baseName><token>, at most 24 characters.')
@maxLength(24)
param storageAccountName string = ''

@description('Key Vault name. Empty: kv-<baseName>-<token>, at most 24 characters.')
@maxLength(24)
param keyVaultName string = ''

@description('Tags applied to every resource.')
param tags object = {}

// ---------------------------------------------------------------------------------------------------------------
// Hosting
// ---------------------------------------------------------------------------------------------------------------

@description('FlexConsumption (FC1, scale to zero, the default) or ElasticPremium (EP1/EP2/EP3, always one warm instance).')
@allowed([
  'FlexConsumption'
  'ElasticPremium'
])
param hostingPlan string = 'FlexConsumption'

@description('Elastic Premium SKU, used when hostingPlan is ElasticPremium.')
@allowed([
  'EP1'
  'EP2'
  'EP3'
])
param elasticPremiumSku string = 'EP1'

@description('.NET version of the isolated worker: functionAppConfig.runtime.version on Flex Consumption, DOTNET-ISOLATED|<version> on Elastic Premium.')
param dotnetVersion string = '10.0'

@description('Cap scale-out under Procore\'s rate limit: each instance runs up to 6 re-imports at once (host.json batchSize 4 + newBatchThreshold 2), and all of them share the company\'s Procore hourly budget. Flex: scaleAndConcurrency.maximumInstanceCount; Elastic Premium: siteConfig.functionAppScaleLimit and the plan\'s maximum burst.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 4

@description('Flex Consumption instance memory in MB; ignored on Elastic Premium.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Storage account replication.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
  'Standard_RAGRS'
  'Standard_RAGZRS'
])
param storageSku string = 'Standard_LRS'

@description('Blob name of the deployment package in the package container. Elastic Premium runs this blob (WEBSITE_RUN_FROM_PACKAGE); Flex Consumption manages its own blob names in the same container.')
param packageBlobName string = 'ErpFunctions.Functions.zip'

@description('Days the Log Analytics workspace keeps data.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Key Vault purge protection. Once on it cannot be turned off, and a deleted vault keeps its name for the retention period.')
param keyVaultPurgeProtection bool = true

@description('Days a deleted Key Vault or secret can be recovered.')
@minValue(7)
@maxValue(90)
param keyVaultSoftDeleteRetentionInDays int = 90

@description('Optional object id of the person, group or pipeline that manages this deployment. Gets Key Vault Secrets Officer (set secrets for rotation) and Storage Blob Data Contributor on the package container (upload the Elastic Premium package). Empty: no role is granted.')
param operatorPrincipalId string = ''

@description('Type of operatorPrincipalId.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param operatorPrincipalType string = 'User'

// ---------------------------------------------------------------------------------------------------------------
// App settings (non-secret)
// ---------------------------------------------------------------------------------------------------------------

@description('Reimport:QueueName. The queue trigger binds %Reimport:QueueName% and %Reimport:QueueName%-poison; both queues are created.')
@minLength(3)
@maxLength(56)
param reimportQueueName string = 'reimport-requests'

@description('Resync:Schedule, NCRONTAB with seconds, UTC. Bound by the timer trigger as %Resync:Schedule%.')
param resyncSchedule string = '0 0 2 * * *'

@description('Storage:TablePrefix: prefix of the app\'s tables and blob containers (a letter, then letters and digits).')
param storageTablePrefix string = 'erp'

@description('Spectrum:BaseUrl, the Data Exchange endpoint, e.g. https://spectrum.example.com:8482.')
param spectrumBaseUrl string

@description('Spectrum:CompanyCode.')
param spectrumCompanyCode string

@description('Procore:ClientId of the Developer Managed Service Account app (public, not a secret).')
param procoreClientId string

@description('Procore:CompanyId, sent as Procore-Company-Id.')
param procoreCompanyId string

@description('Procore:LoginBaseUrl. Sandbox: https://login-sandbox.procore.com.')
param procoreLoginBaseUrl string = 'https://login.procore.com'

@description('Procore:ApiBaseUrl. Sandbox: https://sandbox.procore.com.')
param procoreApiBaseUrl string = 'https://api.procore.com'

@description('Reimport:PhaseMask, e.g. ##-####. Empty: not written (the app\'s default, no mask).')
param reimportPhaseMask string = ''

@description('Reimport:CreateMissingCostCodes. The app does not start with true and an empty reimportPhaseMask.')
param reimportCreateMissingCostCodes bool = false

@description('Reimport:SpectrumBudgetLockedUdf, the job UDF (1-20) that says the budget is locked. 0: not written (not verified).')
@minValue(0)
@maxValue(20)
param reimportSpectrumBudgetLockedUdf int = 0

@description('Reimport:EstimatesPostedUdf, the job UDF (1-20) that says the estimates are posted. 0: not written (not verified).')
@minValue(0)
@maxValue(20)
param reimportEstimatesPostedUdf int = 0

@description('Webhooks:ReimportTriggers: resource/event pairs that re-import the event\'s project, e.g. [ "Projects/update" ]. Register the same pairs as triggers on the Procore hook.')
param webhookReimportTriggers array = []

@description('Webhooks:IgnoreUserIds: Procore user ids whose changes never trigger a re-import (the DMSA\'s own user).')
param webhookIgnoreUserIds array = []

@description('Webhooks:IgnoreApplicationIds: Procore app ids whose changes never trigger a re-import (this app).')
param webhookIgnoreApplicationIds array = []

@description('SignIn:ClientId of a separate Procore app for operator sign-in. Empty: not written, and operators sign in through the Procore:ClientId app.')
param signInClientId string = ''

@description('SignIn:RedirectUri, the callback registered with the Procore app operators sign in through. Empty: https://<function app host>/auth/callback; set it when a custom domain or a proxy stands in front of the app.')
param signInRedirectUri string = ''

// ---------------------------------------------------------------------------------------------------------------
// Secrets. Each becomes a Key Vault secret; the app settings hold only Key Vault references.
// Give a value to write (or rotate) the secret. Leave it empty to keep the secret already in the vault: the
// deployment then fails if that secret is missing.
// ---------------------------------------------------------------------------------------------------------------

@description('Procore DMSA client secret -> Key Vault secret procore-client-secret -> Procore__ClientSecret.')
@secure()
param procoreClientSecret string = ''

@description('Spectrum Data Exchange Authorization ID -> Key Vault secret spectrum-authorization-id -> Spectrum__AuthorizationId.')
@secure()
param spectrumAuthorizationId string = ''

@description('The exact Authorization header value set on the Procore hook, e.g. "Bearer <random>" -> Key Vault secret webhook-secret -> Webhooks__Secret.')
@secure()
param webhookSecret string = ''

@description('Only while rotating the webhook secret: a second accepted Authorization value (infra/README.md, "Webhook secret") -> Key Vault secret webhook-previous-secret -> Webhooks__PreviousSecret. Empty: Webhooks__PreviousSecret is not written, and only webhookSecret is accepted.')
@secure()
param webhookPreviousSecret string = ''

@description('Client secret of the separate sign-in app (signInClientId) -> Key Vault secret signin-client-secret -> SignIn__ClientSecret. Used only when signInClientId is set.')
@secure()
param signInClientSecret string = ''

// ---------------------------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------------------------

var token = take(uniqueString(subscription().id, resourceGroup().id, baseName), 6)
var compactBase = replace(toLower(baseName), '-', '')
var names = {
  functionApp: !empty(functionAppName) ? functionAppName : 'func-${toLower(baseName)}-${token}'
  plan: 'plan-${toLower(baseName)}-${token}'
  storage: !empty(storageAccountName) ? storageAccountName : take('st${compactBase}${token}', 24)
  keyVault: !empty(keyVaultName) ? keyVaultName : take('kv-${toLower(baseName)}-${token}', 24)
  logAnalytics: 'log-${toLower(baseName)}-${token}'
  appInsights: 'appi-${toLower(baseName)}-${token}'
  packageContainer: 'app-package'
}

var secretNames = {
  procoreClientSecret: 'procore-client-secret'
  spectrumAuthorizationId: 'spectrum-authorization-id'
  webhookSecret: 'webhook-secret'
  webhookPreviousSecret: 'webhook-previous-secret'
  signInClientSecret: 'signin-client-secret'
}

// ---------------------------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------------------------

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    tags: tags
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.appInsights
    retentionInDays: logRetentionInDays
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    tags: tags
    storageAccountName: names.storage
    skuName: storageSku
    packageContainerName: names.packageContainer
    queueNames: [
      reimportQueueName
      '${reimportQueueName}-poison'
    ]
  }
}

module keyVault 'modules/key-vault.bicep' = {
  name: 'key-vault'
  params: {
    location: location
    tags: tags
    keyVaultName: names.keyVault
    enablePurgeProtection: keyVaultPurgeProtection
    softDeleteRetentionInDays: keyVaultSoftDeleteRetentionInDays
  }
}

module procoreClientSecretRef 'modules/key-vault-secret.bicep' = {
  name: 'secret-procore-client-secret'
  params: {
    keyVaultName: keyVault.outputs.name
    secretName: secretNames.procoreClientSecret
    value: procoreClientSecret
  }
}

module spectrumAuthorizationIdRef 'modules/key-vault-secret.bicep' = {
  name: 'secret-spectrum-authorization-id'
  params: {
    keyVaultName: keyVault.outputs.name
    secretName: secretNames.spectrumAuthorizationId
    value: spectrumAuthorizationId
  }
}

module webhookSecretRef 'modules/key-vault-secret.bicep' = {
  name: 'secret-webhook-secret'
  params: {
    keyVaultName: keyVault.outputs.name
    secretName: secretNames.webhookSecret
    value: webhookSecret
  }
}

// Written and referenced only while a previous webhook secret is given. An app setting that points at a secret
// that is not there would hold the literal reference text, which the webhook would then accept as a secret.
module webhookPreviousSecretRef 'modules/key-vault-secret.bicep' = if (!empty(webhookPreviousSecret)) {
  name: 'secret-webhook-previous-secret'
  params: {
    keyVaultName: keyVault.outputs.name
    secretName: secretNames.webhookPreviousSecret
    value: webhookPreviousSecret
  }
}

module signInClientSecretRef 'modules/key-vault-secret.bicep' = if (!empty(signInClientId)) {
  name: 'secret-signin-client-secret'
  params: {
    keyVaultName: keyVault.outputs.name
    secretName: secretNames.signInClientSecret
    value: signInClientSecret
  }
}

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  params: {
    location: location
    tags: tags
    functionAppName: names.functionApp
    planName: names.plan
    hostingPlan: hostingPlan
    elasticPremiumSku: elasticPremiumSku
    dotnetVersion: dotnetVersion
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    blobEndpoint: storage.outputs.blobEndpoint
    packageContainerName: storage.outputs.packageContainerName
  }
}

module roles 'modules/role-assignments.bicep' = {
  name: 'role-assignments'
  params: {
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
    appPrincipalId: functionApp.outputs.principalId
    operatorPrincipalId: operatorPrincipalId
    operatorPrincipalType: operatorPrincipalType
    packageContainerName: storage.outputs.packageContainerName
  }
}

module appSettings 'modules/app-settings.bicep' = {
  name: 'app-settings'
  params: {
    functionAppName: functionApp.outputs.name
    hostingPlan: hostingPlan
    storageAccountName: storage.outputs.name
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    packageUrl: '${storage.outputs.blobEndpoint}${storage.outputs.packageContainerName}/${packageBlobName}'
    reimportQueueName: reimportQueueName
    resyncSchedule: resyncSchedule
    storageTablePrefix: storageTablePrefix
    spectrumBaseUrl: spectrumBaseUrl
    spectrumCompanyCode: spectrumCompanyCode
    procoreClientId: procoreClientId
    procoreCompanyId: procoreCompanyId
    procoreLoginBaseUrl: procoreLoginBaseUrl
    procoreApiBaseUrl: procoreApiBaseUrl
    reimportPhaseMask: reimportPhaseMask
    reimportCreateMissingCostCodes: reimportCreateMissingCostCodes
    reimportSpectrumBudgetLockedUdf: reimportSpectrumBudgetLockedUdf
    reimportEstimatesPostedUdf: reimportEstimatesPostedUdf
    webhookReimportTriggers: webhookReimportTriggers
    webhookIgnoreUserIds: webhookIgnoreUserIds
    webhookIgnoreApplicationIds: webhookIgnoreApplicationIds
    signInClientId: signInClientId
    signInRedirectUri: signInRedirectUri
    keyVaultReferences: {
      spectrumAuthorizationId: spectrumAuthorizationIdRef.outputs.reference
      procoreClientSecret: procoreClientSecretRef.outputs.reference
      webhookSecret: webhookSecretRef.outputs.reference
      webhookPreviousSecret: !empty(webhookPreviousSecret) ? webhookPreviousSecretRef!.outputs.reference : ''
      signInClientSecret: !empty(signInClientId) ? signInClientSecretRef!.outputs.reference : ''
    }
  }
  // The identity must hold its storage and Key Vault roles before the host starts with these settings.
  dependsOn: [
    roles
  ]
}

// ---------------------------------------------------------------------------------------------------------------
// Outputs
// ---------------------------------------------------------------------------------------------------------------

output functionAppName string = functionApp.outputs.name
output defaultHostName string = functionApp.outputs.defaultHostName
output webhookUrl string = 'https://${functionApp.outputs.defaultHostName}/api/webhooks/procore'
output keyVaultName string = keyVault.outputs.name
output storageAccountName string = storage.outputs.name
output packageContainerName string = storage.outputs.packageContainerName
output applicationInsightsName string = monitoring.outputs.applicationInsightsName
output principalId string = functionApp.outputs.principalId
output hostingPlan string = hostingPlan
output appSettingNames array = appSettings.outputs.settingNames
