namespace Participa.Domain;

public enum CommentTargetKind
{
    /// <summary>A section of a document version: a commitment, a milestone, an article.</summary>
    Section,
    /// <summary>A document version as a whole: the draft plan, the report, the bill.</summary>
    Document,
    Proposal,
}

/// <summary>What a comment is about. <see cref="Key"/> is its stable text form, used in storage and receipts.</summary>
public sealed record CommentTarget(CommentTargetKind Kind, string? DocumentId = null, int Version = 0, string? SectionId = null, string? ProposalId = null)
{
    public string Key => Kind switch
    {
        CommentTargetKind.Section => $"s:{DocumentId}:{Version}:{SectionId}",
        CommentTargetKind.Document => $"d:{DocumentId}:{Version}",
        _ => $"p:{ProposalId}",
    };

    public static CommentTarget? Parse(string key)
    {
        var parts = key.Split(':');
        return parts switch
        {
            ["s", var d, var v, var s] when int.TryParse(v, out var n) => new(CommentTargetKind.Section, d, n, s),
            ["d", var d, var v] when int.TryParse(v, out var n) => new(CommentTargetKind.Document, d, n),
            ["p", var p] => new(CommentTargetKind.Proposal, ProposalId: p),
            _ => null,
        };
    }
}

public sealed record CommentInput : ParticipantFields
{
    public string? Text { get; init; }
}

/// <summary>
/// A comment, or a reply in a thread. A thread is its root comment and every reply under it; replies nest through
/// <see cref="ParentId"/> up to <see cref="MaxDepth"/> levels, and all carry the root's id and target.
/// </summary>
public sealed record Comment(
    string ProcessId,
    string Id,
    CommentTarget Target,
    string? ParentId,
    string RootId,
    int Depth,
    string Text,
    Participant Participant,
    DateTimeOffset SubmittedAt)
{
    public const int TextMax = 4000;
    public const int MaxDepth = 4;

    /// <summary>A new comment on <paramref name="target"/>, or a reply to <paramref name="parent"/> (same target).</summary>
    public static Comment? Create(string processId, CommentTarget target, Comment? parent, CommentInput input, string id, DateTimeOffset now, Errors errors)
    {
        if (parent is not null && parent.Depth >= MaxDepth)
            errors.Add("parentId", Localized.Format(Messages.ReplyTooDeep, MaxDepth));
        var text = Domain.Text.Required(errors, "text", input.Text, TextMax, multiline: true);
        var participant = Participant.From(input, errors);
        if (errors.Any) return null;
        return new Comment(processId, id, parent?.Target ?? target, parent?.Id, parent?.RootId ?? id, parent is null ? 0 : parent.Depth + 1,
            text!, participant, now);
    }

    public Receipt Receipt() => Domain.Receipt.For(Id,
    [
        ("kind", "comment"),
        ("processId", ProcessId),
        ("id", Id),
        ("target", Target.Key),
        ("parentId", ParentId ?? ""),
        ("text", Text),
        ("submittedAt", Timestamps.Format(SubmittedAt)),
        .. Participant.PublicFields(),
    ]);
}
