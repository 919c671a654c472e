// One Key Vault secret. With a value, the secret is written (a new version if it exists). Without one, the secret
// must already be in the vault: the output reads it, so a missing secret fails the deployment here instead of
// leaving an unresolvable Key Vault reference in the app settings.

@description('Name of the existing Key Vault.')
param keyVaultName string

@description('Name of the secret.')
param secretName string

@description('The secret value. Empty: keep the secret already in the vault.')
@secure()
param value string = ''

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource written 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(value)) {
  parent: vault
  name: secretName
  properties: {
    value: value
    contentType: 'text/plain'
  }
}

// Read back after the deployment's resources are done, whether written above or already there.
resource stored 'Microsoft.KeyVault/vaults/secrets@2023-07-01' existing = {
  parent: vault
  name: secretName
}

@description('Versionless URI of the secret: a Key Vault reference to it follows the latest version.')
output uri string = stored.properties.secretUri

@description('The Key Vault reference an app setting holds.')
output reference string = '@Microsoft.KeyVault(SecretUri=${stored.properties.secretUri})'
