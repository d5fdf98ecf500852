namespace Participa.Domain;

/// <summary>What a citizen sends. Every field is nullable: the client may omit anything, and validation says what is missing.</summary>
public sealed record ProposalInput : ParticipantFields
{
    public string? Title { get; init; }
    public string? Problem { get; init; }
    public string? ProposedSolution { get; init; }
    public string? Theme { get; init; }
}

/// <summary>A proposal as stored. Its public view never includes the participant's contact or gender and age band.</summary>
public sealed record Proposal(
    string ProcessId,
    string Id,
    string Title,
    string Problem,
    string ProposedSolution,
    string Theme,
    Participant Participant,
    DateTimeOffset SubmittedAt)
{
    public const int TitleMax = 200;
    public const int TextMax = 4000;

    public string Department => Participant.Department!;

    /// <summary>The meeting where a facilitator recorded it; null for a proposal sent online. Not part of the receipt's hash.</summary>
    public string? MeetingId { get; init; }

    /// <summary>
    /// When a facilitator typed it in, for a proposal made at a meeting or on paper: <see cref="SubmittedAt"/> is then
    /// when it was made (the meeting's date), so statistics count it on that day. Null for one sent online. Not in the receipt's hash.
    /// </summary>
    public DateTimeOffset? RecordedAt { get; init; }

    /// <summary>What became of it (Outcomes.cs); null while only received.</summary>
    public Outcome? Outcome { get; init; }

    /// <summary>Validates input against the process; returns the proposal to store, or null with <paramref name="errors"/> filled.</summary>
    public static Proposal? Create(Process process, ProposalInput input, string id, DateTimeOffset now, Errors errors)
    {
        var title = Text.Required(errors, "title", input.Title, TitleMax);
        var problem = Text.Required(errors, "problem", input.Problem, TextMax, multiline: true);
        var solution = Text.Required(errors, "proposedSolution", input.ProposedSolution, TextMax, multiline: true);

        if (string.IsNullOrWhiteSpace(input.Theme))
            errors.Add("theme", Messages.Required);
        else if (process.FindTheme(input.Theme) is null)
            errors.Add("theme", Localized.Format(Messages.ThemeOneOf, string.Join(", ", process.Themes.Select(t => t.Id))));

        var participant = Participant.From(input, errors, departmentRequired: true);
        if (errors.Any) return null;
        return new Proposal(process.Id, id, title!, problem!, solution!, input.Theme!, participant, now);
    }

    /// <summary>The receipt a citizen keeps: the id and a SHA-256 of the canonical public content.</summary>
    public Receipt Receipt() => Domain.Receipt.For(Id,
    [
        ("kind", "proposal"),
        ("processId", ProcessId),
        ("id", Id),
        ("title", Title),
        ("problem", Problem),
        ("proposedSolution", ProposedSolution),
        ("theme", Theme),
        ("submittedAt", Timestamps.Format(SubmittedAt)),
        .. Participant.PublicFields(),
    ]);
}
