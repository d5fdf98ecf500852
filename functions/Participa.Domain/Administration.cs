namespace Participa.Domain;

public sealed record ThemeInput(string? Id, string? Name);
public sealed record PhaseInput(string? Id, string? Name, DateTimeOffset? Opens, DateTimeOffset? Closes, IReadOnlyList<string>? Accepts);

/// <summary>What an administrator sends to create or replace a process.</summary>
public sealed record ProcessInput(
    string? Id,
    string? Kind,
    string? Title,
    string? Organiser,
    string? Description,
    IReadOnlyList<ThemeInput>? Themes,
    IReadOnlyList<PhaseInput>? Phases,
    bool? AllowShortConsultation)
{
    /// <summary>The names a client sends for each kind (public for the staff form's choices).</summary>
    public static readonly IReadOnlyDictionary<string, ProcessKind> Kinds = new Dictionary<string, ProcessKind>(StringComparer.Ordinal)
    {
        ["coCreation"] = ProcessKind.CoCreation,
        ["draftConsultation"] = ProcessKind.DraftConsultation,
        ["legislativeInitiative"] = ProcessKind.LegislativeInitiative,
    };

    public static readonly IReadOnlyDictionary<string, SubmissionKind> SubmissionKinds = new Dictionary<string, SubmissionKind>(StringComparer.Ordinal)
    {
        ["proposal"] = SubmissionKind.Proposal,
        ["comment"] = SubmissionKind.Comment,
        ["opinion"] = SubmissionKind.Opinion,
        ["support"] = SubmissionKind.Support,
    };

    /// <summary>
    /// The process, with warnings to show the administrator, or null with <paramref name="errors"/> filled. With
    /// <paramref name="now"/>, a phase that closed before it is warned about (<see cref="Process.Validate"/>).
    /// </summary>
    public (Process? Process, IReadOnlyList<string> Warnings) ToProcess(string id, Errors errors, DateTimeOffset? now = null)
    {
        ProcessKind kind = default;
        if (Kind is null || !Kinds.TryGetValue(Kind, out kind))
            errors.Add("kind", Localized.Format(Messages.OneOf, string.Join(", ", Kinds.Keys)));
        var title = Text.Required(errors, "title", Title, 300);
        var organiser = Text.Required(errors, "organiser", Organiser, 300);
        var description = Text.Optional(errors, "description", Description, 10_000, multiline: true) ?? "";

        var themes = new List<Theme>();
        foreach (var (theme, i) in (Themes ?? []).Select((t, i) => (t, i)))
        {
            var name = Text.Required(errors, $"themes[{i}].name", theme?.Name, 300);
            if (!Slug.IsValid(theme?.Id, 63)) errors.Add($"themes[{i}].id", Messages.SlugId);
            else if (name is not null) themes.Add(new Theme(theme!.Id!, name));
        }
        if (themes.Count > 50) errors.Add("themes", Localized.Format(Messages.MaxThemes, 50));

        var phases = new List<Phase>();
        foreach (var (phase, i) in (Phases ?? []).Select((p, i) => (p, i)))
        {
            var field = $"phases[{i}]";
            var name = Text.Required(errors, $"{field}.name", phase?.Name, 200);
            if (!Slug.IsValid(phase?.Id, 63)) errors.Add($"{field}.id", Messages.SlugId);
            if (phase?.Opens is null) errors.Add($"{field}.opens", Messages.DateRequiredUtc);
            else if (!Timestamps.IsStorable(phase.Opens.Value)) errors.Add($"{field}.opens", Messages.DateOutOfRange);
            if (phase?.Closes is null) errors.Add($"{field}.closes", Messages.DateRequiredUtc);
            else if (!Timestamps.IsStorable(phase.Closes.Value)) errors.Add($"{field}.closes", Messages.DateOutOfRange);
            var accepts = new List<SubmissionKind>();
            foreach (var a in phase?.Accepts ?? [])
                if (a is not null && SubmissionKinds.TryGetValue(a, out var k)) accepts.Add(k);
                else errors.Add($"{field}.accepts", Localized.Format(Messages.PhaseAcceptsAnyOf, string.Join(", ", SubmissionKinds.Keys)));
            if (accepts.Count == 0) errors.Add($"{field}.accepts", Messages.PhaseAcceptsNone);
            if (name is not null && phase!.Opens is { } opens && phase.Closes is { } closes && Slug.IsValid(phase.Id, 63))
                phases.Add(new Phase(phase.Id!, name, opens.ToUniversalTime(), closes.ToUniversalTime(), accepts.Distinct().ToList()));
        }
        if (phases.Count > 20) errors.Add("phases", Localized.Format(Messages.MaxPhases, 20));
        if (phases.Select(p => p.Id).Distinct().Count() != phases.Count) errors.Add("phases", Messages.PhaseIdsUnique);

        if (errors.Any) return (null, []);
        var process = new Process(id, kind, title!, organiser!, description, themes, phases, IsSample: false);
        var warnings = Process.Validate(process, AllowShortConsultation ?? false, errors, now);
        return errors.Any ? (null, []) : (process, warnings);
    }
}

public sealed record SectionInput(string? Id, string? ParentId, string? Kind, string? Number, string? Title, string? Text, IReadOnlyDictionary<string, string>? Attributes);
public sealed record ChangeInput(string? SectionId, string? Summary, string? ProposedBy);
public sealed record BillInput(string? Number, string? Commission, string? Status, DateOnly? PresentedOn);

/// <summary>A new document (its first version) or a new version of one.</summary>
public sealed record DocumentInput(string? Id, string? Kind, string? Title, BillInput? Bill, IReadOnlyList<SectionInput>? Sections, IReadOnlyList<ChangeInput>? Changes)
{
    public const int MaxSections = 2000;
    public const int SectionTextMax = 10_000;

    public static readonly IReadOnlyDictionary<string, DocumentKind> Kinds = new Dictionary<string, DocumentKind>(StringComparer.Ordinal)
    {
        ["actionPlanDraft"] = DocumentKind.ActionPlanDraft,
        ["report"] = DocumentKind.Report,
        ["bill"] = DocumentKind.Bill,
    };

    public Document? ToDocument(string processId, Errors errors)
    {
        if (!Slug.IsValid(Id, 63)) errors.Add("id", Messages.SlugId);
        DocumentKind kind = default;
        if (Kind is null || !Kinds.TryGetValue(Kind, out kind)) errors.Add("kind", Localized.Format(Messages.OneOf, string.Join(", ", Kinds.Keys)));
        var title = Text.Required(errors, "title", Title, 300);
        var bill = ToBill(kind, errors);
        return errors.Any ? null : new Document(processId, Id!, kind, title!, bill, 0);
    }

    public BillInfo? ToBill(DocumentKind kind, Errors errors)
    {
        if (kind != DocumentKind.Bill)
        {
            if (Bill is not null) errors.Add("bill", Messages.BillDetailsOnlyForBill);
            return null;
        }
        var number = Text.Required(errors, "bill.number", Bill?.Number, 20);
        var commission = Text.Required(errors, "bill.commission", Bill?.Commission, 300);
        var status = Text.Required(errors, "bill.status", Bill?.Status, 100);
        if (Bill?.PresentedOn is { } presented && !Timestamps.IsStorable(presented))
            errors.Add("bill.presentedOn", Messages.DateOutOfRange);
        return errors.Any ? null : new BillInfo(number!, commission!, status!, Bill!.PresentedOn);
    }

    /// <summary>
    /// The version to publish as number <paramref name="number"/>. A change-log entry may name a section of the new
    /// version or of <paramref name="previous"/> (a removed section).
    /// </summary>
    public DocumentVersion? ToVersion(int number, DocumentVersion? previous, DateTimeOffset now, Errors errors)
    {
        var sections = new List<Section>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (Sections is not { Count: > 0 }) errors.Add("sections", Messages.SectionsRequired);
        else if (Sections.Count > MaxSections) errors.Add("sections", Localized.Format(Messages.MaxSections, MaxSections));
        foreach (var (s, i) in (Sections ?? []).Take(MaxSections).Select((s, i) => (s, i)))
        {
            var field = $"sections[{i}]";
            if (!Slug.IsValid(s?.Id, 63)) { errors.Add($"{field}.id", Messages.SlugId); continue; }
            if (!seen.Add(s!.Id!)) errors.Add($"{field}.id", Localized.Format(Messages.SectionIdTwice, s.Id));
            if (s.ParentId is not null && !seen.Contains(s.ParentId))
                errors.Add($"{field}.parentId", Localized.Format(Messages.SectionParentEarlier, s.ParentId));
            var kind = Text.Required(errors, $"{field}.kind", s.Kind, 40);
            var sectionNumber = Text.Optional(errors, $"{field}.number", s.Number, 20) ?? "";
            var title = Text.Optional(errors, $"{field}.title", s.Title, 300) ?? "";
            var text = Text.Optional(errors, $"{field}.text", s.Text, SectionTextMax, multiline: true) ?? "";
            if (s.Attributes is { Count: > 20 }) errors.Add($"{field}.attributes", Localized.Format(Messages.MaxAttributes, 20));
            foreach (var (key, value) in s.Attributes ?? new Dictionary<string, string>())
            {
                if (key.Length is 0 or > 40 || !key.All(char.IsAsciiLetterOrDigit)) errors.Add($"{field}.attributes", Localized.Format(Messages.AttributeName, key));
                Text.Optional(errors, $"{field}.attributes.{key}", value, 500);
            }
            if (kind is not null)
                sections.Add(new Section(s.Id!, s.ParentId, kind, sectionNumber, title, text, s.Attributes is { Count: > 0 } ? new Dictionary<string, string>(s.Attributes) : null));
        }

        var changes = new List<ChangeLogEntry>();
        if (number > 1 && Changes is not { Count: > 0 }) errors.Add("changes", Messages.ChangeLogRequired);
        foreach (var (c, i) in (Changes ?? []).Select((c, i) => (c, i)))
        {
            var summary = Text.Required(errors, $"changes[{i}].summary", c?.Summary, 1000);
            var by = Text.Optional(errors, $"changes[{i}].proposedBy", c?.ProposedBy, 200);
            if (c?.SectionId is { } sectionId && !seen.Contains(sectionId) && previous?.FindSection(sectionId) is null)
                errors.Add($"changes[{i}].sectionId", Localized.Format(Messages.ChangeSectionUnknown, sectionId));
            if (summary is not null) changes.Add(new ChangeLogEntry(c!.SectionId, summary, by));
        }
        return errors.Any ? null : new DocumentVersion(number, now, changes, sections);
    }
}
