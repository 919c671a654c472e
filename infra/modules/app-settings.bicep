// The Function App's application settings, written as one resource after the identity has its roles, so that the
// identity-based storage connection and the Key Vault references can resolve when the host starts.
// This resource replaces the whole set: a setting not listed here is removed on the next deployment.
// Secrets appear only as Key Vault references (@Microsoft.KeyVault(SecretUri=...)), never as values.

@description('Function App name.')
param functionAppName string

@description('FlexConsumption or ElasticPremium.')
@allowed([
  'FlexConsumption'
  'ElasticPremium'
])
param hostingPlan string

@description('Storage account behind AzureWebJobsStorage.')
param storageAccountName string

@description('Blob endpoint of the storage account, ending in a slash.')
param blobEndpoint string

@description('Queue endpoint of the storage account, ending in a slash.')
param queueEndpoint string

@description('Table endpoint of the storage account, ending in a slash.')
param tableEndpoint string

@description('Application Insights component name.')
param applicationInsightsName string

@description('Elastic Premium only: blob URL of the deployment package, run with the app\'s identity.')
param packageUrl string

@description('Reimport:QueueName.')
param reimportQueueName string

@description('Resync:Schedule (NCRONTAB with seconds).')
param resyncSchedule string

@description('Storage:TablePrefix.')
param storageTablePrefix string

@description('Spectrum:BaseUrl.')
param spectrumBaseUrl string

@description('Spectrum:CompanyCode.')
param spectrumCompanyCode string

@description('Procore:ClientId.')
param procoreClientId string

@description('Procore:CompanyId.')
param procoreCompanyId string

@description('Procore:LoginBaseUrl.')
param procoreLoginBaseUrl string

@description('Procore:ApiBaseUrl.')
param procoreApiBaseUrl string

@description('Reimport:PhaseMask; empty: not written.')
param reimportPhaseMask string

@description('Reimport:CreateMissingCostCodes.')
param reimportCreateMissingCostCodes bool

@description('Reimport:SpectrumBudgetLockedUdf (1-20); 0: not written.')
param reimportSpectrumBudgetLockedUdf int

@description('Reimport:EstimatesPostedUdf (1-20); 0: not written.')
param reimportEstimatesPostedUdf int

@description('Webhooks:ReimportTriggers, resource/event pairs.')
param webhookReimportTriggers array

@description('Webhooks:IgnoreUserIds.')
param webhookIgnoreUserIds array

@description('Webhooks:IgnoreApplicationIds.')
param webhookIgnoreApplicationIds array

@description('SignIn:ClientId; empty: not written (the app signs operators in with Procore:ClientId).')
param signInClientId string

@description('SignIn:RedirectUri registered with the Procore app; empty: https://<default host name>/auth/callback.')
param signInRedirectUri string

@description('''Key Vault references (@Microsoft.KeyVault(SecretUri=...)), never secret values:
spectrumAuthorizationId, procoreClientSecret and webhookSecret (required); webhookPreviousSecret and
signInClientSecret (empty: the setting is not written).''')
param keyVaultReferences object

var isFlex = hostingPlan == 'FlexConsumption'

resource site 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// Identity-based host storage: no connection string, no account key.
var storageSettings = {
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__blobServiceUri: blobEndpoint
  AzureWebJobsStorage__queueServiceUri: queueEndpoint
  AzureWebJobsStorage__tableServiceUri: tableEndpoint
  AzureWebJobsStorage__credential: 'managedidentity'
}

// Flex Consumption refuses these: its runtime comes from functionAppConfig and its package from deployment storage.
var elasticPremiumSettings = isFlex
  ? {}
  : {
      FUNCTIONS_EXTENSION_VERSION: '~4'
      FUNCTIONS_WORKER_RUNTIME: 'dotnet-isolated'
      WEBSITE_RUN_FROM_PACKAGE: packageUrl
    }

var requiredSettings = {
  Reimport__QueueName: reimportQueueName
  Resync__Schedule: resyncSchedule
  Storage__TablePrefix: storageTablePrefix
  Spectrum__BaseUrl: spectrumBaseUrl
  Spectrum__CompanyCode: spectrumCompanyCode
  Procore__ClientId: procoreClientId
  Procore__CompanyId: procoreCompanyId
  Procore__LoginBaseUrl: procoreLoginBaseUrl
  Procore__ApiBaseUrl: procoreApiBaseUrl
  Reimport__CreateMissingCostCodes: reimportCreateMissingCostCodes ? 'true' : 'false'
}

// Every secret is a Key Vault reference, resolved by App Service with the app's identity.
var secretSettings = {
  Spectrum__AuthorizationId: keyVaultReferences.spectrumAuthorizationId
  Procore__ClientSecret: keyVaultReferences.procoreClientSecret
  Webhooks__Secret: keyVaultReferences.webhookSecret
}

// Known only once the resources exist.
var deployedSettings = {
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
  // Behind App Service's front end the request's own scheme may not be https: the callback is named outright.
  SignIn__RedirectUri: empty(signInRedirectUri) ? 'https://${site.properties.defaultHostName}/auth/callback' : signInRedirectUri
}

var optionalSettings = union(
  empty(reimportPhaseMask) ? {} : { Reimport__PhaseMask: reimportPhaseMask },
  reimportSpectrumBudgetLockedUdf > 0 ? { Reimport__SpectrumBudgetLockedUdf: string(reimportSpectrumBudgetLockedUdf) } : {},
  reimportEstimatesPostedUdf > 0 ? { Reimport__EstimatesPostedUdf: string(reimportEstimatesPostedUdf) } : {},
  empty(keyVaultReferences.webhookPreviousSecret) ? {} : { Webhooks__PreviousSecret: keyVaultReferences.webhookPreviousSecret },
  empty(signInClientId) ? {} : { SignIn__ClientId: signInClientId },
  empty(signInClientId) || empty(keyVaultReferences.signInClientSecret) ? {} : { SignIn__ClientSecret: keyVaultReferences.signInClientSecret }
)

// Arrays bind from indexed keys: Webhooks__ReimportTriggers__0, __1, ...
var arraySettings = union(
  toObject(range(0, length(webhookReimportTriggers)), i => 'Webhooks__ReimportTriggers__${i}', i => string(webhookReimportTriggers[i])),
  toObject(range(0, length(webhookIgnoreUserIds)), i => 'Webhooks__IgnoreUserIds__${i}', i => string(webhookIgnoreUserIds[i])),
  toObject(range(0, length(webhookIgnoreApplicationIds)), i => 'Webhooks__IgnoreApplicationIds__${i}', i => string(webhookIgnoreApplicationIds[i]))
)

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: union(storageSettings, elasticPremiumSettings, requiredSettings, secretSettings, deployedSettings, optionalSettings, arraySettings)
}

@description('Names of the settings written.')
output settingNames array = objectKeys(union(storageSettings, elasticPremiumSettings, requiredSettings, secretSettings, deployedSettings, optionalSettings, arraySettings))
