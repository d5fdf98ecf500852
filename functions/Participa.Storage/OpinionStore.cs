using Azure.Data.Tables;
using Participa.Domain;

namespace Participa.Storage;

/// <summary>
/// Opinions on a bill: "o|{id}", with copies at "oa|{article or -}|{id}" and "op|{position}|{id}" so the Congress
/// queue by article or by position is a range read.
/// </summary>
public sealed class OpinionStore(SubmissionStore submissions)
{
    public static string Path(string processId, string id) => $"/api/processes/{processId}/opinions/{id}";

    public Task<WriteOutcome> AddAsync(Opinion o, string sha256, IdempotencyKey? key, CancellationToken cancellationToken)
    {
        var columns = new Dictionary<string, object?>
        {
            ["Id"] = o.Id,
            ["DocumentId"] = o.DocumentId,
            ["Version"] = o.Version,
            ["Article"] = o.Article,
            ["Position"] = o.Position,
            ["Reasons"] = o.Reasons,
            ["SubmittedAt"] = o.SubmittedAt,
            ["RecordedAt"] = o.RecordedAt,
            ["Sha256"] = sha256,
        };
        ItemRows.AddParticipant(columns, o.Participant);
        var features = TextFeatures.Of(o.Reasons);
        ReviewStore.AddReviewColumns(columns, features);
        var copies = ItemRows.Copies(o.ProcessId, [$"o|{o.Id}", $"oa|{o.Article ?? "-"}|{o.Id}", $"op|{o.Position}|{o.Id}"], columns);
        List<TableEntity> rows =
        [
            .. copies,
            ItemRows.Receipt(o.ProcessId, o.Id, "opinion", Path(o.ProcessId, o.Id), sha256, o.SubmittedAt, copies,
                new StatRecord(StatKind.Opinion, o.Id, o.SubmittedAt, null, o.Participant.Department, o.Participant.Sector, o.Participant.Gender, o.Participant.AgeBand,
                    o.DocumentId, o.Version, Article: o.Article, Position: o.Position,
                    TextHash: features?.TextHash, Sketch: features is null ? null : Convert.ToBase64String(features.Sketch)), o.RecordedAt),
            .. ItemRows.Contact(o.ProcessId, o.Id, o.Participant.Contact),
        ];
        return submissions.AddAsync(o.ProcessId, o.Id, rows, key, cancellationToken);
    }

    public async Task<Stored<Opinion>?> FindAsync(string processId, string id, CancellationToken cancellationToken) =>
        await submissions.FindAsync(processId, $"o|{id}", cancellationToken) is { } e && e.GetBoolean("Hidden") != true ? Read(e) : null;

    public async Task<Page<Stored<Opinion>>> ListAsync(string processId, OpinionFilter filter, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var (prefix, rest) = Query(filter);
        var page = await submissions.PageAsync(processId, prefix, rest, continuationToken, pageSize, cancellationToken);
        return new(page.Items.Select(Read).ToList(), page.ContinuationToken);
    }

    public Task<long> CountAsync(string processId, OpinionFilter filter, CancellationToken cancellationToken)
    {
        var (prefix, rest) = Query(filter);
        return submissions.CountAsync(processId, prefix, rest, cancellationToken);
    }

    static (string Prefix, string? Filter) Query(OpinionFilter f) => f switch
    {
        { Article: { } article } => ($"oa|{article}|", ItemRows.And(ItemRows.NotHidden, ItemRows.Eq("Position", f.Position), ItemRows.Eq("Department", f.Department))),
        { Position: { } position } => ($"op|{position}|", ItemRows.And(ItemRows.NotHidden, ItemRows.Eq("Department", f.Department))),
        _ => ("o|", ItemRows.And(ItemRows.NotHidden, ItemRows.Eq("Department", f.Department))),
    };

    static Stored<Opinion> Read(TableEntity e) => new(new Opinion(
        e.PartitionKey,
        e.GetString("Id"),
        e.GetString("DocumentId"),
        e.GetInt32("Version") ?? 1,
        e.GetString("Article"),
        e.GetString("Position"),
        e.GetString("Reasons") ?? "",
        ItemRows.ReadParticipant(e),
        e.GetDateTimeOffset("SubmittedAt")!.Value.ToUniversalTime()), e.GetString("Sha256"));
}

public sealed record OpinionFilter(string? Article = null, string? Position = null, string? Department = null);
