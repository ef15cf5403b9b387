// Virtual network for the Function App's outbound traffic and the private PostgreSQL server.
//
// - snet-app is delegated to Microsoft.App/environments (what Flex Consumption VNet integration
//   requires) and sits behind a NAT gateway with one static Standard public IP. All outbound
//   internet traffic of the app therefore leaves from that single address, which is the address
//   to allow-list with Upbit: Upbit order keys only work from registered IPs.
// - snet-postgres is delegated to Microsoft.DBforPostgreSQL/flexibleServers for private access.
//   Choice: PRIVATE access (delegated subnet + private DNS zone), not a public server with a
//   firewall rule for the NAT IP. The database then has no public endpoint at all, nothing depends
//   on the NAT address staying the same, and app-to-database traffic never leaves the VNet.
//   The cost: an operator cannot reach it from a laptop; the app applies migrations itself at
//   start-up (Database__MigrateOnStartup), so no one has to.

@description('Name of the virtual network.')
param vnetName string

@description('Name of the NAT gateway.')
param natGatewayName string

@description('Name of the NAT gateway public IP.')
param publicIpName string

@description('Name of the PostgreSQL server; its private DNS zone is named after it.')
param postgresServerName string

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags { *: string }

@description('Address space of the virtual network.')
param addressPrefix string

@description('Prefix of the Function App integration subnet (Flex Consumption needs at least a /27).')
param appSubnetPrefix string

@description('Prefix of the PostgreSQL delegated subnet.')
param postgresSubnetPrefix string

var appSubnetName = 'snet-app'
var postgresSubnetName = 'snet-postgres'

resource publicIp 'Microsoft.Network/publicIPAddresses@2026-03-01' = {
  name: publicIpName
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Regional'
  }
  properties: {
    publicIPAddressVersion: 'IPv4'
    publicIPAllocationMethod: 'Static'
    idleTimeoutInMinutes: 4
  }
}

resource natGateway 'Microsoft.Network/natGateways@2026-03-01' = {
  name: natGatewayName
  location: location
  tags: tags
  sku: {
    name: 'Standard'
  }
  properties: {
    idleTimeoutInMinutes: 4
    publicIpAddresses: [
      {
        id: publicIp.id
      }
    ]
  }
}

// Subnets are declared inline: as separate child resources a redeployment of the VNet would try to
// remove them.
resource vnet 'Microsoft.Network/virtualNetworks@2026-03-01' = {
  name: vnetName
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        addressPrefix
      ]
    }
    subnets: [
      {
        name: appSubnetName
        properties: {
          addressPrefix: appSubnetPrefix
          natGateway: {
            id: natGateway.id
          }
          delegations: [
            {
              name: 'flex-consumption'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
          privateEndpointNetworkPolicies: 'Disabled'
          privateLinkServiceNetworkPolicies: 'Enabled'
        }
      }
      {
        name: postgresSubnetName
        properties: {
          addressPrefix: postgresSubnetPrefix
          delegations: [
            {
              name: 'postgres-flexible-server'
              properties: {
                serviceName: 'Microsoft.DBforPostgreSQL/flexibleServers'
              }
            }
          ]
        }
      }
    ]
  }

  resource appSubnet 'subnets' existing = {
    name: appSubnetName
  }

  resource postgresSubnet 'subnets' existing = {
    name: postgresSubnetName
  }
}

// Private access requires a zone ending in .postgres.database.azure.com, linked to the VNet, that
// exists before the server is created; the server registers its own A record in it.
resource postgresDnsZone 'Microsoft.Network/privateDnsZones@2024-06-01' = {
  name: '${postgresServerName}.private.postgres.database.azure.com'
  location: 'global'
  tags: tags
}

resource postgresDnsZoneLink 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = {
  parent: postgresDnsZone
  name: '${vnetName}-link'
  location: 'global'
  tags: tags
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet.id
    }
  }
}

@description('Resource id of the Flex Consumption integration subnet.')
output appSubnetId string = vnet::appSubnet.id

@description('Resource id of the PostgreSQL delegated subnet.')
output postgresSubnetId string = vnet::postgresSubnet.id

@description('Resource id of the PostgreSQL private DNS zone (its VNet link is in place once this module completes).')
output postgresDnsZoneId string = postgresDnsZone.id

@description('The static outbound IPv4 address of the Function App (register it with Upbit).')
output outboundIp string = publicIp.properties.ipAddress
