using Azure;
using Azure.Data.Tables;
using Participa.Domain;

namespace Participa.Storage;

/// <summary>A page of items and the id of the first item of the next page (null on the last page).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Next);

/// <summary>An item with the SHA-256 acknowledged in its receipt when it was stored.</summary>
public sealed record Stored<T>(T Item, string Sha256);

/// <summary>
/// Proposals are rows of the Submissions table: PartitionKey = process id, RowKey = "proposal|{id}". Ids are
/// version-7 GUIDs, so rows sort by submission time and paging is stable while new items arrive.
/// </summary>
public sealed class ProposalStore(Tables tables)
{
    const string Prefix = "proposal|";
    const string PrefixEnd = "proposal}"; // '}' sorts right after '|'

    public async Task AddAsync(Proposal proposal, string sha256, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        await tables.Submissions.AddEntityAsync(ToEntity(proposal, sha256), cancellationToken);
    }

    public async Task<Stored<Proposal>?> FindAsync(string processId, string id, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var response = await tables.Submissions.GetEntityIfExistsAsync<TableEntity>(processId, Prefix + id, cancellationToken: cancellationToken);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    /// <param name="from">The id to start at (inclusive), as returned in <see cref="Page{T}.Next"/>.</param>
    public async Task<Page<Stored<Proposal>>> ListAsync(string processId, string? from, int pageSize, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {processId} and RowKey ge {Prefix + (from ?? "")} and RowKey lt {PrefixEnd}");
        // Ask for one more than the page so the next page's first id is known without a second query.
        var items = new List<Stored<Proposal>>(pageSize + 1);
        await foreach (var entity in tables.Submissions.QueryAsync<TableEntity>(filter, maxPerPage: pageSize + 1, cancellationToken: cancellationToken))
        {
            items.Add(FromEntity(entity));
            if (items.Count > pageSize) break;
        }
        string? next = null;
        if (items.Count > pageSize)
        {
            next = items[pageSize].Item.Id;
            items.RemoveAt(pageSize);
        }
        return new Page<Stored<Proposal>>(items, next);
    }

    /// <summary>Streams the columns statistics need, nothing else (a projection is about twice as fast to scan).</summary>
    public async IAsyncEnumerable<(string Theme, string Department, DateTimeOffset SubmittedAt)> ScanForStatisticsAsync(
        string processId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {processId} and RowKey gt {Prefix} and RowKey lt {PrefixEnd}");
        await foreach (var e in tables.Submissions.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["Theme", "Department", "SubmittedAt"], cancellationToken: cancellationToken))
            yield return (e.GetString("Theme"), e.GetString("Department"), e.GetDateTimeOffset("SubmittedAt")!.Value);
    }

    static TableEntity ToEntity(Proposal p, string sha256) => new(p.ProcessId, Prefix + p.Id)
    {
        ["Title"] = p.Title,
        ["Problem"] = p.Problem,
        ["ProposedSolution"] = p.ProposedSolution,
        ["Theme"] = p.Theme,
        ["Department"] = p.Department,
        ["SubmittedAt"] = p.SubmittedAt,
        ["Sha256"] = sha256,
    };

    static Stored<Proposal> FromEntity(TableEntity e) => new(new Proposal(
        e.PartitionKey,
        e.RowKey[Prefix.Length..],
        e.GetString("Title"),
        e.GetString("Problem"),
        e.GetString("ProposedSolution"),
        e.GetString("Theme"),
        e.GetString("Department"),
        e.GetDateTimeOffset("SubmittedAt")!.Value.ToUniversalTime()), e.GetString("Sha256"));
}
