using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Participa.Domain;

namespace Participa.Storage;

/// <summary>What the statistics timer keeps between runs for one process: the counts and how far into the journal they go.</summary>
/// <remarks><see cref="FilesHash"/> is the hash of the files last published, so an idle run compares one hash instead of every blob.</remarks>
public sealed record SavedStatistics(StatisticsState State, string? Watermark, string? LastUpdated, string? FilesHash = null,
    string? LedgerRoot = null, long LedgerSize = 0);

/// <summary>
/// The statistics timer's private state, in a container of its own (never public): one blob per process, replaced
/// under its ETag, and a lock blob whose lease keeps two runs (the schedule, a manual run, a slow previous run) from
/// interleaving.
/// </summary>
public sealed class StatisticsStore
{
    readonly BlobContainerClient _container;
    volatile bool _created;

    public StatisticsStore(StorageAccount account, string containerName) =>
        _container = account.Blobs.GetBlobContainerClient(containerName);

    public async Task<(SavedStatistics Saved, ETag? ETag)> ReadAsync(string processId, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        try
        {
            var blob = await _container.GetBlobClient(Path(processId)).DownloadContentAsync(cancellationToken);
            var saved = JsonSerializer.Deserialize<SavedStatistics>(blob.Value.Content.ToMemory().Span, Json.Options)
                        ?? throw new InvalidDataException($"Empty statistics state for {processId}.");
            return (saved with { State = saved.State.Normalized() }, blob.Value.Details.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return (new SavedStatistics(new StatisticsState(), null, null), null);
        }
    }

    /// <exception cref="RequestFailedException">412 when someone else saved it since <paramref name="etag"/> was read.</exception>
    public async Task SaveAsync(string processId, SavedStatistics saved, ETag? etag, CancellationToken cancellationToken)
    {
        await _container.GetBlobClient(Path(processId)).UploadAsync(new BinaryData(JsonSerializer.SerializeToUtf8Bytes(saved, Json.Options)),
            new BlobUploadOptions { Conditions = etag is { } e ? new BlobRequestConditions { IfMatch = e } : new BlobRequestConditions { IfNoneMatch = ETag.All } },
            cancellationToken);
    }

    /// <summary>A lease on the lock blob for <paramref name="duration"/>, or null when another run holds it.</summary>
    public async Task<BlobLeaseClient?> TryLeaseAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        var lockBlob = _container.GetBlobClient("statistics.lock");
        try
        {
            await lockBlob.UploadAsync(BinaryData.FromString(""), new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
        }
        var lease = lockBlob.GetBlobLeaseClient();
        try
        {
            await lease.AcquireAsync(duration, cancellationToken: cancellationToken);
            return lease;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return null;
        }
    }

    static string Path(string processId) => $"statistics/{processId}.json";

    static string LedgerPath(string processId) => $"ledger/{processId}.bin";

    public async Task<(LedgerBook Book, ETag? ETag)> ReadLedgerAsync(string processId, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        try
        {
            var blob = await _container.GetBlobClient(LedgerPath(processId)).DownloadContentAsync(cancellationToken);
            return (LedgerBook.FromBytes(blob.Value.Content.ToMemory().Span), blob.Value.Details.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return (new LedgerBook(), null);
        }
    }

    public async Task SaveLedgerAsync(string processId, LedgerBook book, ETag? etag, CancellationToken cancellationToken) =>
        await _container.GetBlobClient(LedgerPath(processId)).UploadAsync(new BinaryData(book.ToBytes()),
            new BlobUploadOptions { Conditions = etag is { } e ? new BlobRequestConditions { IfMatch = e } : new BlobRequestConditions { IfNoneMatch = ETag.All } },
            cancellationToken);

    async ValueTask EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (_created) return;
        await _container.CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: cancellationToken);
        _created = true;
    }
}
