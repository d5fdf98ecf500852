namespace Participa.Domain;

public enum DocumentKind
{
    /// <summary>A draft national action plan: commitments with their milestones.</summary>
    ActionPlanDraft,
    /// <summary>A report put to consultation, such as a mid-term self-assessment.</summary>
    Report,
    /// <summary>A bill (iniciativa de ley) in Congress: articles.</summary>
    Bill,
}

/// <summary>
/// An addressable part of a document version: a commitment, a milestone, an article, a chapter. Sections nest
/// through <see cref="ParentId"/> (a milestone's parent is its commitment). <see cref="Attributes"/> carries the
/// structured fields of the kind (for a commitment: leadInstitution, ogpId, start, end; for a milestone:
/// responsible, start, end, status), always as text.
/// </summary>
public sealed record Section(
    string Id,
    string? ParentId,
    string Kind,
    string Number,
    string Title,
    string Text,
    IReadOnlyDictionary<string, string>? Attributes = null);

/// <summary>One line of a version's change log: what changed, where, and at whose proposal (an institution or a table, never a private person).</summary>
public sealed record ChangeLogEntry(string? SectionId, string Summary, string? ProposedBy = null);

/// <summary>What identifies a bill in Congress.</summary>
public sealed record BillInfo(string Number, string Commission, string Status, DateOnly? PresentedOn);

/// <summary>A document as the process lists it; its versions are stored and read separately.</summary>
public sealed record Document(
    string ProcessId,
    string Id,
    DocumentKind Kind,
    string Title,
    BillInfo? Bill,
    int LatestVersion);

/// <summary>
/// One published version. A new version never replaces an old one: both stay readable, and comments stay attached
/// to the version they were made on.
/// </summary>
public sealed record DocumentVersion(
    int Number,
    DateTimeOffset PublishedAt,
    IReadOnlyList<ChangeLogEntry> Changes,
    IReadOnlyList<Section> Sections)
{
    public Section? FindSection(string id) => Sections.FirstOrDefault(s => s.Id == id);
}
