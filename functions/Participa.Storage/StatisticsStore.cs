using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Participa.Domain;

namespace Participa.Storage;

/// <summary>What the statistics timer keeps between runs for one process: the counts and how far into the journal they go.</summary>
/// <remarks><see cref="FilesHash"/> is the hash of the files last published, so an idle run compares one hash instead of every blob.</remarks>
public sealed record SavedStatistics(StatisticsState State, string? Watermark, string? LastUpdated, string? FilesHash = null);

/// <summary>
/// The statistics timer's private state, in a container of its own (never public): one blob per process, replaced
/// under its ETag, and a lock blob whose lease keeps two runs (the schedule, a manual run, a slow previous run) from
/// interleaving.
/// </summary>
public sealed class StatisticsStore
{
    readonly BlobContainerClient _container;
    volatile bool _created;

    public StatisticsStore(StorageAccount account, string containerName, int ledgerPageSize = PagedLedger.DefaultPageSize)
    {
        _container = account.Blobs.GetBlobContainerClient(containerName);
        LedgerPageSize = ledgerPageSize;
    }

    /// <summary>The page size of new and rebuilt ledgers (the root does not depend on it; a stored ledger keeps its own).</summary>
    public int LedgerPageSize { get; }

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

    /// <summary>
    /// A lease on the lock blob, renewed while the run lasts, or null when another run holds it. If a renewal fails
    /// (storage unreachable for longer than the lease), <see cref="RunLease.Lost"/> is cancelled: the run must stop,
    /// because another may have started.
    /// </summary>
    public async Task<RunLease?> TryLeaseAsync(CancellationToken cancellationToken, TimeSpan? duration = null)
    {
        var length = duration ?? RunLease.DefaultDuration;
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
            await lease.AcquireAsync(length, cancellationToken: cancellationToken);
            return new RunLease(lease, length);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return null;
        }
    }

    static string Path(string processId) => $"statistics/{processId}.json";

    static string CampaignsPath(string processId) => $"campaigns/{processId}.bin";

    /// <summary>A bill's campaign state as the timer last saved it; null before its first run.</summary>
    public async Task<CampaignState?> ReadCampaignsAsync(string processId, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        try
        {
            var blob = await _container.GetBlobClient(CampaignsPath(processId)).DownloadContentAsync(cancellationToken);
            return CampaignState.FromBytes(blob.Value.Content.ToMemory());
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Replaced whole; only timers write it, under the statistics lease.</summary>
    public Task SaveCampaignsAsync(string processId, CampaignState state, CancellationToken cancellationToken) =>
        _container.GetBlobClient(CampaignsPath(processId)).UploadAsync(new BinaryData(state.ToBytes()), overwrite: true, cancellationToken);

    // The index names each page by its root: pages are immutable, so a reader holding an index always finds what it lists.
    static string LedgerIndexPath(string processId) => $"ledger/{processId}.json";
    static string LedgerPagePrefix(string processId) => $"ledger/{processId}/";
    static string LedgerPagePath(string processId, string root) => $"{LedgerPagePrefix(processId)}{root}.bin";

    sealed record StoredLedger(int PageSize, List<LedgerPage> Pages);

    /// <summary>The ledger's index (page roots and bounds); its pages are read on demand by <see cref="LoadLedgerPagesAsync"/>.</summary>
    public async Task<PagedLedger> ReadLedgerAsync(string processId, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        try
        {
            var blob = await _container.GetBlobClient(LedgerIndexPath(processId)).DownloadContentAsync(cancellationToken);
            var stored = JsonSerializer.Deserialize<StoredLedger>(blob.Value.Content.ToMemory().Span, Json.Options)
                         ?? throw new InvalidDataException($"Empty ledger index for {processId}.");
            return new PagedLedger(stored.Pages, stored.PageSize);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return new PagedLedger(pageSize: LedgerPageSize);
        }
    }

    /// <summary>Loads the pages the ledger needs to place these receipts (usually the last page alone).</summary>
    /// <exception cref="RequestFailedException">404 when a page the index lists is gone (a newer index replaced it).</exception>
    public async Task LoadLedgerPagesAsync(string processId, PagedLedger ledger, IReadOnlyCollection<string> receiptIds, CancellationToken cancellationToken)
    {
        while (ledger.PagesFor(receiptIds) is { Count: > 0 } pages)
        {
            var read = await Task.WhenAll(pages.Select(async page => (page, await ReadLedgerPageAsync(processId, ledger.Pages[page], cancellationToken))));
            foreach (var (page, entries) in read) ledger.Load(page, entries);
        }
    }

    /// <exception cref="RequestFailedException">404 when the page is gone (a newer index replaced it).</exception>
    public async Task<List<LedgerEntry>> ReadLedgerPageAsync(string processId, LedgerPage page, CancellationToken cancellationToken) =>
        PagedLedger.FromBytes((await _container.GetBlobClient(LedgerPagePath(processId, page.Root)).DownloadContentAsync(cancellationToken)).Value.Content.ToMemory().Span);

    /// <summary>
    /// Stores the changed pages under new names, then the index that lists them (the ledger's commit point), then
    /// deletes the pages they replaced. A run that dies before the index leaves the stored ledger as it was.
    /// </summary>
    public async Task SaveLedgerAsync(string processId, PagedLedger ledger, CancellationToken cancellationToken)
    {
        var (pages, replaced) = ledger.Seal();
        await Parallel.ForEachAsync(pages, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (page, ct) =>
        {
            try
            {
                await _container.GetBlobClient(LedgerPagePath(processId, page.Page.Root)).UploadAsync(new BinaryData(PagedLedger.ToBytes(page.Entries)),
                    new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, ct);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // The same content is already stored under its root.
            }
        });
        await _container.GetBlobClient(LedgerIndexPath(processId)).UploadAsync(
            new BinaryData(JsonSerializer.SerializeToUtf8Bytes(new StoredLedger(ledger.PageSize, ledger.Pages.ToList()), Json.Options)), overwrite: true, cancellationToken);
        foreach (var root in replaced)
            await _container.GetBlobClient(LedgerPagePath(processId, root)).DeleteIfExistsAsync(cancellationToken: cancellationToken);
    }

    /// <summary>Deletes stored pages the index does not list (left by a run that died between its index and its deletes, or by a rebuild).</summary>
    public async Task<int> PruneLedgerAsync(string processId, PagedLedger ledger, CancellationToken cancellationToken)
    {
        var listed = ledger.Pages.Select(p => LedgerPagePath(processId, p.Root)).ToHashSet(StringComparer.Ordinal);
        var deleted = 0;
        await foreach (var blob in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = LedgerPagePrefix(processId) }, cancellationToken))
            if (!listed.Contains(blob.Name) && (await _container.GetBlobClient(blob.Name).DeleteIfExistsAsync(cancellationToken: cancellationToken)).Value)
                deleted++;
        return deleted;
    }

    async ValueTask EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (_created) return;
        await _container.CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: cancellationToken);
        _created = true;
    }
}
