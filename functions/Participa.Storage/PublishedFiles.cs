using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Participa.Storage;

/// <summary>
/// The public blob container of published results (open data). Writes are skipped when the content is unchanged,
/// so a run with nothing new leaves blobs, ETags and caches untouched.
/// </summary>
public sealed class PublishedFiles
{
    readonly BlobContainerClient _container;
    volatile bool _created;

    public PublishedFiles(StorageAccount account, string containerName) =>
        _container = account.Blobs.GetBlobContainerClient(containerName);

    public Uri ContainerUri => _container.Uri;

    public Uri UriOf(string path) => _container.GetBlobClient(path).Uri;

    /// <summary>Writes the file if its content differs from what is published; true when written.</summary>
    public async Task<bool> PublishAsync(string path, byte[] content, string contentType, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        var blob = _container.GetBlobClient(path);
        var md5 = MD5.HashData(content);
        try
        {
            var current = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
            if (current.Value.ContentHash is { } hash && hash.AsSpan().SequenceEqual(md5)) return false;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
        await blob.UploadAsync(new BinaryData(content), new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders
            {
                ContentType = contentType,
                ContentHash = md5,
                CacheControl = "public, max-age=300",
            },
        }, cancellationToken);
        return true;
    }

    public async Task<(BinaryData Content, string ContentType, ETag ETag)?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var result = await _container.GetBlobClient(path).DownloadContentAsync(cancellationToken);
            return (result.Value.Content, result.Value.Details.ContentType, result.Value.Details.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    async ValueTask EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (_created) return;
        // Anonymous read of single blobs is the point of open data; listing the container stays private.
        await _container.CreateIfNotExistsAsync(PublicAccessType.Blob, cancellationToken: cancellationToken);
        _created = true;
    }
}
