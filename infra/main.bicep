// Entry point for `azd up` / `azd provision`: one resource group holding the whole production setup
// of BitcoinAutoTrading.Functions (SPEC §10). Local modules only (no registry modules), so CI compiles
// and lints it offline. Deployment guide: infra/README.md.
targetScope = 'subscription'

// ---------------------------------------------------------------------------------------------
// Parameters (azd fills them from infra/main.parameters.json and the azd environment)
// ---------------------------------------------------------------------------------------------

@minLength(1)
@maxLength(40)
@description('azd environment name; prefixes the resource group and seeds every resource name.')
param environmentName string

@minLength(1)
@description('Azure region of every resource.')
param location string

@description('Object id of the principal running azd; gets Key Vault Secrets Officer so it can set the app secrets. Empty to skip.')
param principalId string = ''

@description('Kind of that principal.')
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param principalType string = 'User'

@description('Paper trades against live public prices with a simulated ledger; Live places real orders on Upbit (needs the Upbit keys in Key Vault and the outbound IP allow-listed).')
@allowed([
  'Paper'
  'Live'
])
param tradingMode string = 'Paper'

@description('Reference the gemini-api-key secret (set it in Key Vault first). Off: the deterministic technical signal provider is used.')
param geminiEnabled bool = false

@description('Reference the slack-webhook-url secret (set it in Key Vault first). Off: no Slack notifications.')
param slackEnabled bool = false

@description('Gemini model name.')
param geminiModel string = 'gemini-2.5-flash'

@description('E-mail address for alert notifications; empty for none.')
param alertEmail string = ''

@description('PostgreSQL administrator login.')
param postgresAdminLogin string = 'batadmin'

@description('PostgreSQL administrator password. azd generates it on the first provision and reads it back from Key Vault afterwards; it is never written to a parameters file.')
@secure()
param postgresAdminPassword string

@description('PostgreSQL compute SKU.')
param postgresSkuName string = 'Standard_B1ms'

@description('PostgreSQL compute tier matching the SKU.')
@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param postgresSkuTier string = 'Burstable'

@description('PostgreSQL storage in GiB.')
@minValue(32)
param postgresStorageSizeGB int = 32

@description('Upper bound of Function App instances.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory per Function App instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Npgsql pool size per instance. Flex Consumption scales out per function group, and a Burstable B1ms server accepts about 50 connections, so keep this small.')
@minValue(1)
@maxValue(100)
param databaseMaxPoolSize int = 5

@description('Key Vault purge protection. Recommended for production; note that a deleted vault then keeps its name for 7 days.')
param keyVaultPurgeProtection bool = true

@description('Durable Functions task hub name (letters and digits, starts with a letter).')
param durableTaskHubName string = 'BitcoinAutoTrading'

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

var tags = {
  'azd-env-name': environmentName
  application: 'bitcoin-auto-trading'
}

// Deterministic per subscription + environment + region, so re-provisioning updates in place.
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))

var names = {
  resourceGroup: 'rg-${environmentName}'
  identity: 'id-${resourceToken}'
  logAnalytics: 'log-${resourceToken}'
  applicationInsights: 'appi-${resourceToken}'
  vnet: 'vnet-${resourceToken}'
  natGateway: 'ng-${resourceToken}'
  publicIp: 'pip-ng-${resourceToken}'
  storage: 'st${resourceToken}'
  keyVault: 'kv-${resourceToken}'
  postgres: 'psql-${resourceToken}'
  plan: 'plan-${resourceToken}'
  functionApp: 'func-${resourceToken}'
  actionGroup: 'ag-${resourceToken}'
  alertPrefix: 'alert-${resourceToken}'
  queryPack: 'pack-${resourceToken}'
}

var deploymentContainerName = 'app-package-${take(resourceToken, 8)}'
var postgresDatabaseName = 'bitcoin_auto_trading'

// ---------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: names.resourceGroup
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  scope: rg
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  scope: rg
  params: {
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    location: location
    tags: tags
    retentionInDays: 30
    appIdentityName: names.identity
  }
  dependsOn: [
    identity
  ]
}

module network 'modules/network.bicep' = {
  scope: rg
  params: {
    vnetName: names.vnet
    natGatewayName: names.natGateway
    publicIpName: names.publicIp
    postgresServerName: names.postgres
    location: location
    tags: tags
    addressPrefix: '10.40.0.0/16'
    appSubnetPrefix: '10.40.1.0/24'
    postgresSubnetPrefix: '10.40.2.0/24'
  }
}

module storage 'modules/storage.bicep' = {
  scope: rg
  params: {
    name: names.storage
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    appIdentityName: names.identity
  }
  dependsOn: [
    identity
  ]
}

module postgres 'modules/postgres.bicep' = {
  scope: rg
  params: {
    name: names.postgres
    location: location
    tags: tags
    version: '16'
    skuName: postgresSkuName
    skuTier: postgresSkuTier
    storageSizeGB: postgresStorageSizeGB
    backupRetentionDays: 7
    databaseName: postgresDatabaseName
    adminLogin: postgresAdminLogin
    adminPassword: postgresAdminPassword
    delegatedSubnetId: network.outputs.postgresSubnetId
    privateDnsZoneId: network.outputs.postgresDnsZoneId
  }
}

module keyVault 'modules/keyvault.bicep' = {
  scope: rg
  params: {
    name: names.keyVault
    location: location
    tags: tags
    appIdentityName: names.identity
    principalId: principalId
    principalType: principalType
    enablePurgeProtection: keyVaultPurgeProtection
    postgresHost: postgres.outputs.fqdn
    postgresDatabase: postgresDatabaseName
    postgresAdminLogin: postgresAdminLogin
    postgresAdminPassword: postgresAdminPassword
  }
  dependsOn: [
    identity
  ]
}

// Key Vault references (unversioned, so a rotated secret is picked up on the next refresh or restart).
// The four operator-set secrets are only referenced when they are needed, because an unresolvable
// reference is handed to the app as the literal "@Microsoft.KeyVault(...)" text, which would look
// like a configured key: Upbit keys only in Live mode, Gemini and Slack only when enabled.
var vaultUri = keyVault.outputs.uri
var secretReference = {
  postgres: '@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/postgres-connection-string/)'
  upbitAccessKey: '@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/upbit-access-key/)'
  upbitSecretKey: '@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/upbit-secret-key/)'
  geminiApiKey: '@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/gemini-api-key/)'
  slackWebhookUrl: '@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/slack-webhook-url/)'
}

// Every setting the app reads (see local.settings.sample.json for the local equivalents).
var appSettings = union(
  {
    ConnectionStrings__Postgres: secretReference.postgres
    Database__MinPoolSize: '0'
    Database__MaxPoolSize: string(databaseMaxPoolSize)
    Database__CommandTimeoutSeconds: '30'
    Database__IsolationLevel: 'ReadCommitted'
    Database__MigrateOnStartup: 'true'
    Trading__Mode: tradingMode
    Trading__Market: 'KRW-BTC'
    Paper__InitialKrw: '1000000'
    Upbit__BaseUrl: 'https://api.upbit.com'
    Upbit__QuotationRequestsPerSecond: '10'
    Upbit__ExchangeRequestsPerSecond: '30'
    Upbit__OrderRequestsPerSecond: '8'
    Gemini__Model: geminiModel
    Gemini__BaseUrl: 'https://generativelanguage.googleapis.com'
    Gemini__TimeoutSeconds: '10'
    Orders__PollTimeout: '00:05:00'
    Orders__PollInitialInterval: '00:00:01'
    Orders__PollMaxInterval: '00:00:30'
    MarketData__RetentionDays: '365'
    MarketData__BackfillLimit: '200'
    // Six-field NCRONTAB schedules, UTC (RollDailyStats 15:05 UTC = 00:05 KST).
    MarketDataSchedule: '0 * * * * *'
    SignalSchedule: '0 */30 * * * *'
    EvaluateSignalsSchedule: '0 0 */4 * * *'
    RollDailyStatsSchedule: '0 5 15 * * *'
    SyncOpenOrdersSchedule: '0 */5 * * * *'
    PurgeMarketDataSchedule: '0 30 18 * * *'
    DurableTaskHubName: durableTaskHubName
  },
  tradingMode == 'Live'
    ? {
        Upbit__AccessKey: secretReference.upbitAccessKey
        Upbit__SecretKey: secretReference.upbitSecretKey
      }
    : {},
  geminiEnabled ? { Gemini__ApiKey: secretReference.geminiApiKey } : {},
  slackEnabled ? { Slack__WebhookUrl: secretReference.slackWebhookUrl } : {}
)

module functionApp 'modules/functionapp.bicep' = {
  scope: rg
  params: {
    planName: names.plan
    name: names.functionApp
    location: location
    tags: tags
    appIdentityName: names.identity
    subnetId: network.outputs.appSubnetId
    storageAccountName: names.storage
    deploymentContainerName: deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    appSettings: appSettings
  }
  // The app must not start before its identity can read storage and Key Vault.
  dependsOn: [
    storage
  ]
}

module workbook 'modules/workbook.bicep' = {
  scope: rg
  params: {
    location: location
    tags: tags
    applicationInsightsId: monitoring.outputs.applicationInsightsId
    queryPackName: names.queryPack
    environmentName: environmentName
  }
}

module alerts 'modules/alerts.bicep' = {
  scope: rg
  params: {
    location: location
    tags: tags
    applicationInsightsId: monitoring.outputs.applicationInsightsId
    actionGroupName: names.actionGroup
    rulePrefix: names.alertPrefix
    alertEmail: alertEmail
  }
}

// ---------------------------------------------------------------------------------------------
// Outputs (azd stores them in the environment: `azd env get-values`)
// ---------------------------------------------------------------------------------------------

@description('Register this address with Upbit (API key settings, allowed IPs): order keys only work from allow-listed IPs.')
output UPBIT_ALLOWLIST_IP string = network.outputs.outboundIp

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name

@description('Read by azd on the next provision to reuse postgres-admin-password (secretOrRandomPassword).')
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_ENDPOINT string = keyVault.outputs.uri

output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output SERVICE_API_URI string = 'https://${functionApp.outputs.defaultHostName}'
output POSTGRES_HOST string = postgres.outputs.fqdn
output POSTGRES_DATABASE string = postgresDatabaseName
output TRADING_MODE string = tradingMode
output WORKBOOK_ID string = workbook.outputs.workbookId
