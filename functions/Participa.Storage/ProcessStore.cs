using System.Collections.Concurrent;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Participa.Domain;

namespace Participa.Storage;

/// <summary>
/// Processes live in one small partition, each as a JSON document. Reads are cached briefly: every submission
/// needs its process, and the cache keeps a submission's write path to a single storage round trip.
/// </summary>
public sealed class ProcessStore(Tables tables, TimeProvider clock)
{
    // Not a valid process id, so it can never share a partition with a process's own documents.
    const string Partition = "~processes";
    static readonly TimeSpan FoundTtl = TimeSpan.FromSeconds(30);
    static readonly TimeSpan MissingTtl = TimeSpan.FromSeconds(5);

    readonly ConcurrentDictionary<string, (Process? Process, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);

    public async Task<Process?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(id, out var cached) && cached.Expires > now)
            return cached.Process;

        await tables.EnsureCreatedAsync(cancellationToken);
        var response = await tables.Processes.GetEntityIfExistsAsync<TableEntity>(Partition, id, ["Json"], cancellationToken);
        var process = response.HasValue ? Deserialize(response.Value!) : null;
        _cache[id] = (process, now + (process is null ? MissingTtl : FoundTtl));
        return process;
    }

    public async Task<IReadOnlyList<Process>> ListAsync(CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var result = new List<Process>();
        await foreach (var entity in tables.Processes.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), select: ["Json"], cancellationToken: cancellationToken))
            result.Add(Deserialize(entity));
        return result;
    }

    public async Task UpsertAsync(Process process, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var entity = new TableEntity(Partition, process.Id) { ["Json"] = JsonSerializer.Serialize(process, Json.Options) };
        await tables.Processes.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
        _cache.TryRemove(process.Id, out _);
    }

    /// <summary>Adds the process unless one with its id exists; true when added.</summary>
    public async Task<bool> AddIfMissingAsync(Process process, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var entity = new TableEntity(Partition, process.Id) { ["Json"] = JsonSerializer.Serialize(process, Json.Options) };
        try
        {
            await tables.Processes.AddEntityAsync(entity, cancellationToken);
            _cache.TryRemove(process.Id, out _);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>The process as stored now (not cached) and its ETag, for an edit.</summary>
    public async Task<(Process Process, string ETag)?> FindForEditAsync(string id, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var response = await tables.Processes.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken);
        return response.HasValue ? (Deserialize(response.Value!), response.Value!.ETag.ToString()) : null;
    }

    /// <summary>Replaces the process if it still has <paramref name="etag"/>; returns the new ETag.</summary>
    /// <exception cref="RequestFailedException">412 when someone changed it since.</exception>
    public async Task<string> ReplaceAsync(Process process, string etag, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(Partition, process.Id) { ["Json"] = JsonSerializer.Serialize(process, Json.Options) };
        var response = await tables.Processes.UpdateEntityAsync(entity, new ETag(etag), TableUpdateMode.Replace, cancellationToken);
        _cache.TryRemove(process.Id, out _);
        return response.Headers.ETag?.ToString() ?? "";
    }

    static Process Deserialize(TableEntity entity) =>
        JsonSerializer.Deserialize<Process>(entity.GetString("Json"), Json.Options)
        ?? throw new InvalidDataException($"Process '{entity.RowKey}' has an empty document.");
}
