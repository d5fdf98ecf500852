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

    public async Task<IReadOnlyList<Document>> ListAsync(string processId, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {processId} and RowKey ge {"d|"} and RowKey lt {"d}"}");
        var result = new List<Document>();
        await foreach (var e in tables.Processes.QueryAsync<TableEntity>(filter, select: ["Json"], cancellationToken: cancellationToken))
            result.Add(Deserialize<Document>(e));
        return result;
    }

    public async Task<Document?> FindAsync(string processId, string documentId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_documents.TryGetValue((processId, documentId), out var cached) && cached.Expires > now) return cached.Document;
        await tables.EnsureCreatedAsync(cancellationToken);
        var response = await tables.Processes.GetEntityIfExistsAsync<TableEntity>(processId, $"d|{documentId}", ["Json"], cancellationToken);
        var document = response.HasValue ? Deserialize<Document>(response.Value!) : null;
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
        _documents.TryRemove((document.ProcessId, document.Id), out _);
    }

    sealed record VersionHeader(int Number, DateTimeOffset PublishedAt, IReadOnlyList<ChangeLogEntry> Changes);

    static string VersionKey(string documentId, int number) => $"dv|{documentId}|{number.ToString("D4", CultureInfo.InvariantCulture)}";

    static TableEntity Row<T>(string processId, string rowKey, T value) =>
        new(processId, rowKey) { ["Json"] = JsonSerializer.Serialize(value, Json.Options) };

    static T Deserialize<T>(TableEntity e) =>
        JsonSerializer.Deserialize<T>(e.GetString("Json"), Json.Options) ?? throw new InvalidDataException($"Row {e.RowKey} is empty.");
}
