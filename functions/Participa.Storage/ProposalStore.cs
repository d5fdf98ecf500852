using Azure.Data.Tables;
using Participa.Domain;

namespace Participa.Storage;

/// <summary>
/// Proposals: the item at "p|{id}", with copies at "pt|{theme}|{id}" and "pd|{department}|{id}" so a list filtered by
/// theme or department is a range read, not a scan. Ids are version-7 GUIDs: every range is in submission order.
/// </summary>
public sealed class ProposalStore(SubmissionStore submissions)
{
    public static string Path(string processId, string id) => $"/api/processes/{processId}/proposals/{id}";

    public Task<WriteOutcome> AddAsync(Proposal p, string sha256, IdempotencyKey? key, CancellationToken cancellationToken)
    {
        var columns = new Dictionary<string, object?>
        {
            ["Id"] = p.Id,
            ["Title"] = p.Title,
            ["Problem"] = p.Problem,
            ["ProposedSolution"] = p.ProposedSolution,
            ["Theme"] = p.Theme,
            ["SubmittedAt"] = p.SubmittedAt,
            ["RecordedAt"] = p.RecordedAt,
            ["Sha256"] = sha256,
        };
        ItemRows.AddParticipant(columns, p.Participant);
        List<string> keys = [$"p|{p.Id}", $"pt|{p.Theme}|{p.Id}", $"pd|{p.Department}|{p.Id}"];
        // Recorded at a roundtable: one more copy, so the meeting lists its proposals with one range read.
        if (p.MeetingId is { } meetingId)
        {
            columns["MeetingId"] = meetingId;
            keys.Add($"pm|{meetingId}|{p.Id}");
        }
        var copies = ItemRows.Copies(p.ProcessId, keys, columns);
        List<TableEntity> rows =
        [
            .. copies,
            ItemRows.Receipt(p.ProcessId, p.Id, "proposal", Path(p.ProcessId, p.Id), sha256, p.SubmittedAt, copies,
                new StatRecord(StatKind.Proposal, p.Id, p.SubmittedAt, p.Theme, p.Participant.Department, p.Participant.Sector, p.Participant.Gender, p.Participant.AgeBand,
                    Meeting: p.MeetingId), p.RecordedAt),
            .. ItemRows.Contact(p.ProcessId, p.Id, p.Participant.Contact),
        ];
        return submissions.AddAsync(p.ProcessId, p.Id, rows, key, cancellationToken);
    }

    public async Task<Stored<Proposal>?> FindAsync(string processId, string id, CancellationToken cancellationToken) =>
        await submissions.FindAsync(processId, $"p|{id}", cancellationToken) is { } e && !e.GetBoolean("Hidden").GetValueOrDefault() ? Read(e) : null;

    public async Task<Page<Stored<Proposal>>> ListAsync(string processId, ProposalFilter filter, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var (prefix, rest) = Query(filter);
        var page = await submissions.PageAsync(processId, prefix, rest, continuationToken, pageSize, cancellationToken);
        return new(page.Items.Select(Read).ToList(), page.ContinuationToken);
    }

    public Task<long> CountAsync(string processId, ProposalFilter filter, CancellationToken cancellationToken)
    {
        var (prefix, rest) = Query(filter);
        return submissions.CountAsync(processId, prefix, rest, cancellationToken);
    }

    /// <summary>The most selective index first; the other condition is filtered within its range.</summary>
    static (string Prefix, string? Filter) Query(ProposalFilter f) => f switch
    {
        { Meeting: { } meeting } => ($"pm|{meeting}|", ItemRows.And(ItemRows.NotHidden, ItemRows.Eq("Theme", f.Theme), ItemRows.Eq("Department", f.Department))),
        { Theme: { } theme } => ($"pt|{theme}|", ItemRows.And(ItemRows.NotHidden, ItemRows.Eq("Department", f.Department))),
        { Department: { } department } => ($"pd|{department}|", ItemRows.NotHidden),
        _ => ("p|", ItemRows.NotHidden),
    };

    static Stored<Proposal> Read(TableEntity e) => new(new Proposal(
        e.PartitionKey,
        e.GetString("Id"),
        e.GetString("Title"),
        e.GetString("Problem"),
        e.GetString("ProposedSolution"),
        e.GetString("Theme"),
        ItemRows.ReadParticipant(e),
        e.GetDateTimeOffset("SubmittedAt")!.Value.ToUniversalTime())
    {
        MeetingId = e.GetString("MeetingId"),
        RecordedAt = e.GetDateTimeOffset("RecordedAt")?.ToUniversalTime(),
        Outcome = OutcomeStore.Read(e),
    }, e.GetString("Sha256"));
}

public sealed record ProposalFilter(string? Theme = null, string? Department = null, string? Meeting = null);
