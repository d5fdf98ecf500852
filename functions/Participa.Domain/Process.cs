namespace Participa.Domain;

public enum ProcessKind
{
    CoCreation,
    DraftConsultation,
    LegislativeInitiative,
}

/// <summary>What a citizen can send; each phase says which of these it accepts.</summary>
public enum SubmissionKind
{
    Proposal,
    Comment,
    Opinion,
    Support,
}

public sealed record Theme(string Id, string Name);

/// <summary>A stage of a process, open from <see cref="Opens"/> (inclusive) to <see cref="Closes"/> (exclusive).</summary>
public sealed record Phase(string Id, string Name, DateTimeOffset Opens, DateTimeOffset Closes, IReadOnlyList<SubmissionKind> Accepts)
{
    public bool IsOpenAt(DateTimeOffset time) => Opens <= time && time < Closes;
}

/// <summary>
/// Why a submission is refused outside its window: when it opens next, or when it closed. The message is in the
/// reader's language (CurrentUICulture).
/// </summary>
public sealed record ClosedWindow(string Message, DateTimeOffset? OpensAt, DateTimeOffset? ClosedAt);

/// <summary>A participation process: an action-plan co-creation, a consultation on a draft, or a bill.</summary>
public sealed record Process(
    string Id,
    ProcessKind Kind,
    string Title,
    string Organiser,
    string Description,
    IReadOnlyList<Theme> Themes,
    IReadOnlyList<Phase> Phases,
    bool IsSample)
{
    /// <summary>The OGP standard: a draft is open for comment at least two weeks.</summary>
    public static readonly TimeSpan MinimumConsultation = TimeSpan.FromDays(14);

    /// <summary>Ids are URL- and storage-key-safe slugs; anything else cannot name a process.</summary>
    public static bool IsValidId(string? id) => Slug.IsValid(id, 63);

    public Theme? FindTheme(string id) => Themes.FirstOrDefault(t => t.Id == id);

    /// <summary>Null when a phase accepting <paramref name="kind"/> is open at <paramref name="now"/>; otherwise why not.</summary>
    public ClosedWindow? CheckOpen(SubmissionKind kind, DateTimeOffset now)
    {
        var phases = Phases.Where(p => p.Accepts.Contains(kind)).ToList();
        if (phases.Any(p => p.IsOpenAt(now))) return null;
        var what = kind switch
        {
            SubmissionKind.Proposal => Messages.KindProposals,
            SubmissionKind.Comment => Messages.KindComments,
            SubmissionKind.Opinion => Messages.KindOpinions,
            _ => Messages.KindSupports,
        };
        if (phases.Where(p => p.Opens > now).MinBy(p => p.Opens) is { } next)
            return new(Localized.Format(Messages.WindowOpensAt, what, Timestamps.Format(next.Opens), next.Name), next.Opens, null);
        if (phases.Where(p => p.Closes <= now).MaxBy(p => p.Closes) is { } last)
            return new(Localized.Format(Messages.WindowClosedAt, what, Timestamps.Format(last.Closes), last.Name), null, last.Closes);
        return new(Localized.Format(Messages.WindowNever, what), null, null);
    }

    /// <summary>
    /// Checks a process an administrator sets up. A draft consultation open less than two weeks is refused unless
    /// <paramref name="allowShortConsultation"/>, and then accepted with a warning that says so. A phase that closed
    /// before <paramref name="now"/> is accepted (a past process is recorded, or edited, as it was) with a warning: it
    /// takes no submission, which is seldom what someone setting it up meant.
    /// </summary>
    public static IReadOnlyList<string> Validate(Process process, bool allowShortConsultation, Errors errors, DateTimeOffset? now = null)
    {
        var warnings = new List<string>();
        if (!IsValidId(process.Id)) errors.Add("id", Messages.SlugId);
        if (string.IsNullOrWhiteSpace(process.Title)) errors.Add("title", Messages.Required);
        if (process.Themes.Select(t => t.Id).Distinct().Count() != process.Themes.Count) errors.Add("themes", Messages.ThemeIdsUnique);
        foreach (var theme in process.Themes.Where(t => !Slug.IsValid(t.Id, 63)))
            errors.Add("themes", Localized.Format(Messages.ThemeIdInvalid, theme.Id));
        for (var i = 0; i < process.Phases.Count; i++)
        {
            var phase = process.Phases[i];
            if (phase.Closes <= phase.Opens)
            {
                errors.Add($"phases[{i}]", Localized.Format(Messages.PhaseClosesBeforeOpens, phase.Id));
                continue;
            }
            if (now is { } at && phase.Closes <= at)
                warnings.Add(Localized.Format(Messages.PhaseInPast, phase.Id, Timestamps.Format(phase.Closes), Timestamps.Format(at)));
            if (process.Kind == ProcessKind.DraftConsultation && phase.Accepts.Contains(SubmissionKind.Comment)
                     && phase.Closes - phase.Opens < MinimumConsultation)
            {
                var days = (phase.Closes - phase.Opens).TotalDays;
                if (allowShortConsultation)
                    warnings.Add(Localized.Format(Messages.ShortConsultationAccepted, phase.Id, days));
                else
                    errors.Add($"phases[{i}]", Localized.Format(Messages.ShortConsultationRefused, phase.Id, days));
            }
        }
        return warnings;
    }
}

public static class Slug
{
    public static bool IsValid(string? id, int max) =>
        id is { Length: >= 1 } && id.Length <= max && (char.IsAsciiLetterLower(id[0]) || char.IsAsciiDigit(id[0]))
        && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
