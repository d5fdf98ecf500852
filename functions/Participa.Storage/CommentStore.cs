using Azure.Data.Tables;
using Participa.Domain;

namespace Participa.Storage;

/// <summary>
/// Comments: a thread's root at "c|{target}|{id}" (so a target's comments are one range), a reply at
/// "r|{rootId}|{id}" (so a thread of any size pages as one range), and every comment at "ci|{id}" for direct reads.
/// </summary>
public sealed class CommentStore(SubmissionStore submissions)
{
    public static string Path(string processId, string id) => $"/api/processes/{processId}/comments/{id}";

    /// <param name="about">The proposal a comment on a proposal (or a reply in its thread) is about: the comment also
    /// counts in that proposal's theme and roundtable.</param>
    public Task<WriteOutcome> AddAsync(Comment c, string sha256, IdempotencyKey? key, Proposal? about, CancellationToken cancellationToken)
    {
        var columns = new Dictionary<string, object?>
        {
            ["Id"] = c.Id,
            ["Target"] = c.Target.Key,
            ["ParentId"] = c.ParentId,
            ["RootId"] = c.RootId,
            ["Depth"] = c.Depth,
            ["Text"] = c.Text,
            ["SubmittedAt"] = c.SubmittedAt,
            ["Sha256"] = sha256,
        };
        ItemRows.AddParticipant(columns, c.Participant);
        var placed = c.ParentId is null ? $"c|{c.Target.Key}|{c.Id}" : $"r|{c.RootId}|{c.Id}";
        var copies = ItemRows.Copies(c.ProcessId, [placed, $"ci|{c.Id}"], columns);
        List<TableEntity> rows =
        [
            .. copies,
            ItemRows.Receipt(c.ProcessId, c.Id, "comment", Path(c.ProcessId, c.Id), sha256, c.SubmittedAt, copies, Stat(c, about)),
            .. ItemRows.Contact(c.ProcessId, c.Id, c.Participant.Contact),
        ];
        return submissions.AddAsync(c.ProcessId, c.Id, rows, key, cancellationToken);
    }

    /// <summary>A comment by id, hidden ones included (a reply's parent may be hidden; the thread still stands).</summary>
    public async Task<(Stored<Comment> Comment, bool Hidden)?> FindAsync(string processId, string id, CancellationToken cancellationToken) =>
        await submissions.FindAsync(processId, $"ci|{id}", cancellationToken) is { } e ? (Read(e), e.GetBoolean("Hidden") == true) : null;

    public async Task<Page<Stored<Comment>>> ListAsync(string processId, CommentTarget target, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var page = await submissions.PageAsync(processId, $"c|{target.Key}|", ItemRows.NotHidden, continuationToken, pageSize, cancellationToken);
        return new(page.Items.Select(Read).ToList(), page.ContinuationToken);
    }

    public Task<long> CountAsync(string processId, CommentTarget target, CancellationToken cancellationToken) =>
        submissions.CountAsync(processId, $"c|{target.Key}|", ItemRows.NotHidden, cancellationToken);

    /// <summary>The replies of a thread in the order they were made; each names its parent, so clients can nest them.</summary>
    public async Task<Page<Stored<Comment>>> RepliesAsync(string processId, string rootId, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var page = await submissions.PageAsync(processId, $"r|{rootId}|", ItemRows.NotHidden, continuationToken, pageSize, cancellationToken);
        return new(page.Items.Select(Read).ToList(), page.ContinuationToken);
    }

    public Task<long> CountRepliesAsync(string processId, string rootId, CancellationToken cancellationToken) =>
        submissions.CountAsync(processId, $"r|{rootId}|", ItemRows.NotHidden, cancellationToken);

    /// <summary>Published top-level comments per section of one document version, from a one-column scan.</summary>
    public async Task<IReadOnlyDictionary<string, int>> CountBySectionAsync(string processId, string documentId, int version, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var prefix = $"c|{new CommentTarget(CommentTargetKind.Section, documentId, version, "").Key}";
        await foreach (var e in submissions.ScanAsync(processId, prefix, ItemRows.NotHidden, ["Target"], cancellationToken))
        {
            var section = CommentTarget.Parse(e.GetString("Target"))?.SectionId;
            if (section is not null) counts[section] = counts.GetValueOrDefault(section) + 1;
        }
        return counts;
    }

    /// <summary>
    /// Only top-level comments on a document count per section; replies and comments on proposals count in totals, and
    /// the latter in their proposal's theme and roundtable too.
    /// </summary>
    static StatRecord Stat(Comment c, Proposal? about) => new(StatKind.Comment, c.Id, c.SubmittedAt, about?.Theme, c.Participant.Department, c.Participant.Sector,
        c.Participant.Gender, c.Participant.AgeBand, Meeting: about?.MeetingId,
        DocumentId: c.ParentId is null && c.Target.Kind != CommentTargetKind.Proposal ? c.Target.DocumentId : null,
        Version: c.Target.Version == 0 ? null : c.Target.Version,
        Section: c.Target.SectionId,
        RootId: c.ParentId is null ? null : c.RootId);

    static Stored<Comment> Read(TableEntity e) => new(new Comment(
        e.PartitionKey,
        e.GetString("Id"),
        CommentTarget.Parse(e.GetString("Target")) ?? throw new InvalidDataException($"Comment {e.RowKey} has a bad target."),
        e.GetString("ParentId"),
        e.GetString("RootId"),
        e.GetInt32("Depth") ?? 0,
        e.GetString("Text"),
        ItemRows.ReadParticipant(e),
        e.GetDateTimeOffset("SubmittedAt")!.Value.ToUniversalTime()), e.GetString("Sha256"));
}
