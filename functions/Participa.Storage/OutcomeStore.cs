using Azure;
using Azure.Data.Tables;
using Participa.Domain;

namespace Participa.Storage;

/// <summary>
/// A proposal's outcome is stored as columns on every copy of it (p|, pt|, pd|, pm|) and on its receipt, so lists,
/// point reads and the receipt show it without a second read. Changes go through the receipt's Rows in one
/// transaction under the receipt's ETag, like moderation.
/// </summary>
public sealed class OutcomeStore(SubmissionStore submissions)
{
    /// <summary>The receipt of a proposal (not of any other kind of item), with its ETag and current outcome.</summary>
    public async Task<(TableEntity Receipt, Outcome? Outcome)?> FindAsync(string processId, string proposalId, CancellationToken cancellationToken) =>
        await submissions.FindAsync(processId, Keys.Receipt(proposalId), cancellationToken) is { } r && r.GetString("Kind") == "proposal"
            ? (r, Read(r)) : null;

    /// <exception cref="RequestFailedException">412 when the receipt changed since <paramref name="etag"/>.</exception>
    /// <remarks>The proposal's statistics record takes the new status, so the published funnel follows (journalled with the change).</remarks>
    public Task<ETag> SetAsync(TableEntity receipt, Outcome outcome, ETag etag, CancellationToken cancellationToken) =>
        submissions.MergeIntoCopiesAsync(receipt, Columns(outcome), etag, cancellationToken,
            receipt.GetString("Stat") is { } stat ? (Journal.Deserialize(stat) with { Outcome = outcome.Status }, outcome.DecidedAt) : null);

    /// <summary>The funnel from a scan of one column of every published proposal: exact, and linear in the proposals (fine for hundreds or thousands).</summary>
    public async Task<Funnel> FunnelAsync(string processId, CancellationToken cancellationToken)
    {
        var statuses = new List<string?>();
        await foreach (var e in submissions.ScanAsync(processId, "p|", ItemRows.NotHidden, ["OutcomeStatus"], cancellationToken))
            statuses.Add(e.GetString("OutcomeStatus"));
        return Funnel.From(statuses);
    }

    // Merge cannot remove a column, so an absent value is written as "" and read back as null.
    static Dictionary<string, object?> Columns(Outcome o) => new()
    {
        ["OutcomeStatus"] = o.Status,
        ["OutcomeCommitment"] = o.Commitment ?? "",
        ["OutcomeMergedInto"] = o.MergedInto ?? "",
        ["OutcomeReason"] = o.Reason ?? "",
        ["OutcomeDecidedAt"] = o.DecidedAt,
    };

    public static Outcome? Read(TableEntity e) =>
        e.GetString("OutcomeStatus") is { Length: > 0 } status
            ? new Outcome(status, NullIfEmpty(e.GetString("OutcomeCommitment")), NullIfEmpty(e.GetString("OutcomeMergedInto")),
                NullIfEmpty(e.GetString("OutcomeReason")), e.GetDateTimeOffset("OutcomeDecidedAt")!.Value.ToUniversalTime())
            : null;

    static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
