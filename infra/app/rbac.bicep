// Least privilege for the app's identity, each role scoped to the one resource that needs it: never the
// subscription or the resource group.
param identityPrincipalId string
param hostStorageName string
param dataStorageName string
param applicationInsightsName string
@description('An operator (user object id) who may run restores: Table Data Contributor on the data account and read on backups. Empty: none.')
param operatorPrincipalId string = ''

var roles = {
  blobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  blobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  blobDataReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
  tableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

resource hostStorage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: hostStorageName
}

resource dataStorage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: dataStorageName

  resource blobs 'blobServices' existing = {
    name: 'default'

    resource published 'containers' existing = {
      name: 'published'
    }

    resource state 'containers' existing = {
      name: 'participa-state'
    }

    resource backups 'containers' existing = {
      name: 'backups'
    }
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// The host keeps timer locks and keys in blobs (Owner, as the Functions docs ask) and reads the deployment package.
resource hostBlob 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hostStorage.id, identityPrincipalId, roles.blobDataOwner)
  scope: hostStorage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobDataOwner)
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource dataTables 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(dataStorage.id, identityPrincipalId, roles.tableDataContributor)
  scope: dataStorage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.tableDataContributor)
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Blob roles on the app's three containers only, not the whole account.
resource publishedWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(dataStorage::blobs::published.id, identityPrincipalId, roles.blobDataContributor)
  scope: dataStorage::blobs::published
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobDataContributor)
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource stateWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(dataStorage::blobs::state.id, identityPrincipalId, roles.blobDataContributor)
  scope: dataStorage::blobs::state
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobDataContributor)
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// The app writes new backup blobs; the WORM policy keeps it (and anyone) from changing or deleting them.
resource backupWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(dataStorage::blobs::backups.id, identityPrincipalId, roles.blobDataContributor)
  scope: dataStorage::blobs::backups
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobDataContributor)
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource telemetry 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, identityPrincipalId, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource operatorTables 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(operatorPrincipalId)) {
  name: guid(dataStorage.id, operatorPrincipalId, roles.tableDataContributor)
  scope: dataStorage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.tableDataContributor)
    principalId: operatorPrincipalId
    principalType: 'User'
  }
}

resource operatorBackups 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(operatorPrincipalId)) {
  name: guid(dataStorage::blobs::backups.id, operatorPrincipalId, roles.blobDataReader)
  scope: dataStorage::blobs::backups
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobDataReader)
    principalId: operatorPrincipalId
    principalType: 'User'
  }
}
