namespace Participa.Domain;

public enum ProcessKind
{
    CoCreation,
    DraftConsultation,
    LegislativeInitiative,
}

public sealed record Theme(string Id, string Name);

/// <summary>A stage of a process; submissions are accepted only while one is open (enforced by the participation core).</summary>
public sealed record Phase(string Id, string Name, DateTimeOffset Opens, DateTimeOffset Closes);

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
    /// <summary>Ids are URL- and storage-key-safe slugs; anything else cannot name a process.</summary>
    public static bool IsValidId(string? id) =>
        id is { Length: >= 1 and <= 63 } && char.IsAsciiLetterLower(id[0]) | char.IsAsciiDigit(id[0])
        && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    public Theme? FindTheme(string id) => Themes.FirstOrDefault(t => t.Id == id);
}
