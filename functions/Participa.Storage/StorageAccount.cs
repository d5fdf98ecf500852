using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;

namespace Participa.Storage;

/// <summary>
/// The storage clients, built from one connection setting named as the Functions host names its own:
/// either <c>NAME</c> = a connection string (Azurite, local), or <c>NAME__tableServiceUri</c> and
/// <c>NAME__blobServiceUri</c> (optionally <c>NAME__clientId</c> for a user-assigned identity) with Entra ID auth.
/// </summary>
public sealed class StorageAccount
{
    public TableServiceClient Tables { get; }
    public BlobServiceClient Blobs { get; }

    public StorageAccount(TableServiceClient tables, BlobServiceClient blobs) => (Tables, Blobs) = (tables, blobs);

    public static StorageAccount FromConfiguration(IConfiguration configuration, string connectionName)
    {
        var tableOptions = new TableClientOptions();
        var blobOptions = new BlobClientOptions();
        // An API call should fail over to a clear 503 in seconds, not hang for the SDK's default 100 s.
        foreach (var options in new ClientOptions[] { tableOptions, blobOptions })
        {
            options.Retry.MaxRetries = 2;
            options.Retry.Delay = TimeSpan.FromMilliseconds(200);
            options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        }

        var connectionString = configuration[connectionName];
        if (!string.IsNullOrWhiteSpace(connectionString))
            return new(new TableServiceClient(connectionString, tableOptions), new BlobServiceClient(connectionString, blobOptions));

        var section = configuration.GetSection(connectionName);
        var tableUri = section["tableServiceUri"];
        var blobUri = section["blobServiceUri"];
        if (tableUri is null || blobUri is null)
            throw new InvalidOperationException(
                $"Storage is not configured: set '{connectionName}' to a connection string, or " +
                $"'{connectionName}__tableServiceUri' and '{connectionName}__blobServiceUri' for managed identity.");

        TokenCredential credential = section["clientId"] is { Length: > 0 } clientId
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential();
        return new(new TableServiceClient(new Uri(tableUri), credential, tableOptions),
                   new BlobServiceClient(new Uri(blobUri), credential, blobOptions));
    }
}
