using System.Globalization;

namespace Participa.Domain;

public enum StatKind
{
    Proposal,
    Comment,
    Opinion,
    Support,
}

/// <summary>
/// What one item contributes to a process's statistics: only coarse, aggregate fields, never text or contact. The
/// same record is counted in (+1) when the item is published and out (-1) when it is hidden, so incremental runs and a
/// full recompute agree.
/// </summary>
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
    string? Position = null);

/// <summary>
/// The running counts of one process, as the statistics timer keeps them between runs. Keys are sorted, so the same
/// counts always serialise to the same bytes.
/// </summary>
public sealed class StatisticsState
{
    /// <summary>Guatemala keeps UTC-6 all year (no daylight saving since 2006); days are bucketed in its local time.</summary>
    public static readonly TimeSpan GuatemalaOffset = TimeSpan.FromHours(-6);

    public SortedDictionary<string, long> Totals { get; init; } = new(StringComparer.Ordinal);

    /// <summary>"{kind}/{dimension}" (e.g. "proposals/theme") -> value -> count.</summary>
    public SortedDictionary<string, SortedDictionary<string, long>> Breakdowns { get; init; } = new(StringComparer.Ordinal);

    /// <summary>"{documentId}/{version}/{section}" ("-" for the document as a whole) -> published comments.</summary>
    public SortedDictionary<string, long> CommentsPerSection { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Article ("-" for the bill as a whole) -> position -> opinions.</summary>
    public SortedDictionary<string, SortedDictionary<string, long>> PositionsPerArticle { get; init; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The same counts with ordinal key order. A deserializer builds culture-ordered dictionaries; rendering must not
    /// depend on where the state came from.
    /// </summary>
    public StatisticsState Normalized()
    {
        static SortedDictionary<string, long> Flat(IDictionary<string, long>? d) => new(d ?? new Dictionary<string, long>(), StringComparer.Ordinal);
        static SortedDictionary<string, SortedDictionary<string, long>> Deep(IDictionary<string, SortedDictionary<string, long>>? d) =>
            new((d ?? new Dictionary<string, SortedDictionary<string, long>>()).ToDictionary(kv => kv.Key, kv => Flat(kv.Value)), StringComparer.Ordinal);
        return new StatisticsState
        {
            Totals = Flat(Totals),
            Breakdowns = Deep(Breakdowns),
            CommentsPerSection = Flat(CommentsPerSection),
            PositionsPerArticle = Deep(PositionsPerArticle),
        };
    }

    public static string LocalDay(DateTimeOffset at) =>
        at.ToOffset(GuatemalaOffset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string KindName(StatKind kind) => kind switch
    {
        StatKind.Proposal => "proposals",
        StatKind.Comment => "comments",
        StatKind.Opinion => "opinions",
        _ => "supports",
    };

    public void Apply(StatRecord r, int sign)
    {
        var kind = KindName(r.Kind);
        Add(Totals, kind, sign);
        Count(kind, "day", LocalDay(r.SubmittedAt), sign);
        Count(kind, "theme", r.Theme, sign);
        Count(kind, "department", r.Department, sign);
        Count(kind, "sector", r.Sector, sign);
        Count(kind, "gender", r.Gender, sign);
        Count(kind, "ageBand", r.AgeBand, sign);
        if (r.Kind == StatKind.Comment && r.DocumentId is not null)
            Add(CommentsPerSection, $"{r.DocumentId}/{r.Version?.ToString(CultureInfo.InvariantCulture) ?? "-"}/{r.Section ?? "-"}", sign);
        if (r.Kind == StatKind.Opinion && r.Position is not null)
            AddNested(PositionsPerArticle, r.Article ?? "-", r.Position, sign);
    }

    /// <summary>An unstated value counts as "unstated", so every breakdown sums to its total.</summary>
    void Count(string kind, string dimension, string? value, int sign)
    {
        if (dimension is "theme" && value is null && kind != "proposals") return;
        AddNested(Breakdowns, $"{kind}/{dimension}", value ?? "unstated", sign);
    }

    public long Total(StatKind kind) => Totals.GetValueOrDefault(KindName(kind));

    public IReadOnlyDictionary<string, long> Breakdown(StatKind kind, string dimension) =>
        Breakdowns.TryGetValue($"{KindName(kind)}/{dimension}", out var b) ? b : new SortedDictionary<string, long>();

    static void AddNested(SortedDictionary<string, SortedDictionary<string, long>> map, string key, string innerKey, int sign)
    {
        if (!map.TryGetValue(key, out var inner)) map[key] = inner = new SortedDictionary<string, long>(StringComparer.Ordinal);
        Add(inner, innerKey, sign);
        if (inner.Count == 0) map.Remove(key);
    }

    static void Add(SortedDictionary<string, long> map, string key, int sign)
    {
        var value = map.GetValueOrDefault(key) + sign;
        // A count that returns to zero disappears, so state after +1 -1 equals state before: incremental = full.
        if (value == 0) map.Remove(key);
        else map[key] = value;
    }

    /// <summary>Structural equality, for checking an incremental run against a full recompute.</summary>
    public bool SameCountsAs(StatisticsState other) =>
        Same(Totals, other.Totals) && Same(CommentsPerSection, other.CommentsPerSection)
        && SameNested(Breakdowns, other.Breakdowns) && SameNested(PositionsPerArticle, other.PositionsPerArticle);

    static bool Same(SortedDictionary<string, long> a, SortedDictionary<string, long> b) => a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);

    static bool SameNested(SortedDictionary<string, SortedDictionary<string, long>> a, SortedDictionary<string, SortedDictionary<string, long>> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && Same(kv.Value, v));
}
