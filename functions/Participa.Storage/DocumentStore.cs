using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Participa.Domain;

namespace Participa.Storage;

/// <summary>
/// Documents live in the Processes table, in their process's partition: "d|{id}" the document, "dv|{id}|{n}" a
/// version's header and change log, "ds|{id}|{n}|{i}" its sections in order (one row each, so a long bill never hits
/// the 64 KiB property limit). A version is never changed once published, so it is cached for good.
/// </summary>
public sealed class DocumentStore(Tables tables, TimeProvider clock)
{
    static readonly TimeSpan DocumentTtl = TimeSpan.FromSeconds(30);
    readonly ConcurrentDictionary<(string, string), (Document? Document, DateTimeOffset Expires)> _documents = new();
    readonly ConcurrentDictionary<(string, string, int), DocumentVersion> _versions = new();
    readonly ConcurrentDictionary<string, (Task<IReadOnlyList<Document>> Documents, DateTimeOffset Expires)> _lists = new(StringComparer.Ordinal);

    /// <summary>
    /// The process's documents, cached like one document (30 s; a write through this store forgets them at once):
    /// every opinion looks for its bill here, and a query per opinion cost more than the opinion's own write. The
    /// read itself is cached, so the requests that find the entry expired at once share one read. A process with no
    /// document yet is not cached, so its first one is found as soon as it is published.
    /// </summary>
    public Task<IReadOnlyList<Document>> ListAsync(string processId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_lists.TryGetValue(processId, out var cached) && cached.Expires > now && Usable(cached.Documents))
            return cached.Documents.WaitAsync(cancellationToken);
        // Not the caller's token: other requests may wait on this read after the caller has gone.
        var read = ReadListAsync(processId, CancellationToken.None);
        _lists[processId] = (read, now + DocumentTtl);
        return read.WaitAsync(cancellationToken);
    }

    static bool Usable(Task<IReadOnlyList<Document>> read) =>
        !read.IsCompleted || (read.IsCompletedSuccessfully && read.Result.Count > 0);

    async Task<IReadOnlyList<Document>> ReadListAsync(string processId, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {processId} and RowKey ge {"d|"} and RowKey lt {"d}"}");
        var result = new List<Document>();
        await foreach (var e in tables.Processes.QueryAsync<TableEntity>(filter, select: ["Json"], cancellationToken: cancellationToken))
            result.Add(Deserialize<Document>(e));
        // Version 0: a new document whose first version is still being written.
        return result.Where(d => d.LatestVersion > 0).ToList();
    }

    public async Task<Document?> FindAsync(string processId, string documentId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_documents.TryGetValue((processId, documentId), out var cached) && cached.Expires > now) return cached.Document;
        await tables.EnsureCreatedAsync(cancellationToken);
        var response = await tables.Processes.GetEntityIfExistsAsync<TableEntity>(processId, $"d|{documentId}", ["Json"], cancellationToken);
        var document = response.HasValue ? Deserialize<Document>(response.Value!) : null;
        if (document is { LatestVersion: 0 }) return null;
        _documents[(processId, documentId)] = (document, now + DocumentTtl);
        return document;
    }

    public async Task<DocumentVersion?> FindVersionAsync(string processId, string documentId, int number, CancellationToken cancellationToken)
    {
        if (_versions.TryGetValue((processId, documentId, number), out var cached)) return cached;
        await tables.EnsureCreatedAsync(cancellationToken);
        var header = await tables.Processes.GetEntityIfExistsAsync<TableEntity>(processId, VersionKey(documentId, number), ["Json"], cancellationToken);
        if (!header.HasValue) return null;
        var head = Deserialize<VersionHeader>(header.Value!);
        var prefix = $"ds|{documentId}|{number:D4}|";
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {processId} and RowKey ge {prefix} and RowKey lt {Keys.End(prefix)}");
        var sections = new List<Section>();
        await foreach (var e in tables.Processes.QueryAsync<TableEntity>(filter, select: ["Json"], cancellationToken: cancellationToken))
            sections.Add(Deserialize<Section>(e));
        var version = new DocumentVersion(head.Number, head.PublishedAt, head.Changes, sections);
        _versions[(processId, documentId, number)] = version;
        return version;
    }

    /// <summary>
    /// Publishes a version: sections first, in transactions of up to 100 rows, then the version's header, then the
    /// document pointing at it. Readers find a version through its header, so they never see one half-written.
    /// </summary>
    public async Task PublishAsync(Document document, DocumentVersion version, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var rows = version.Sections.Select((s, i) => Row(document.ProcessId, $"ds|{document.Id}|{version.Number:D4}|{i:D4}", s)).ToList();
        foreach (var batch in rows.Chunk(100))
            await tables.Processes.SubmitTransactionAsync(batch.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), cancellationToken);
        await tables.Processes.UpsertEntityAsync(Row(document.ProcessId, VersionKey(document.Id, version.Number),
            new VersionHeader(version.Number, version.PublishedAt, version.Changes)), TableUpdateMode.Replace, cancellationToken);
        await tables.Processes.UpsertEntityAsync(Row(document.ProcessId, $"d|{document.Id}", document with { LatestVersion = version.Number }),
            TableUpdateMode.Replace, cancellationToken);
        Forget(document);
    }

    /// <summary>The document as stored now (not cached) and its ETag, for an edit.</summary>
    public async Task<(Document Document, string ETag)?> FindForEditAsync(string processId, string documentId, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var response = await tables.Processes.GetEntityIfExistsAsync<TableEntity>(processId, $"d|{documentId}", cancellationToken: cancellationToken);
        return response.HasValue ? (Deserialize<Document>(response.Value!), response.Value!.ETag.ToString()) : null;
    }

    /// <summary>
    /// Publishes version <c>document.LatestVersion + 1</c> (version 1 of a new document when <paramref name="etag"/> is
    /// null). The version's header row is inserted first, as a claim: of two administrators publishing at once, one
    /// gets 409. Then the sections, then the document, guarded by its ETag. Readers only ask for versions up to the
    /// document's latest, so a claimed but unfinished version is never read.
    /// </summary>
    /// <exception cref="RequestFailedException">409 when the version or the document already exists; 412 when the document changed.</exception>
    public async Task<Document> PublishNextAsync(Document document, string? etag, DocumentVersion version, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        if (etag is null)
        {
            // A new document: claim its id before anything else is written.
            await tables.Processes.AddEntityAsync(Row(document.ProcessId, $"d|{document.Id}", document with { LatestVersion = 0 }), cancellationToken);
            etag = (await tables.Processes.GetEntityAsync<TableEntity>(document.ProcessId, $"d|{document.Id}", ["RowKey"], cancellationToken)).Value.ETag.ToString();
        }
        await tables.Processes.AddEntityAsync(Row(document.ProcessId, VersionKey(document.Id, version.Number),
            new VersionHeader(version.Number, version.PublishedAt, version.Changes)), cancellationToken);
        var rows = version.Sections.Select((s, i) => Row(document.ProcessId, $"ds|{document.Id}|{version.Number:D4}|{i:D4}", s)).ToList();
        foreach (var batch in rows.Chunk(100))
            await tables.Processes.SubmitTransactionAsync(batch.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), cancellationToken);
        var published = document with { LatestVersion = version.Number };
        await tables.Processes.UpdateEntityAsync(Row(document.ProcessId, $"d|{document.Id}", published), new Azure.ETag(etag), TableUpdateMode.Replace, cancellationToken);
        Forget(document);
        return published;
    }

    /// <summary>Changes a document's title or bill details (not its text: that is a new version), guarded by its ETag.</summary>
    public async Task<string> ReplaceDetailsAsync(Document document, string etag, CancellationToken cancellationToken)
    {
        var response = await tables.Processes.UpdateEntityAsync(Row(document.ProcessId, $"d|{document.Id}", document), new Azure.ETag(etag), TableUpdateMode.Replace, cancellationToken);
        Forget(document);
        return response.Headers.ETag?.ToString() ?? "";
    }

    void Forget(Document document)
    {
        _documents.TryRemove((document.ProcessId, document.Id), out _);
        _lists.TryRemove(document.ProcessId, out _);
    }

    sealed record VersionHeader(int Number, DateTimeOffset PublishedAt, IReadOnlyList<ChangeLogEntry> Changes);

    static string VersionKey(string documentId, int number) => $"dv|{documentId}|{number.ToString("D4", CultureInfo.InvariantCulture)}";

    static TableEntity Row<T>(string processId, string rowKey, T value) =>
        new(processId, rowKey) { ["Json"] = JsonSerializer.Serialize(value, Json.Options) };

    static T Deserialize<T>(TableEntity e) =>
        JsonSerializer.Deserialize<T>(e.GetString("Json"), Json.Options) ?? throw new InvalidDataException($"Row {e.RowKey} is empty.");
}
