namespace Participa.Domain;

/// <summary>The rules of moderation: why something may be reported or hidden, what a decision does, appeals.</summary>
public static class Moderation
{
    /// <summary>The reason categories of reports and decisions; the ids are published in the moderation log.</summary>
    public static readonly IReadOnlyList<Choice> Reasons =
    [
        new("spam", "Spam o publicidad"),
        new("insult", "Insulto o lenguaje ofensivo"),
        new("personal-data", "Datos personales de terceros"),
        new("off-topic", "Fuera de tema"),
        new("other", "Otro motivo"),
    ];

    public const int ReportNoteMax = 1000;
    public const int DecisionNoteMax = 500;
    public const int AppealReasonMax = 1000;

    public static bool IsReason(string? value) => Reasons.Any(r => r.Id == value);

    /// <summary>A reason category, checked; null after adding an error that lists the allowed values.</summary>
    public static string? ValidateReason(Errors errors, string field, string? value, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) errors.Add(field, Localized.Format(Messages.RequiredOneOf, string.Join(", ", Reasons.Select(r => r.Id))));
            return null;
        }
        if (IsReason(value)) return value;
        errors.Add(field, Localized.Format(Messages.OneOf, string.Join(", ", Reasons.Select(r => r.Id))));
        return null;
    }

    public static string Format(ModerationAction action) => action == ModerationAction.Hide ? "hide" : "restore";

    public static string Format(AppealState state) => state switch
    {
        AppealState.Pending => "pending",
        AppealState.Upheld => "upheld",
        AppealState.Overturned => "overturned",
        _ => "none",
    };

    public static AppealState ParseAppeal(string? value) => value switch
    {
        "pending" => AppealState.Pending,
        "upheld" => AppealState.Upheld,
        "overturned" => AppealState.Overturned,
        _ => AppealState.None,
    };

    public static string Format(DecisionEffect effect) => effect switch
    {
        DecisionEffect.Hidden => "hidden",
        DecisionEffect.KeptHidden => "kept-hidden",
        DecisionEffect.Restored => "restored",
        _ => "kept-published",
    };
}

public enum ModerationAction { Hide, Restore }

/// <summary>An appeal's state as the receipt shows it. An item can be appealed once, and only while hidden.</summary>
public enum AppealState { None, Pending, Upheld, Overturned }

/// <summary>What a decision did to the item: hide and restore change it; the "kept" effects only record a review.</summary>
public enum DecisionEffect { Hidden, KeptHidden, Restored, KeptPublished }

public sealed record ReportInput(string? ItemId, string? Reason, string? Note);

/// <summary>A report of an item. Nothing about who reported it is kept; the note is for moderators only.</summary>
public sealed record Report(string Id, string ItemId, string Reason, string? Note, DateTimeOffset ReportedAt)
{
    public static Report? Create(ReportInput input, string id, DateTimeOffset now, Errors errors)
    {
        if (string.IsNullOrWhiteSpace(input.ItemId)) errors.Add("itemId", Messages.Required);
        else if (!Ids.IsValid(input.ItemId)) errors.Add("itemId", Messages.ItemIdFormat);
        var reason = Moderation.ValidateReason(errors, "reason", input.Reason, required: true);
        var note = Text.Optional(errors, "note", input.Note, Moderation.ReportNoteMax, multiline: true);
        return errors.Any ? null : new Report(id, input.ItemId!, reason!, note, now);
    }
}

public sealed record DecisionInput(string? Action, string? ReasonCategory, string? Note);

/// <summary>
/// A moderator's decision. "hide" needs a reason category; on an item already hidden it keeps it hidden (and upholds a
/// pending appeal). "restore" publishes a hidden item (and overturns a pending appeal); on a published item it keeps
/// it published, which dismisses the pending reports. Every decision is recorded and published in the log.
/// </summary>
public sealed record Decision(string Id, string ItemId, ModerationAction Action, string? ReasonCategory, string? Note, DateTimeOffset DecidedAt, string ModeratorId)
{
    public static Decision? Create(DecisionInput input, string itemId, string id, DateTimeOffset now, string moderatorId, Errors errors)
    {
        ModerationAction? action = input.Action switch
        {
            "hide" => ModerationAction.Hide,
            "restore" => ModerationAction.Restore,
            _ => null,
        };
        if (action is null) errors.Add("action", Localized.Format(Messages.OneOf, "hide, restore"));
        var reason = Moderation.ValidateReason(errors, "reasonCategory", input.ReasonCategory, required: action == ModerationAction.Hide);
        var note = Text.Optional(errors, "note", input.Note, Moderation.DecisionNoteMax, multiline: true);
        return errors.Any ? null : new Decision(id, itemId, action!.Value, reason, note, now, moderatorId);
    }

    /// <summary>What this decision does to an item that is hidden or not, with an appeal in the given state.</summary>
    public (DecisionEffect Effect, AppealState Appeal) Apply(bool hidden, AppealState appeal)
    {
        var effect = (Action, hidden) switch
        {
            (ModerationAction.Hide, false) => DecisionEffect.Hidden,
            (ModerationAction.Hide, true) => DecisionEffect.KeptHidden,
            (ModerationAction.Restore, true) => DecisionEffect.Restored,
            _ => DecisionEffect.KeptPublished,
        };
        // The first decision after an appeal resolves it; later decisions leave the resolution as it was.
        var resolved = appeal != AppealState.Pending ? appeal
            : Action == ModerationAction.Restore ? AppealState.Overturned : AppealState.Upheld;
        return (effect, resolved);
    }
}

/// <summary>The appeal code is the secret the author received with the receipt; only the author can appeal.</summary>
public sealed record AppealInput(string? Reason, string? AppealCode = null);

/// <summary>The author's one appeal against hiding, holding only the receipt id. The reason is for moderators only.</summary>
public sealed record Appeal(string Id, string ItemId, string Reason, DateTimeOffset SubmittedAt)
{
    public static Appeal? Create(AppealInput input, string itemId, string id, DateTimeOffset now, Errors errors)
    {
        var reason = Text.Required(errors, "reason", input.Reason, Moderation.AppealReasonMax, multiline: true);
        return reason is null ? null : new Appeal(id, itemId, reason, now);
    }
}
