namespace Participa.Domain;

public static class Positions
{
    public const string For = "for";
    public const string Against = "against";
    public const string Neutral = "neutral";
    public static readonly IReadOnlyList<string> All = [For, Against, Neutral];
}

public sealed record OpinionInput : ParticipantFields
{
    public string? Position { get; init; }
    public string? Reasons { get; init; }
    /// <summary>The article (section id) the opinion is about; absent for the bill as a whole.</summary>
    public string? Article { get; init; }
}

/// <summary>A citizen's position on a bill, on the whole or on one article of the version they read.</summary>
public sealed record Opinion(
    string ProcessId,
    string Id,
    string DocumentId,
    int Version,
    string? Article,
    string Position,
    string Reasons,
    Participant Participant,
    DateTimeOffset SubmittedAt)
{
    public const int ReasonsMax = 4000;

    /// <summary>When staff typed it in from a paper form (then <see cref="SubmittedAt"/> is the meeting's date); null when sent online.</summary>
    public DateTimeOffset? RecordedAt { get; init; }

    public static Opinion? Create(string processId, Document bill, DocumentVersion version, OpinionInput input, string id, DateTimeOffset now, Errors errors)
    {
        if (string.IsNullOrWhiteSpace(input.Position))
            errors.Add("position", Localized.Format(Messages.RequiredOneOf, string.Join(", ", Positions.All)));
        else if (!Positions.All.Contains(input.Position))
            errors.Add("position", Localized.Format(Messages.OneOf, string.Join(", ", Positions.All)));
        var reasons = Text.Optional(errors, "reasons", input.Reasons, ReasonsMax, multiline: true) ?? "";
        string? article = null;
        if (!string.IsNullOrWhiteSpace(input.Article))
        {
            if (version.FindSection(input.Article) is { } section)
                article = section.Id;
            else
                errors.Add("article", Localized.Format(Messages.BillHasNoArticle, bill.Bill?.Number ?? bill.Id, version.Number, input.Article));
        }
        var participant = Participant.From(input, errors);
        if (errors.Any) return null;
        return new Opinion(processId, id, bill.Id, version.Number, article, input.Position!, reasons, participant, now);
    }

    public Receipt Receipt() => Domain.Receipt.For(Id,
    [
        ("kind", "opinion"),
        ("processId", ProcessId),
        ("id", Id),
        ("documentId", DocumentId),
        ("version", Version.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("article", Article ?? ""),
        ("position", Position),
        ("reasons", Reasons),
        ("submittedAt", Timestamps.Format(SubmittedAt)),
        .. Participant.PublicFields(),
    ]);
}

/// <summary>
/// One participant's support of one proposal. The participant is kept only as a key derived from their token;
/// <paramref name="MintedInBurst"/>: the token was one of many minted from one address in an hour (docs/abuse.md).
/// </summary>
public sealed record Support(string ProcessId, string Id, string ProposalId, string ParticipantKey, DateTimeOffset SubmittedAt, bool MintedInBurst = false)
{
    public Receipt Receipt() => Domain.Receipt.For(Id,
    [
        ("kind", "support"),
        ("processId", ProcessId),
        ("id", Id),
        ("proposalId", ProposalId),
        ("submittedAt", Timestamps.Format(SubmittedAt)),
    ]);
}
