// The one identity the Function App runs as. User-assigned (not system-assigned) so that role
// assignments, Key Vault references and the deployment container can all name it before the app exists.

@description('Name of the user-assigned managed identity.')
param name string

@description('Azure region.')
param location string

@description('Tags applied to the resource.')
param tags { *: string }

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

@description('Client id, used by AzureWebJobsStorage__clientId, AZURE_CLIENT_ID and the App Insights authentication string.')
output clientId string = identity.properties.clientId
