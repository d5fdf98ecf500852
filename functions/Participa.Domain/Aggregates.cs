using System.Globalization;

namespace Participa.Domain;

public enum StatKind
{
    Proposal,
    Comment,
    Opinion,
    Support,
    /// <summary>One person registered at a roundtable (only sector, gender and department; never the name).</summary>
    Attendance,
    /// <summary>A report of an item to the moderators, by reason.</summary>
    Report,
    /// <summary>A moderator's decision, by effect and reason category.</summary>
    Decision,
}

/// <summary>
/// What one record contributes to a process's statistics: only coarse, aggregate fields, never text or contact. The
/// same record is counted in (+1) when it appears and out (-1) when it goes (an item hidden, an attendee removed, a
/// proposal's outcome replaced by its next one), so incremental runs and a full recompute agree.
/// </summary>
/// <remarks>
/// An opinion's record also carries its grouping features (<see cref="TextHash"/>, <see cref="Sketch"/> in base64: a
/// hash and a sketch, not its words), so the campaign groups follow the same journal (<see cref="CampaignState"/>).
/// <see cref="Theme"/> and <see cref="Meeting"/> place the record in a theme's and a roundtable's summary as well as the
/// process's: a proposal's own, a support's proposal's, an attendee's meeting's.
/// </remarks>
public sealed record StatRecord(
    StatKind Kind,
    string Id,
    DateTimeOffset SubmittedAt,
    string? Theme = null,
    string? Department = null,
    string? Sector = null,
    string? Gender = null,
    string? AgeBand = null,
    string? DocumentId = null,
    int? Version = null,
    string? Section = null,
    string? Article = null,
    string? Position = null,
    string? Meeting = null,
    string? ProposalId = null,
    string? Outcome = null,
    string? RootId = null,
    string? Reason = null,
    string? Effect = null,
    string? TextHash = null,
    string? Sketch = null);

/// <summary>
/// The counts of one scope: the whole process, one theme, or one roundtable. Keys are sorted, so the same counts always
/// serialise to the same bytes.
/// </summary>
public sealed class Tally
{
    public SortedDictionary<string, long> Totals { get; init; } = new(StringComparer.Ordinal);

    /// <summary>"{kind}/{dimension}" (e.g. "proposals/theme") -> value -> count.</summary>
    public SortedDictionary<string, SortedDictionary<string, long>> Breakdowns { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Proposal id -> supports, whether or not the proposal is published now (a restore brings them back).</summary>
    public SortedDictionary<string, long> Supports { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The published proposals of the scope (id -> 1): the candidates for its top proposals.</summary>
    public SortedDictionary<string, long> Listed { get; init; } = new(StringComparer.Ordinal);

    /// <summary>A thread's first comment -> its published replies: what the most discussed comments are chosen by.</summary>
    public SortedDictionary<string, long> Replies { get; init; } = new(StringComparer.Ordinal);

    public long Total(StatKind kind) => Totals.GetValueOrDefault(StatisticsState.KindName(kind));

    public IReadOnlyDictionary<string, long> Breakdown(StatKind kind, string dimension) =>
        Breakdowns.TryGetValue($"{StatisticsState.KindName(kind)}/{dimension}", out var b) ? b : new SortedDictionary<string, long>();

    /// <summary>Published proposals by supports, most first (ties: oldest first); only those with at least one.</summary>
    public IReadOnlyList<(string Id, long Supports)> TopProposals(int count) =>
        Listed.Keys.Select(id => (Id: id, Supports: Supports.GetValueOrDefault(id))).Where(p => p.Supports > 0)
            .OrderByDescending(p => p.Supports).ThenBy(p => p.Id, StringComparer.Ordinal).Take(count).ToList();

    /// <summary>The most replied-to threads, most first (ties: oldest first).</summary>
    public IReadOnlyList<(string Id, long Replies)> MostDiscussed(int count) =>
        Replies.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(count).Select(kv => (kv.Key, kv.Value)).ToList();

    internal void Apply(StatRecord r, int sign)
    {
        var kind = StatisticsState.KindName(r.Kind);
        Counts.Add(Totals, kind, sign);
        switch (r.Kind)
        {
            case StatKind.Attendance:
                Count(kind, "sector", r.Sector, sign);
                Count(kind, "gender", r.Gender, sign);
                Count(kind, "department", r.Department, sign);
                return;
            case StatKind.Report:
                Count(kind, "reason", r.Reason, sign);
                return;
            case StatKind.Decision:
                Count(kind, "effect", r.Effect, sign);
                // Only decisions that hide (or keep hidden) have a reason category; a restore is counted by effect alone.
                if (r.Reason is not null) Count(kind, "reason", r.Reason, sign);
                return;
        }
        Count(kind, "day", StatisticsState.LocalDay(r.SubmittedAt), sign);
        if (r.Kind == StatKind.Support)
        {
            if (r.ProposalId is not null) Counts.Add(Supports, r.ProposalId, sign);
            return;
        }
        Count(kind, "department", r.Department, sign);
        Count(kind, "sector", r.Sector, sign);
        Count(kind, "gender", r.Gender, sign);
        Count(kind, "ageBand", r.AgeBand, sign);
        if (r.Kind == StatKind.Comment && r.RootId is not null) Counts.Add(Replies, r.RootId, sign);
        if (r.Kind == StatKind.Proposal)
        {
            Count(kind, "theme", r.Theme, sign);
            Count(kind, "outcome", r.Outcome ?? OutcomeStatus.Received, sign);
            Counts.Add(Listed, r.Id, sign);
        }
    }

    /// <summary>An unstated value counts as "unstated", so every breakdown sums to its total.</summary>
    void Count(string kind, string dimension, string? value, int sign) =>
        Counts.AddNested(Breakdowns, $"{kind}/{dimension}", value ?? "unstated", sign);

    internal Tally Normalized() => new()
    {
        Totals = Counts.Flat(Totals),
        Breakdowns = Counts.Deep(Breakdowns),
        Supports = Counts.Flat(Supports),
        Listed = Counts.Flat(Listed),
        Replies = Counts.Flat(Replies),
    };

    internal bool SameCountsAs(Tally other) =>
        Counts.Same(Totals, other.Totals) && Counts.SameNested(Breakdowns, other.Breakdowns)
        && Counts.Same(Supports, other.Supports) && Counts.Same(Listed, other.Listed) && Counts.Same(Replies, other.Replies);
}

/// <summary>
/// The running counts of one process, as the statistics timer keeps them between runs: the process's own tally, one
/// per theme and per roundtable, and the counts only the process as a whole has.
/// </summary>
public sealed class StatisticsState
{
    /// <summary>Guatemala keeps UTC-6 all year (no daylight saving since 2006); days are bucketed in its local time.</summary>
    public static readonly TimeSpan GuatemalaOffset = TimeSpan.FromHours(-6);

    public Tally Process { get; init; } = new();

    /// <summary>"theme/{id}" or "meeting/{id}" -> the tally of the records placed there.</summary>
    public SortedDictionary<string, Tally> Scopes { get; init; } = new(StringComparer.Ordinal);

    /// <summary>"{documentId}/{version}/{section}" ("-" for the document as a whole) -> published comments.</summary>
    public SortedDictionary<string, long> CommentsPerSection { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Article ("-" for the bill as a whole) -> position -> opinions.</summary>
    public SortedDictionary<string, SortedDictionary<string, long>> PositionsPerArticle { get; init; } = new(StringComparer.Ordinal);

    public static string ThemeScope(string theme) => "theme/" + theme;
    public static string MeetingScope(string meeting) => "meeting/" + meeting;

    public Tally? Scope(string key) => Scopes.GetValueOrDefault(key);

    /// <summary>
    /// The same counts with ordinal key order. A deserializer builds culture-ordered dictionaries; rendering must not
    /// depend on where the state came from.
    /// </summary>
    public StatisticsState Normalized() => new()
    {
        Process = (Process ?? new()).Normalized(),
        Scopes = new((Scopes ?? new()).ToDictionary(kv => kv.Key, kv => kv.Value.Normalized()), StringComparer.Ordinal),
        CommentsPerSection = Counts.Flat(CommentsPerSection),
        PositionsPerArticle = Counts.Deep(PositionsPerArticle),
    };

    public static string LocalDay(DateTimeOffset at) =>
        at.ToOffset(GuatemalaOffset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string KindName(StatKind kind) => kind switch
    {
        StatKind.Proposal => "proposals",
        StatKind.Comment => "comments",
        StatKind.Opinion => "opinions",
        StatKind.Support => "supports",
        StatKind.Attendance => "attendance",
        StatKind.Report => "reports",
        _ => "decisions",
    };

    public void Apply(StatRecord r, int sign)
    {
        Process.Apply(r, sign);
        if (r.Theme is not null) ApplyTo(ThemeScope(r.Theme), r, sign);
        if (r.Meeting is not null) ApplyTo(MeetingScope(r.Meeting), r, sign);
        if (r.Kind == StatKind.Comment && r.DocumentId is not null)
            Counts.Add(CommentsPerSection, $"{r.DocumentId}/{r.Version?.ToString(CultureInfo.InvariantCulture) ?? "-"}/{r.Section ?? "-"}", sign);
        if (r.Kind == StatKind.Opinion && r.Position is not null)
            Counts.AddNested(PositionsPerArticle, r.Article ?? "-", r.Position, sign);
    }

    void ApplyTo(string key, StatRecord r, int sign)
    {
        if (!Scopes.TryGetValue(key, out var tally)) Scopes[key] = tally = new Tally();
        tally.Apply(r, sign);
        // A scope whose every count went back to zero disappears, as a zero count does.
        if (tally.Totals.Count == 0 && tally.Supports.Count == 0 && tally.Replies.Count == 0) Scopes.Remove(key);
    }

    public long Total(StatKind kind) => Process.Total(kind);

    public IReadOnlyDictionary<string, long> Breakdown(StatKind kind, string dimension) => Process.Breakdown(kind, dimension);

    /// <summary>Structural equality, for checking an incremental run against a full recompute.</summary>
    public bool SameCountsAs(StatisticsState other) =>
        Process.SameCountsAs(other.Process) && Counts.Same(CommentsPerSection, other.CommentsPerSection)
        && Counts.SameNested(PositionsPerArticle, other.PositionsPerArticle)
        && Scopes.Count == other.Scopes.Count && Scopes.All(kv => other.Scopes.TryGetValue(kv.Key, out var t) && kv.Value.SameCountsAs(t));
}

/// <summary>Sorted count maps where a count that returns to zero disappears, so state after +1 -1 equals state before.</summary>
static class Counts
{
    public static void Add(SortedDictionary<string, long> map, string key, int sign)
    {
        var value = map.GetValueOrDefault(key) + sign;
        if (value == 0) map.Remove(key);
        else map[key] = value;
    }

    public static void AddNested(SortedDictionary<string, SortedDictionary<string, long>> map, string key, string innerKey, int sign)
    {
        if (!map.TryGetValue(key, out var inner)) map[key] = inner = new SortedDictionary<string, long>(StringComparer.Ordinal);
        Add(inner, innerKey, sign);
        if (inner.Count == 0) map.Remove(key);
    }

    public static SortedDictionary<string, long> Flat(IDictionary<string, long>? d) => new(d ?? new Dictionary<string, long>(), StringComparer.Ordinal);

    public static SortedDictionary<string, SortedDictionary<string, long>> Deep(IDictionary<string, SortedDictionary<string, long>>? d) =>
        new((d ?? new Dictionary<string, SortedDictionary<string, long>>()).ToDictionary(kv => kv.Key, kv => Flat(kv.Value)), StringComparer.Ordinal);

    public static bool Same(SortedDictionary<string, long> a, SortedDictionary<string, long> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);

    public static bool SameNested(SortedDictionary<string, SortedDictionary<string, long>> a, SortedDictionary<string, SortedDictionary<string, long>> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && Same(kv.Value, v));
}
