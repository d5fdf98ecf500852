using System.Buffers;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Participa.Storage;

/// <summary>What one backup run wrote: a manifest per run, next to its files, under the run's id.</summary>
/// <param name="Kind">"full" (every row) or "incremental" (rows changed since <paramref name="Since"/>, plus every key).</param>
/// <param name="Since">Rows whose Timestamp is at or after this were exported; null for a full run.</param>
public sealed record BackupManifest(string RunId, string Kind, DateTimeOffset? Since, DateTimeOffset StartedAt, DateTimeOffset FinishedAt,
    List<BackupTableFile> Tables)
{
    public const string FileName = "manifest.json";
    public bool IsFull => Kind == "full";
}

/// <param name="Name">The table's name without the deployment's prefix (Processes, Submissions).</param>
/// <param name="KeysFile">Incremental runs: every (PartitionKey, RowKey) at the time of the run, so a restore drops rows deleted since.</param>
public sealed record BackupTableFile(string Name, string RowsFile, long Rows, long Bytes, string? KeysFile, long Keys);

/// <summary>The export's own state between runs: the watermark of the next incremental run and when the last full run was.</summary>
public sealed record BackupState(DateTimeOffset Watermark, DateTimeOffset LastFullAt, string LastRunId);

/// <summary>
/// Table Storage has no backups of its own: this exports every table the app owns to gzip NDJSON blobs under a dated
/// run id in the backups container (WORM in Azure, so every blob is written once under a new name). A full run every
/// <see cref="FullEvery"/>, incremental runs in between (rows whose Timestamp moved since the last run, and the key
/// list that records deletions). A run without its manifest never happened, as far as <see cref="TableRestore"/> knows.
/// </summary>
public sealed class TableBackup(Tables tables, BlobContainerClient backups, BlobContainerClient state)
{
    /// <summary>Server timestamps of rows written in parallel can land a little before the scan that follows: runs overlap.</summary>
    public TimeSpan Overlap { get; init; } = TimeSpan.FromMinutes(5);
    const string StateBlob = "backup/state.json";

    public TimeSpan FullEvery { get; init; } = TimeSpan.FromDays(7);

    public static string RunIdOf(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public async Task<BackupManifest> ExportAsync(DateTimeOffset now, bool full, CancellationToken cancellationToken)
    {
        await backups.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await state.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await tables.EnsureCreatedAsync(cancellationToken);
        var (previous, etag) = await ReadStateAsync(cancellationToken);
        full |= previous is null || now - previous.LastFullAt >= FullEvery;
        var since = full ? (DateTimeOffset?)null : previous!.Watermark;
        var runId = RunIdOf(now);
        if (previous is not null && string.CompareOrdinal(runId, previous.LastRunId) <= 0)
            runId = previous.LastRunId + "-1"; // two runs in one second (a manual run on top of the schedule)

        var files = new List<BackupTableFile>();
        foreach (var (name, table) in tables.ByName)
        {
            var rowsFile = $"{runId}/{name}.ndjson.gz";
            var filter = since is { } s ? TableClient.CreateQueryFilter($"Timestamp ge {s}") : null;
            var (rows, bytes) = await WriteAsync(rowsFile, table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken),
                EntityFormat.Write, cancellationToken);
            string? keysFile = null;
            long keys = 0;
            if (!full)
            {
                // After the rows: a row written in between is then kept by the next run rather than dropped by this one.
                keysFile = $"{runId}/{name}.keys.gz";
                (keys, _) = await WriteAsync(keysFile, table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"], maxPerPage: 1000, cancellationToken: cancellationToken),
                    EntityFormat.WriteKey, cancellationToken);
            }
            files.Add(new BackupTableFile(name, rowsFile, rows, bytes, keysFile, keys));
        }

        var manifest = new BackupManifest(runId, full ? "full" : "incremental", since, now, DateTimeOffset.UtcNow, files);
        await backups.GetBlobClient($"{runId}/{BackupManifest.FileName}").UploadAsync(
            new BinaryData(JsonSerializer.SerializeToUtf8Bytes(manifest, Json.Options)),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } }, cancellationToken);
        var next = new BackupState(now - Overlap, full ? now : previous!.LastFullAt, runId);
        await state.GetBlobClient(StateBlob).UploadAsync(new BinaryData(JsonSerializer.SerializeToUtf8Bytes(next, Json.Options)),
            new BlobUploadOptions { Conditions = etag is { } e ? new BlobRequestConditions { IfMatch = e } : new BlobRequestConditions { IfNoneMatch = ETag.All } },
            cancellationToken);
        return manifest;
    }

    async Task<(BackupState? State, ETag? ETag)> ReadStateAsync(CancellationToken cancellationToken)
    {
        try
        {
            var blob = await state.GetBlobClient(StateBlob).DownloadContentAsync(cancellationToken);
            return (JsonSerializer.Deserialize<BackupState>(blob.Value.Content.ToMemory().Span, Json.Options), blob.Value.Details.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return (null, null);
        }
    }

    async Task<(long Count, long Bytes)> WriteAsync(string path, AsyncPageable<TableEntity> entities, Action<Utf8JsonWriter, TableEntity> write,
        CancellationToken cancellationToken)
    {
        long count = 0;
        var blob = backups.GetBlobClient(path);
        await using (var stream = await blob.OpenWriteAsync(overwrite: true, new BlobOpenWriteOptions
                     {
                         HttpHeaders = new BlobHttpHeaders { ContentType = "application/x-ndjson", ContentEncoding = "gzip" },
                         BufferSize = 4 * 1024 * 1024,
                     }, cancellationToken))
        await using (var gzip = new GZipStream(stream, CompressionLevel.Optimal))
        {
            // Each line goes through a buffer: flushing a writer on the gzip stream would flush the blob stream too,
            // one block per row (a block blob holds at most 50,000).
            var line = new ArrayBufferWriter<byte>(4096);
            await using var writer = new Utf8JsonWriter(line);
            await foreach (var entity in entities)
            {
                write(writer, entity);
                writer.Flush();
                line.Write("\n"u8);
                await gzip.WriteAsync(line.WrittenMemory, cancellationToken);
                line.ResetWrittenCount();
                writer.Reset();
                count++;
            }
        }
        var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
        return (count, properties.Value.ContentLength);
    }
}

/// <summary>
/// Rebuilds the tables from a backup into an account whose tables are empty: the last full run up to the chosen run,
/// then every incremental run after it in order (rows replaced as they were), then drops rows the last run's key list
/// no longer has (deleted since the full run).
/// </summary>
public static class TableRestore
{
    public sealed record Result(string FullRunId, IReadOnlyList<string> RunIds, IReadOnlyDictionary<string, long> RowsByTable);

    /// <summary>Every complete run (one with a manifest), oldest first.</summary>
    public static async Task<List<BackupManifest>> ListRunsAsync(BlobContainerClient backups, CancellationToken cancellationToken)
    {
        var runs = new List<BackupManifest>();
        await foreach (var blob in backups.GetBlobsAsync(cancellationToken: cancellationToken))
        {
            if (!blob.Name.EndsWith("/" + BackupManifest.FileName, StringComparison.Ordinal)) continue;
            var content = await backups.GetBlobClient(blob.Name).DownloadContentAsync(cancellationToken);
            runs.Add(JsonSerializer.Deserialize<BackupManifest>(content.Value.Content.ToMemory().Span, Json.Options)!);
        }
        return runs.OrderBy(r => r.RunId, StringComparer.Ordinal).ToList();
    }

    /// <param name="tablePrefix">The target deployment's table prefix (empty in Azure).</param>
    /// <param name="upTo">The last run to restore (a run id); null: the latest.</param>
    public static async Task<Result> RestoreAsync(BlobContainerClient backups, TableServiceClient target, string tablePrefix, string? upTo,
        Action<string> log, CancellationToken cancellationToken)
    {
        var runs = (await ListRunsAsync(backups, cancellationToken)).Where(r => upTo is null || string.CompareOrdinal(r.RunId, upTo) <= 0).ToList();
        var fullIndex = runs.FindLastIndex(r => r.IsFull);
        if (fullIndex < 0) throw new InvalidOperationException(upTo is null ? "No complete full backup in the container." : $"No complete full backup at or before {upTo}.");
        var chain = runs.Skip(fullIndex).ToList();
        log($"Restoring {chain[0].RunId} (full) and {chain.Count - 1} incremental run(s) up to {chain[^1].RunId}");

        var counts = new Dictionary<string, long>();
        foreach (var name in chain[0].Tables.Select(t => t.Name))
        {
            var table = target.GetTableClient(tablePrefix + name);
            await table.CreateIfNotExistsAsync(cancellationToken);
            await foreach (var _ in table.QueryAsync<TableEntity>(select: ["PartitionKey"], maxPerPage: 1, cancellationToken: cancellationToken))
                throw new InvalidOperationException($"Table {table.Name} is not empty: restore only into empty tables.");

            // The final set of keys: a row the last run no longer lists was deleted, and is not written at all.
            var last = chain[^1].Tables.SingleOrDefault(t => t.Name == name);
            HashSet<UInt128>? keep = null;
            if (chain.Count > 1 && last?.KeysFile is { } keysFile)
            {
                keep = [];
                await foreach (var key in ReadAsync(backups, keysFile, cancellationToken))
                    keep.Add(KeyHash(key.PartitionKey, key.RowKey));
            }
            var written = new HashSet<UInt128>();
            foreach (var run in chain)
            {
                if (run.Tables.SingleOrDefault(t => t.Name == name) is not { } file) continue;
                await WriteAsync(table, ReadAsync(backups, file.RowsFile, cancellationToken), keep, written, cancellationToken);
            }
            counts[name] = written.Count;
            log($"{table.Name}: {written.Count} row(s)");
        }
        return new Result(chain[0].RunId, chain.Select(r => r.RunId).ToList(), counts);
    }

    static UInt128 KeyHash(string partitionKey, string rowKey) =>
        XxHash128.HashToUInt128(Encoding.UTF8.GetBytes(partitionKey + "\u0000" + rowKey));

    static async IAsyncEnumerable<TableEntity> ReadAsync(BlobContainerClient backups, string path,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stream = await backups.GetBlobClient(path).OpenReadAsync(cancellationToken: cancellationToken);
        await using var gzip = new GZipStream(stream, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
            if (line.Length > 0) yield return EntityFormat.Read(line);
    }

    /// <summary>Batches of up to 100 rows of one partition per transaction, a few transactions at a time.</summary>
    static async Task WriteAsync(TableClient table, IAsyncEnumerable<TableEntity> rows, HashSet<UInt128>? keep, HashSet<UInt128> written,
        CancellationToken cancellationToken)
    {
        var pending = new List<Task>();
        var batch = new List<TableTransactionAction>();
        async Task FlushAsync()
        {
            if (batch.Count == 0) return;
            var actions = batch;
            batch = [];
            pending.Add(table.SubmitTransactionAsync(actions, cancellationToken));
            if (pending.Count >= 8)
            {
                var done = await Task.WhenAny(pending);
                pending.Remove(done);
                await done;
            }
        }
        await foreach (var row in rows)
        {
            var key = KeyHash(row.PartitionKey, row.RowKey);
            if (keep is not null && !keep.Contains(key)) continue;
            // One row twice in a transaction is refused: a later run's copy goes in a later batch.
            if (batch.Count == 100 || (batch.Count > 0 && (batch[0].Entity.PartitionKey != row.PartitionKey || batch.Any(a => a.Entity.RowKey == row.RowKey))))
                await FlushAsync();
            batch.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, row));
            written.Add(key);
        }
        await FlushAsync();
        await Task.WhenAll(pending);
    }
}

/// <summary>
/// One entity as one JSON line, with every property's EDM type, so a restored row is the row that was exported:
/// <c>{"pk":"…","rk":"…","p":{"Name":["s","text"],"Count":["i",3],"Big":["l","9007199254740993"]}}</c>.
/// </summary>
public static class EntityFormat
{
    public static void Write(Utf8JsonWriter writer, TableEntity entity)
    {
        writer.WriteStartObject();
        writer.WriteString("pk", entity.PartitionKey);
        writer.WriteString("rk", entity.RowKey);
        writer.WriteStartObject("p");
        foreach (var (name, value) in entity)
        {
            if (name is "PartitionKey" or "RowKey" or "Timestamp" or "odata.etag" || value is null) continue;
            writer.WriteStartArray(name);
            switch (value)
            {
                case string s: writer.WriteStringValue("s"); writer.WriteStringValue(s); break;
                case bool b: writer.WriteStringValue("b"); writer.WriteBooleanValue(b); break;
                case int i: writer.WriteStringValue("i"); writer.WriteNumberValue(i); break;
                // As text: JSON readers in other languages lose precision past 2^53.
                case long l: writer.WriteStringValue("l"); writer.WriteStringValue(l.ToString(System.Globalization.CultureInfo.InvariantCulture)); break;
                case double d: writer.WriteStringValue("d"); writer.WriteNumberValue(d); break;
                case DateTimeOffset t: writer.WriteStringValue("t"); writer.WriteStringValue(t.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture)); break;
                case DateTime t: writer.WriteStringValue("t"); writer.WriteStringValue(t.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture)); break;
                case Guid g: writer.WriteStringValue("g"); writer.WriteStringValue(g); break;
                case byte[] x: writer.WriteStringValue("x"); writer.WriteBase64StringValue(x); break;
                case BinaryData x: writer.WriteStringValue("x"); writer.WriteBase64StringValue(x.ToMemory().Span); break;
                default: throw new NotSupportedException($"Property {name} of {entity.PartitionKey}/{entity.RowKey} has an unknown type {value.GetType()}.");
            }
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    public static void WriteKey(Utf8JsonWriter writer, TableEntity entity)
    {
        writer.WriteStartObject();
        writer.WriteString("pk", entity.PartitionKey);
        writer.WriteString("rk", entity.RowKey);
        writer.WriteEndObject();
    }

    public static TableEntity Read(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        var entity = new TableEntity(root.GetProperty("pk").GetString(), root.GetProperty("rk").GetString());
        if (!root.TryGetProperty("p", out var properties)) return entity;
        foreach (var property in properties.EnumerateObject())
        {
            var value = property.Value[1];
            entity[property.Name] = property.Value[0].GetString() switch
            {
                "s" => value.GetString(),
                "b" => value.GetBoolean(),
                "i" => value.GetInt32(),
                "l" => long.Parse(value.GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                "d" => value.GetDouble(),
                "t" => DateTimeOffset.Parse(value.GetString()!, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind),
                "g" => value.GetGuid(),
                "x" => value.GetBytesFromBase64(),
                var type => throw new InvalidDataException($"Unknown type '{type}' of {property.Name}."),
            };
        }
        return entity;
    }
}
