namespace Participa.Domain;

/// <summary>A proposal's path: received, then under review, then adopted into a commitment, merged into another proposal, or not adopted.</summary>
public static class OutcomeStatus
{
    /// <summary>No decision yet. Never stored: it is the absence of an outcome.</summary>
    public const string Received = "received";
    public const string UnderReview = "under-review";
    public const string Adopted = "adopted";
    public const string Merged = "merged";
    public const string NotAdopted = "not-adopted";
    public static readonly IReadOnlyList<string> Settable = [UnderReview, Adopted, Merged, NotAdopted];
}

public sealed record OutcomeInput
{
    public string? Status { get; init; }
    public string? Commitment { get; init; }
    public string? MergedInto { get; init; }
    public string? Reason { get; init; }
}

/// <summary>
/// What became of a proposal, public on the proposal and its receipt. Every decision (adopted, merged, not adopted)
/// carries a public reason: that is what makes "88 proposals became 22 commitments" checkable.
/// </summary>
public sealed record Outcome(string Status, string? Commitment, string? MergedInto, string? Reason, DateTimeOffset DecidedAt)
{
    public const int ReasonMax = 2000;
    /// <summary>How far a merge chain is followed; a longer one is refused rather than walked without end.</summary>
    public const int ChainMax = 50;

    /// <summary>
    /// Checks the shape of a decision. Whether the commitment exists, the target proposal exists and no cycle forms
    /// depends on stored state, and is checked by the caller.
    /// </summary>
    public static Outcome? Create(OutcomeInput input, string proposalId, DateTimeOffset now, Errors errors)
    {
        if (string.IsNullOrWhiteSpace(input.Status) || !OutcomeStatus.Settable.Contains(input.Status))
        {
            errors.Add("status", Localized.Format(Messages.OneOf, string.Join(", ", OutcomeStatus.Settable)));
            return null;
        }
        var reason = Text.Optional(errors, "reason", input.Reason, ReasonMax, multiline: true);
        if (reason is null && input.Status != OutcomeStatus.UnderReview && string.IsNullOrWhiteSpace(input.Reason))
            errors.Add("reason", Messages.OutcomeReasonRequired);

        string? commitment = null, mergedInto = null;
        if (input.Status == OutcomeStatus.Adopted)
        {
            if (string.IsNullOrWhiteSpace(input.Commitment)) errors.Add("commitment", Messages.CommitmentRequired);
            else if (!Slug.IsValid(input.Commitment, 63)) errors.Add("commitment", Messages.CommitmentFormat);
            else commitment = input.Commitment;
        }
        else if (input.Commitment is not null)
            errors.Add("commitment", Localized.Format(Messages.OnlyWithStatus, OutcomeStatus.Adopted));

        if (input.Status == OutcomeStatus.Merged)
        {
            if (string.IsNullOrWhiteSpace(input.MergedInto)) errors.Add("mergedInto", Messages.MergedIntoRequired);
            else if (!Ids.IsValid(input.MergedInto)) errors.Add("mergedInto", Messages.ProposalIdFormat);
            else if (input.MergedInto == proposalId) errors.Add("mergedInto", Messages.MergeIntoItself);
            else mergedInto = input.MergedInto;
        }
        else if (input.MergedInto is not null)
            errors.Add("mergedInto", Localized.Format(Messages.OnlyWithStatus, OutcomeStatus.Merged));

        return errors.Any ? null : new Outcome(input.Status, commitment, mergedInto, reason, now);
    }
}

/// <summary>The public funnel of a process's proposals. Every published proposal counts once in <see cref="Received"/> and once in exactly one stage.</summary>
public sealed record Funnel(long Received, long Pending, long UnderReview, long Adopted, long Merged, long NotAdopted)
{
    public static Funnel From(IEnumerable<string?> statuses)
    {
        long received = 0, pending = 0, review = 0, adopted = 0, merged = 0, notAdopted = 0;
        foreach (var status in statuses)
        {
            received++;
            switch (status)
            {
                case OutcomeStatus.UnderReview: review++; break;
                case OutcomeStatus.Adopted: adopted++; break;
                case OutcomeStatus.Merged: merged++; break;
                case OutcomeStatus.NotAdopted: notAdopted++; break;
                default: pending++; break;
            }
        }
        return new(received, pending, review, adopted, merged, notAdopted);
    }

    /// <summary>The same funnel from a scope's counts (the statistics timer's), where each proposal counts under its current outcome.</summary>
    public static Funnel From(Tally tally)
    {
        var stages = tally.Breakdown(StatKind.Proposal, "outcome");
        return new(tally.Total(StatKind.Proposal), stages.GetValueOrDefault(OutcomeStatus.Received), stages.GetValueOrDefault(OutcomeStatus.UnderReview),
            stages.GetValueOrDefault(OutcomeStatus.Adopted), stages.GetValueOrDefault(OutcomeStatus.Merged), stages.GetValueOrDefault(OutcomeStatus.NotAdopted));
    }
}
