// The function app on Flex Consumption: the isolated worker (dotnet-isolated 10.0), deployed from a blob container in
// the host's storage, running as the user-assigned identity. Storage and telemetry are reached with that identity;
// no key or connection secret is in the settings.
param name string
param planName string
param location string
param tags object = {}
param identityId string
param identityClientId string
param hostBlobEndpoint string
param deploymentContainerName string
param dataBlobEndpoint string
param dataTableEndpoint string
param applicationInsightsConnectionString string
param workspaceId string
param entraTenantId string
param entraClientId string
param entraAudience string
@secure()
param participantTokenKey string
param publishStatisticsSchedule string
param recomputeStatisticsSchedule string
param backupSchedule string
param maximumInstanceCount int = 40
param instanceMemoryMB int = 2048

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  // azd finds the app to deploy to by this tag (azure.yaml: service "api").
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${hostBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }

  resource settings 'config' = {
    name: 'appsettings'
    properties: {
      // The host's storage, identity-based: blobs only (timer locks, keys); no trigger here needs queues or tables.
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      AzureWebJobsStorage__blobServiceUri: hostBlobEndpoint
      // The app's records and published files (functions/Participa.Storage/StorageAccount.cs).
      ParticipaStorage__tableServiceUri: dataTableEndpoint
      ParticipaStorage__blobServiceUri: dataBlobEndpoint
      ParticipaStorage__clientId: identityClientId
      // Telemetry to Application Insights, authenticated as the identity (local auth is off).
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
      // Staff sign-in (docs/identity.md).
      AzureAd__Instance: environment().authentication.loginEndpoint
      AzureAd__TenantId: entraTenantId
      AzureAd__ClientId: entraClientId
      AzureAd__Audience: entraAudience
      Participa__ParticipantTokenKey: participantTokenKey
      // The Functions front end appends the citizen's address to X-Forwarded-For (docs/participants.md); the app refuses 0 here.
      RateLimits__TrustedProxies: '1'
      // Timers: NCRONTAB with seconds, UTC.
      PublishStatisticsSchedule: publishStatisticsSchedule
      RecomputeStatisticsSchedule: recomputeStatisticsSchedule
      BackupSchedule: backupSchedule
    }
  }

  // Deployments go through Entra ID (azd); no publishing passwords.
  resource ftp 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: {
      allow: false
    }
  }

  resource scm 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: {
      allow: false
    }
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: site
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        category: 'FunctionAppLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
