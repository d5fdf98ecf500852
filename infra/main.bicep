// Participa in one resource group: `azd up` deploys this (docs/deploy.md). Small local modules, in the layout of the
// azd Functions quickstarts; no registry modules, so `bicep build` works offline.
targetScope = 'subscription'

@minLength(1)
@maxLength(40)
@description('Name of the environment (azd env): names the resource group and seeds unique resource names.')
param environmentName string

// South Central US (Texas) is the nearest region to Guatemala that offers Flex Consumption; check with
// `az functionapp list-flexconsumption-locations` (Mexico Central, when it does, is nearer).
@minLength(1)
@description('Region of every resource.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string = 'southcentralus'

@description('Entra ID tenant of the staff app registration; empty: the tenant of the deployment.')
param entraTenantId string = ''

@description('Application (client) id of the staff app registration; empty: staff endpoints answer 401 until set.')
param entraClientId string = ''

@description('Application ID URI the staff tokens are issued for, e.g. api://participa; empty: api://{entraClientId}.')
param entraAudience string = ''

// 44 letters and digits are valid base64 for 33 bytes, as Participa:ParticipantTokenKey requires (32+).
@secure()
@description('Key that signs participant tokens; azd generates it once and keeps it in the environment.')
@metadata({
  azd: {
    type: 'generate'
    config: {
      length: 44
      noSpecial: true
    }
  }
})
param participantTokenKey string

@description('Object id of an operator allowed to run restores (optional).')
param operatorPrincipalId string = ''

@description('NCRONTAB with seconds, UTC: every 5 minutes.')
param publishStatisticsSchedule string = '0 */5 * * * *'

@description('NCRONTAB with seconds, UTC: 03:00 in Guatemala.')
param recomputeStatisticsSchedule string = '0 0 9 * * *'

@description('NCRONTAB with seconds, UTC: 02:00 in Guatemala, before the recompute.')
param backupSchedule string = '0 0 8 * * *'

@description('Days each backup blob stays immutable (WORM).')
param backupImmutabilityDays int = 90

var token = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
  app: 'participa'
}
var audience = empty(entraAudience) && !empty(entraClientId) ? 'api://${entraClientId}' : entraAudience
var tenantId = empty(entraTenantId) ? tenant().tenantId : entraTenantId
var functionAppName = 'func-participa-${token}'
var deploymentContainerName = 'app-package-${token}'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'core/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-participa-${token}'
    location: location
    tags: tags
  }
}

module monitoring 'core/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-participa-${token}'
    applicationInsightsName: 'appi-participa-${token}'
    location: location
    tags: tags
  }
}

module hostStorage 'core/host-storage.bicep' = {
  name: 'host-storage'
  scope: rg
  params: {
    name: 'sthost${token}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    workspaceId: monitoring.outputs.workspaceId
  }
}

module dataStorage 'core/data-storage.bicep' = {
  name: 'data-storage'
  scope: rg
  params: {
    name: 'stdata${token}'
    location: location
    tags: tags
    workspaceId: monitoring.outputs.workspaceId
    backupImmutabilityDays: backupImmutabilityDays
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    identityPrincipalId: identity.outputs.principalId
    hostStorageName: hostStorage.outputs.name
    dataStorageName: dataStorage.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    operatorPrincipalId: operatorPrincipalId
  }
}

module functionApp 'app/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  params: {
    name: functionAppName
    planName: 'plan-participa-${token}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    hostBlobEndpoint: hostStorage.outputs.blobEndpoint
    deploymentContainerName: deploymentContainerName
    dataBlobEndpoint: dataStorage.outputs.blobEndpoint
    dataTableEndpoint: dataStorage.outputs.tableEndpoint
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    workspaceId: monitoring.outputs.workspaceId
    entraTenantId: tenantId
    entraClientId: entraClientId
    entraAudience: audience
    participantTokenKey: participantTokenKey
    publishStatisticsSchedule: publishStatisticsSchedule
    recomputeStatisticsSchedule: recomputeStatisticsSchedule
    backupSchedule: backupSchedule
  }
  // The app starts its timers at once: its identity must already hold its roles.
  dependsOn: [
    rbac
  ]
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_NAME string = functionApp.outputs.name
output SERVICE_API_NAME string = functionApp.outputs.name
output SERVICE_API_URI string = 'https://${functionApp.outputs.defaultHostName}'
output DATA_STORAGE_ACCOUNT string = dataStorage.outputs.name
output PUBLISHED_DATA_URL string = '${dataStorage.outputs.blobEndpoint}published/'
