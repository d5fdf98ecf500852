using Azure.Data.Tables;
using Participa.Domain;

namespace Participa.Storage;

/// <summary>
/// Supports: "s|{proposalId}|{participantKey}". The key is the uniqueness: a second support from the same participant
/// fails the transaction, so one participant counts once however often they press the button.
/// </summary>
public sealed class SupportStore(SubmissionStore submissions)
{
    public static string Path(string processId, string proposalId) => $"/api/processes/{processId}/proposals/{proposalId}/supports";

    /// <remarks>The support counts in its proposal's theme and roundtable too, so <paramref name="proposal"/> is the one supported.</remarks>
    public Task<WriteOutcome> AddAsync(Support s, Proposal proposal, string sha256, IdempotencyKey? key, CancellationToken cancellationToken)
    {
        var row = new TableEntity(s.ProcessId, $"s|{s.ProposalId}|{s.ParticipantKey}")
        {
            ["Id"] = s.Id,
            ["ProposalId"] = s.ProposalId,
            ["SubmittedAt"] = s.SubmittedAt,
            ["Sha256"] = sha256,
            ["Hidden"] = false,
            ["Burst"] = s.MintedInBurst,
        };
        List<TableEntity> rows = [row, ItemRows.Receipt(s.ProcessId, s.Id, "support", Path(s.ProcessId, s.ProposalId), sha256, s.SubmittedAt, [row],
            new StatRecord(StatKind.Support, s.Id, s.SubmittedAt, Theme: proposal.Theme, Meeting: proposal.MeetingId, ProposalId: s.ProposalId))];
        return submissions.AddAsync(s.ProcessId, s.Id, rows, key, cancellationToken);
    }

    public async Task<Stored<Support>?> FindAsync(string processId, string proposalId, string participantKey, CancellationToken cancellationToken) =>
        await submissions.FindAsync(processId, $"s|{proposalId}|{participantKey}", cancellationToken) is { } e
            ? new(new Support(processId, e.GetString("Id"), proposalId, participantKey, e.GetDateTimeOffset("SubmittedAt")!.Value.ToUniversalTime(), e.GetBoolean("Burst") ?? false), e.GetString("Sha256"))
            : null;

    public Task<long> CountAsync(string processId, string proposalId, CancellationToken cancellationToken, bool fresh = false) =>
        submissions.CountAsync(processId, $"s|{proposalId}|", ItemRows.NotHidden, cancellationToken, fresh);

    /// <summary>Of those, the supports from tokens minted in a burst: published beside the count, not subtracted from it.</summary>
    public Task<long> CountFromBurstsAsync(string processId, string proposalId, CancellationToken cancellationToken, bool fresh = false) =>
        submissions.CountAsync(processId, $"s|{proposalId}|", ItemRows.NotHidden + " and Burst eq true", cancellationToken, fresh);
}

/// <summary>What a receipt shows, forever: the item's state now and why, never its hidden content.</summary>
public sealed record ReceiptRecord(
    string Id, string ProcessId, string Kind, string Path, string Sha256, DateTimeOffset SubmittedAt,
    string State, string? ReasonCategory, string? Reason, DateTimeOffset? StateChangedAt, string Appeal = "none")
{
    /// <summary>A proposal's outcome (Outcomes.cs), kept on its receipt too.</summary>
    public Outcome? Outcome { get; init; }
}

public sealed class ReceiptStore(SubmissionStore submissions)
{
    public async Task<ReceiptRecord?> FindAsync(string processId, string id, CancellationToken cancellationToken) =>
        await submissions.FindAsync(processId, Keys.Receipt(id), cancellationToken) is { } e
            ? new ReceiptRecord(id, processId, e.GetString("Kind"), e.GetString("Path"), e.GetString("Sha256"),
                e.GetDateTimeOffset("SubmittedAt")!.Value.ToUniversalTime(), e.GetString("State"), e.GetString("ReasonCategory"),
                e.GetString("Reason"), e.GetDateTimeOffset("StateChangedAt")?.ToUniversalTime(), e.GetString("Appeal") ?? "none") { Outcome = OutcomeStore.Read(e) }
            : null;
}
