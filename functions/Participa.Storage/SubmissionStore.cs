using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Participa.Domain;

namespace Participa.Storage;

/// <summary>A page of items and the continuation token of the next page (null on the last page).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? ContinuationToken);

/// <summary>An item with the SHA-256 acknowledged in its receipt when it was stored.</summary>
public sealed record Stored<T>(T Item, string Sha256);

/// <summary>A client's Idempotency-Key, reduced to hashes: of the key (scoped to the endpoint) and of the request body.</summary>
public sealed record IdempotencyKey(string KeyHash, string RequestHash);

public abstract record WriteOutcome
{
    public sealed record Stored : WriteOutcome;
    /// <summary>The Idempotency-Key was used before, for item <paramref name="ItemId"/>; nothing new was stored.</summary>
    public sealed record Replayed(string ItemId, bool SameRequest) : WriteOutcome;
    /// <summary>A uniqueness row already exists (a second support from the same participant).</summary>
    public sealed record Duplicate : WriteOutcome;
}

/// <summary>
/// The Submissions table: PartitionKey = process id, and every row of an item (its copies under each index prefix,
/// its receipt, its private contact, the idempotency marker of the request) lives in that partition, so one
/// entity-group transaction stores them all or none: one storage round trip per submission.
/// See docs/storage.md for the row-key scheme.
/// </summary>
public sealed class SubmissionStore(Tables tables)
{
    static readonly TimeSpan CountTtl = TimeSpan.FromSeconds(30);
    readonly ConcurrentDictionary<string, (long Count, DateTimeOffset Expires)> _counts = new(StringComparer.Ordinal);

    /// <remarks>
    /// Every write carries an idempotency marker. Without a client key the marker is keyed by the item's own id, so
    /// when the SDK retries a transaction that committed but whose answer was lost, the retry is recognised as a
    /// replay of this very item (201 again), not mistaken for a duplicate.
    /// </remarks>
    public async Task<WriteOutcome> AddAsync(string processId, string itemId, IReadOnlyList<TableEntity> rows, IdempotencyKey? key, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        key ??= new IdempotencyKey("item-" + itemId, "");
        var actions = new List<TableTransactionAction>(rows.Count + 1)
        {
            new(TableTransactionActionType.Add, new TableEntity(processId, Keys.Idempotency(key.KeyHash))
            {
                ["RequestHash"] = key.RequestHash,
                ["ItemId"] = itemId,
            }),
        };
        actions.AddRange(rows.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)));
        // The statistics journal: the item counts in (+1) in the same transaction that stores it.
        if (rows.FirstOrDefault(r => r.RowKey == Keys.Receipt(itemId)) is { } receipt && receipt.GetString("Stat") is { } stat)
            actions.Add(new(TableTransactionActionType.Add, Journal.Row(processId, itemId, stat, +1, receipt.GetString("Sha256"))));
        try
        {
            await tables.Submissions.SubmitTransactionAsync(actions, cancellationToken);
            return new WriteOutcome.Stored();
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            // The marker is the first action: a conflict anywhere else is a uniqueness row (a second support).
            if (e.FailedTransactionActionIndex is > 0) return new WriteOutcome.Duplicate();
            var marker = await FindAsync(processId, Keys.Idempotency(key.KeyHash), cancellationToken);
            return marker is null
                ? new WriteOutcome.Duplicate()
                : new WriteOutcome.Replayed(marker.GetString("ItemId"), marker.GetString("RequestHash") == key.RequestHash);
        }
    }

    public async Task<TableEntity?> FindAsync(string processId, string rowKey, CancellationToken cancellationToken, IEnumerable<string>? select = null)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var response = await tables.Submissions.GetEntityIfExistsAsync<TableEntity>(processId, rowKey, select, cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>
    /// One page of the rows under <paramref name="prefix"/>, in row-key order, from the continuation token on.
    /// The token is the next row's key, checked to be the prefix and an item id, so a client can only move within its
    /// query. <paramref name="lower"/> and <paramref name="upper"/> narrow the range further (a time window over
    /// time-ordered ids, for example).
    /// </summary>
    /// <exception cref="FormatException">The continuation token is not one this query handed out.</exception>
    public async Task<Page<TableEntity>> PageAsync(string processId, string prefix, string? filter, string? continuationToken, int pageSize,
        CancellationToken cancellationToken, string? lower = null, string? upper = null)
    {
        var from = lower ?? prefix;
        if (continuationToken is not null)
        {
            var key = Tokens.Decode(continuationToken);
            // Every list's keys are its prefix and an item id: a token of any other shape was not handed out by this query.
            if (!key.StartsWith(prefix, StringComparison.Ordinal) || !Participa.Domain.Ids.IsValid(key[prefix.Length..]))
                throw new FormatException("The continuation token belongs to another query.");
            if (string.CompareOrdinal(key, from) > 0) from = key;
        }
        await tables.EnsureCreatedAsync(cancellationToken);
        var query = TableClient.CreateQueryFilter($"PartitionKey eq {processId} and RowKey ge {from} and RowKey lt {upper ?? Keys.End(prefix)}")
                    + (filter is null ? "" : $" and ({filter})");
        // One more than the page, so the next page's first key is known without another query.
        var rows = new List<TableEntity>(pageSize + 1);
        await foreach (var row in tables.Submissions.QueryAsync<TableEntity>(query, maxPerPage: Math.Min(1000, pageSize + 1), cancellationToken: cancellationToken))
        {
            rows.Add(row);
            if (rows.Count > pageSize) break;
        }
        string? next = null;
        if (rows.Count > pageSize)
        {
            next = Tokens.Encode(rows[pageSize].RowKey);
            rows.RemoveAt(pageSize);
        }
        return new Page<TableEntity>(rows, next);
    }

    /// <summary>Streams rows under a prefix with only the named columns, a page ahead.</summary>
    public async IAsyncEnumerable<TableEntity> ScanAsync(string processId, string prefix, string? filter, IEnumerable<string> select,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken, string? lower = null, string? upper = null)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var query = TableClient.CreateQueryFilter($"PartitionKey eq {processId} and RowKey ge {lower ?? prefix} and RowKey lt {upper ?? Keys.End(prefix)}")
                    + (filter is null ? "" : $" and ({filter})");
        // The next page is asked for before this one is handed over: the storage service reads it while the caller
        // works through this one (a full statistics run spends about as long on its rows as on the requests).
        var pages = tables.Submissions.QueryAsync<TableEntity>(query, maxPerPage: 1000, select: select, cancellationToken: cancellationToken)
            .AsPages().GetAsyncEnumerator(cancellationToken);
        var next = pages.MoveNextAsync().AsTask();
        try
        {
            while (await next)
            {
                var page = pages.Current.Values;
                next = pages.MoveNextAsync().AsTask();
                foreach (var row in page) yield return row;
            }
        }
        finally
        {
            // A caller that stops early leaves a read in flight; it must end before the enumerator is disposed.
            await next.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            await pages.DisposeAsync();
        }
    }

    /// <summary>
    /// How many rows match, by a key-only scan cached for 30 seconds: exact for the moment it ran, cheap to repeat.
    /// <paramref name="fresh"/> skips the cache, for the reader who just wrote and expects to see it counted.
    /// </summary>
    public async Task<long> CountAsync(string processId, string prefix, string? filter, CancellationToken cancellationToken, bool fresh = false)
    {
        var cacheKey = $"{processId}\n{prefix}\n{filter}";
        var now = DateTimeOffset.UtcNow;
        if (!fresh && _counts.TryGetValue(cacheKey, out var cached) && cached.Expires > now) return cached.Count;
        long count = 0;
        await foreach (var _ in ScanAsync(processId, prefix, filter, ["RowKey"], cancellationToken))
            count++;
        // Bounded: a list nobody reads again should not live on in memory.
        if (_counts.Count > 10_000) _counts.Clear();
        _counts[cacheKey] = (count, now + CountTtl);
        return count;
    }

    /// <summary>
    /// Hides or restores an item: every copy listed on its receipt and the receipt itself change in one transaction,
    /// guarded by the receipt's ETag, so two moderators deciding at once cannot interleave. False if the item is unknown.
    /// </summary>
    /// <exception cref="RequestFailedException">412 when <paramref name="receiptETag"/> is given and the receipt changed since.</exception>
    public Task<bool> SetStateAsync(string processId, string itemId, ItemState state, ETag? receiptETag, CancellationToken cancellationToken) =>
        SetStateAsync(processId, itemId, state, receiptETag, new Dictionary<string, object?>(), [], cancellationToken);

    /// <summary>
    /// As above, with more receipt columns and more rows of the same partition in the same transaction (moderation's
    /// decision and log rows), so the state change and its record are stored together or not at all.
    /// </summary>
    public async Task<bool> SetStateAsync(string processId, string itemId, ItemState state, ETag? receiptETag,
        IReadOnlyDictionary<string, object?> receiptColumns, IEnumerable<TableTransactionAction> more, CancellationToken cancellationToken)
    {
        if (await FindAsync(processId, Keys.Receipt(itemId), cancellationToken) is not { } receipt) return false;
        var wasHidden = receipt.GetString("State") is { } before && before != ItemRows.Published;
        // Replaced whole, not merged: a merge skips null columns, so a restore would keep the old reason.
        var receiptRow = receipt;
        receiptRow["State"] = state.State;
        receiptRow["ReasonCategory"] = state.ReasonCategory;
        receiptRow["Reason"] = state.Reason;
        receiptRow["StateChangedAt"] = state.ChangedAt;
        foreach (var (name, value) in receiptColumns) receiptRow[name] = value;
        foreach (var name in receiptRow.Keys.Where(k => receiptRow[k] is null).ToList()) receiptRow.Remove(name);
        var hidden = state.State != ItemRows.Published;
        var actions = receipt.GetString("Rows").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(rk => new TableTransactionAction(TableTransactionActionType.UpdateMerge, new TableEntity(processId, rk) { ["Hidden"] = hidden }, ETag.All))
            .Append(new TableTransactionAction(TableTransactionActionType.UpdateReplace, receiptRow, receiptETag ?? receipt.ETag))
            .Concat(more)
            .ToList();
        // Hiding counts the item out of the statistics, restoring counts it back in: journalled in the same transaction.
        if (hidden != wasHidden && receipt.GetString("Stat") is { } stat)
            actions.Add(new(TableTransactionActionType.Add, Journal.Row(processId, Ids.New(state.ChangedAt), stat, hidden ? -1 : +1, receipt.GetString("Sha256"))));
        await tables.Submissions.SubmitTransactionAsync(actions, cancellationToken);
        return true;
    }

    /// <summary>
    /// Merges <paramref name="columns"/> into every copy listed on the item's receipt and into the receipt itself, in one
    /// transaction guarded by <paramref name="receiptETag"/> (as <see cref="SetStateAsync"/> does). Returns the receipt's new ETag.
    /// When <paramref name="stat"/> is given it replaces the receipt's statistics record, and if the item is published
    /// the journal counts the old record out and the new one in, in the same transaction.
    /// </summary>
    /// <exception cref="RequestFailedException">412 when the receipt changed since <paramref name="receiptETag"/> was read.</exception>
    public async Task<ETag> MergeIntoCopiesAsync(TableEntity receipt, IDictionary<string, object?> columns, ETag receiptETag, CancellationToken cancellationToken,
        (StatRecord Record, DateTimeOffset At)? stat = null)
    {
        TableEntity With(string rowKey)
        {
            var row = new TableEntity(receipt.PartitionKey, rowKey);
            foreach (var (name, value) in columns) row[name] = value;
            return row;
        }
        var receiptRow = With(receipt.RowKey);
        var actions = receipt.GetString("Rows").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(rk => new TableTransactionAction(TableTransactionActionType.UpdateMerge, With(rk), ETag.All))
            .Append(new TableTransactionAction(TableTransactionActionType.UpdateMerge, receiptRow, receiptETag))
            .ToList();
        if (stat is { } change && Journal.Serialize(change.Record) is var newStat && receipt.GetString("Stat") is { } oldStat && newStat != oldStat)
        {
            receiptRow["Stat"] = newStat;
            if (receipt.GetString("State") == ItemRows.Published)
            {
                actions.Add(new(TableTransactionActionType.Add, Journal.Row(receipt.PartitionKey, Ids.New(change.At), oldStat, -1, null)));
                actions.Add(new(TableTransactionActionType.Add, Journal.Row(receipt.PartitionKey, Ids.New(change.At), newStat, +1, null)));
            }
        }
        var receiptIndex = actions.FindIndex(a => a.Entity.RowKey == receipt.RowKey);
        var responses = await tables.Submissions.SubmitTransactionAsync(actions, cancellationToken);
        return responses.Value[receiptIndex].Headers.ETag
               ?? (await FindAsync(receipt.PartitionKey, receipt.RowKey, cancellationToken, ["RowKey"]))!.ETag;
    }
}

/// <summary>An item's public state: "published" or "hidden", with the public reason for hiding it.</summary>
public sealed record ItemState(string State, string? ReasonCategory, string? Reason, DateTimeOffset ChangedAt)
{
    public static ItemState Hidden(string reasonCategory, string? reason, DateTimeOffset at) => new("hidden", reasonCategory, reason, at);
    public static ItemState Published(DateTimeOffset at) => new(ItemRows.Published, null, null, at);
}

/// <summary>Row-key prefixes of the Submissions table (docs/storage.md).</summary>
public static class Keys
{
    public static string Idempotency(string hash) => $"idem|{hash}";
    public static string Receipt(string id) => $"rcpt|{id}";
    public static string Contact(string id) => $"contact|{id}";

    /// <summary>The first key after every key that starts with <paramref name="prefix"/>.</summary>
    public static string End(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);
}

/// <summary>Continuation tokens: the next row key, base64url-encoded so clients treat it as opaque.</summary>
public static class Tokens
{
    public static string Encode(string rowKey) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(rowKey)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Decode(string token)
    {
        if (token.Length is 0 or > 400) throw new FormatException("Bad continuation token length.");
        var base64 = token.Replace('-', '+').Replace('_', '/');
        base64 += new string('=', (4 - base64.Length % 4) % 4);
        try
        {
            return new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(base64));
        }
        catch (System.Text.DecoderFallbackException e)
        {
            throw new FormatException("Bad continuation token.", e);
        }
    }
}
