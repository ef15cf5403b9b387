// PostgreSQL Flexible Server (private access through a delegated subnet; see network.bicep for the
// reasoning) and the application database. Password authentication: the app uses an Npgsql
// connection string that it receives as a Key Vault reference.

@description('Name of the server.')
param name string

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags { *: string }

@description('PostgreSQL major version.')
@allowed([
  '16'
  '17'
])
param version string

@description('Compute SKU, e.g. Standard_B1ms.')
param skuName string

@description('Compute tier matching the SKU.')
@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param skuTier string

@description('Storage size in GiB.')
@minValue(32)
param storageSizeGB int

@description('Days of point-in-time backups.')
@minValue(7)
@maxValue(35)
param backupRetentionDays int

@description('Name of the application database.')
param databaseName string

@description('Administrator login.')
param adminLogin string

@description('Administrator password.')
@secure()
param adminPassword string

@description('Resource id of the subnet delegated to Microsoft.DBforPostgreSQL/flexibleServers.')
param delegatedSubnetId string

@description('Resource id of the private DNS zone linked to the VNet.')
param privateDnsZoneId string

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2025-08-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
    tier: skuTier
  }
  properties: {
    version: version
    administratorLogin: adminLogin
    administratorLoginPassword: adminPassword
    authConfig: {
      activeDirectoryAuth: 'Disabled'
      passwordAuth: 'Enabled'
    }
    storage: {
      storageSizeGB: storageSizeGB
      autoGrow: 'Enabled'
    }
    backup: {
      backupRetentionDays: backupRetentionDays
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: 'Disabled'
    }
    network: {
      delegatedSubnetResourceId: delegatedSubnetId
      privateDnsZoneArmResourceId: privateDnsZoneId
      publicNetworkAccess: 'Disabled'
    }
  }

  resource database 'databases' = {
    name: databaseName
    properties: {
      charset: 'UTF8'
      collation: 'en_US.utf8'
    }
  }
}

@description('Fully qualified domain name of the server (resolves privately inside the VNet).')
output fqdn string = server.properties.fullyQualifiedDomainName
