// The app's storage: the records (tables Processes and Submissions), the published open data, the timers' private
// state and the nightly backups. Only the published container is readable without credentials, blob by blob
// (no listing): open data needs no sign-in, and nothing else is public.
param name string
param location string
param tags object = {}
param workspaceId string
@description('Days a backup blob cannot be changed or deleted (container-level WORM).')
param backupImmutabilityDays int = 90
@description('Days deleted blobs, containers and previous versions are kept.')
param softDeleteDays int = 30
@description('Geo-zone-redundant by default: the records are the citizens\' words.')
param skuName string = 'Standard_GZRS'

var tableNames = [
  'Processes'
  'Submissions'
]

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    // Allowed on the account so that the one container that asks for it (published) can be read anonymously.
    allowBlobPublicAccess: true
    allowSharedKeyAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }

  resource blobs 'blobServices' = {
    name: 'default'
    properties: {
      isVersioningEnabled: true
      deleteRetentionPolicy: {
        enabled: true
        days: softDeleteDays
      }
      containerDeleteRetentionPolicy: {
        enabled: true
        days: softDeleteDays
      }
    }

    resource published 'containers' = {
      name: 'published'
      properties: {
        publicAccess: 'Blob'
      }
    }

    resource state 'containers' = {
      name: 'participa-state'
      properties: {
        publicAccess: 'None'
      }
    }

    resource backups 'containers' = {
      name: 'backups'
      properties: {
        publicAccess: 'None'
      }

      // Unlocked so a mistaken period can still be corrected; docs/deploy.md says how to lock it for good.
      resource worm 'immutabilityPolicies' = {
        name: 'default'
        properties: {
          immutabilityPeriodSinceCreationInDays: backupImmutabilityDays
          allowProtectedAppendWrites: false
        }
      }
    }
  }

  resource tableService 'tableServices' = {
    name: 'default'

    resource records 'tables' = [for table in tableNames: {
      name: table
    }]
  }

  // Published files and the timers' state are rewritten often; their old versions are only a safety net.
  resource lifecycle 'managementPolicies' = {
    name: 'default'
    properties: {
      policy: {
        rules: [
          {
            name: 'expire-old-versions'
            enabled: true
            type: 'Lifecycle'
            definition: {
              filters: {
                blobTypes: [
                  'blockBlob'
                ]
                prefixMatch: [
                  'published/'
                  'participa-state/'
                ]
              }
              actions: {
                version: {
                  delete: {
                    daysAfterCreationGreaterThan: softDeleteDays
                  }
                }
              }
            }
          }
        ]
      }
    }
  }
}

// Deleting the account (or its resource group) needs this lock removed first.
resource lock 'Microsoft.Authorization/locks@2020-05-01' = {
  name: 'keep-citizens-records'
  scope: account
  properties: {
    level: 'CanNotDelete'
    notes: 'Holds the participation records and their backups.'
  }
}

resource blobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: account::blobs
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'Transaction'
        enabled: true
      }
    ]
  }
}

resource tableDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: account::tableService
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'Transaction'
        enabled: true
      }
    ]
  }
}

output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output tableEndpoint string = account.properties.primaryEndpoints.table
output webEndpoint string = account.properties.primaryEndpoints.web
