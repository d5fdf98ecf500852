using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Participa.Domain;

/// <summary>A file of a process's published results: its name under processes/{id}/, media type and bytes.</summary>
public sealed record PublishedFile(string Name, string ContentType, byte[] Content);

/// <summary>One row of a breakdown: the value's id, a label people read, and the count (null when withheld, see <see cref="Disclosure"/>).</summary>
public sealed record BreakdownRow(string Value, string Label, long? Count);

public sealed record TopProposal(string Id, long Supports);

public sealed record DiscussedComment(string Id, long Replies);

/// <summary>
/// The published counts of one scope (the process, a theme or a roundtable): what statistics.json holds for it and
/// what the facilitators' summaries are served from.
/// </summary>
public sealed record ScopeSummary(
    string? Id,
    string? Title,
    IReadOnlyDictionary<string, long> Totals,
    IReadOnlyDictionary<string, IReadOnlyList<BreakdownRow>> Breakdowns,
    Funnel Funnel,
    IReadOnlyList<TopProposal> TopProposals,
    IReadOnlyList<DiscussedComment> MostDiscussedComments);

/// <summary>A decision as the public moderation log shows it: never the content, never the moderator.</summary>
public sealed record ModerationLogEntry(string Id, DateTimeOffset DecidedAt, string ItemId, string ItemKind, string Action, string Effect,
    string? ReasonCategory, string? Note, string? AppealResolution);

/// <summary>
/// Renders a process's statistics as open data: statistics.json, a CSV per breakdown described by a Frictionless
/// datapackage.json (CC BY 4.0), and summary.md / summary.html with accessible SVG charts. The input holds only
/// counts, so nothing personal can reach these files. The output depends only on the counts and
/// <paramref name="lastUpdated"/> (the newest change counted), so an unchanged process renders identical bytes.
/// </summary>
public static class OpenData
{
    public const string Licence = "CC-BY-4.0";
    public const string StatisticsFile = "statistics.json";
    public const string ModerationLogFile = "moderation-log.csv";
    public const int TopCount = 20;
    static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    // Escapes what HTML needs (<, >, &, quotes) and leaves Spanish and Mayan letters readable.
    static readonly HtmlEncoder Html = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The tables of the whole process. Counts of submissions, attendance and moderation; the day tables are Guatemala days.</summary>
    static readonly (StatKind Kind, string Dimension)[] ProcessTables =
    [
        (StatKind.Proposal, "theme"), (StatKind.Proposal, "department"), (StatKind.Proposal, "sector"), (StatKind.Proposal, "gender"), (StatKind.Proposal, "ageBand"), (StatKind.Proposal, "day"),
        (StatKind.Proposal, "outcome"),
        (StatKind.Comment, "department"), (StatKind.Comment, "sector"), (StatKind.Comment, "gender"), (StatKind.Comment, "ageBand"), (StatKind.Comment, "day"),
        (StatKind.Opinion, "department"), (StatKind.Opinion, "sector"), (StatKind.Opinion, "gender"), (StatKind.Opinion, "ageBand"), (StatKind.Opinion, "day"),
        (StatKind.Support, "day"),
        (StatKind.Attendance, "sector"), (StatKind.Attendance, "gender"), (StatKind.Attendance, "department"),
        (StatKind.Report, "reason"), (StatKind.Decision, "effect"), (StatKind.Decision, "reason"),
    ];

    /// <summary>The tables of a theme or a roundtable (comments there are those on its proposals).</summary>
    static readonly (StatKind Kind, string Dimension)[] ScopeTables =
    [
        (StatKind.Proposal, "department"), (StatKind.Proposal, "sector"), (StatKind.Proposal, "gender"), (StatKind.Proposal, "ageBand"), (StatKind.Proposal, "outcome"),
        (StatKind.Comment, "department"), (StatKind.Comment, "sector"), (StatKind.Comment, "gender"), (StatKind.Comment, "ageBand"),
        (StatKind.Attendance, "sector"), (StatKind.Attendance, "gender"), (StatKind.Attendance, "department"),
    ];

    static readonly StatKind[] Always = [StatKind.Proposal];

    public static IReadOnlyList<PublishedFile> Render(Process process, StatisticsState state, string? lastUpdated, string? ledgerRoot = null, long ledgerSize = 0)
    {
        var files = new List<PublishedFile>();
        var resources = new List<object>();
        var whole = Summarize(process, state.Process, ProcessTables, process.Id, process.Title, roundtable: false);

        foreach (var (name, rows) in whole.Breakdowns)
        {
            files.Add(Csv(name + ".csv", ["value", "label", "count"], rows.Select(r => new[] { r.Value, r.Label, Number(r.Count) })));
            resources.Add(Resource(name, [("value", "string"), ("label", "string"), ("count", "integer")]));
        }

        var sections = state.CommentsPerSection.Select(kv => kv.Key.Split('/')).Select(p => new[] { p[0], p[1], p[2] })
            .Zip(state.CommentsPerSection.Values, (p, count) => new[] { p[0], p[1], p[2], Number(count) }).ToList();
        if (sections.Count > 0)
        {
            files.Add(Csv("comments-per-section.csv", ["document", "version", "section", "count"], sections));
            resources.Add(Resource("comments-per-section", [("document", "string"), ("version", "string"), ("section", "string"), ("count", "integer")]));
        }

        var articles = state.PositionsPerArticle.Select(kv => new[]
        {
            kv.Key, Number(kv.Value.GetValueOrDefault(Positions.For)), Number(kv.Value.GetValueOrDefault(Positions.Against)),
            Number(kv.Value.GetValueOrDefault(Positions.Neutral)), Number(kv.Value.Values.Sum()),
        }).ToList();
        if (articles.Count > 0)
        {
            files.Add(Csv("positions-per-article.csv", ["article", "for", "against", "neutral", "total"], articles));
            resources.Add(Resource("positions-per-article", [("article", "string"), ("for", "integer"), ("against", "integer"), ("neutral", "integer"), ("total", "integer")]));
        }

        files.Add(Csv("top-proposals.csv", ["proposal", "supports"], whole.TopProposals.Select(p => new[] { p.Id, Number(p.Supports) })));
        resources.Add(Resource("top-proposals", [("proposal", "string"), ("supports", "integer")]));

        var themes = process.Themes.Select(t => Summarize(process, state.Scope(StatisticsState.ThemeScope(t.Id)) ?? new Tally(), ScopeTables, t.Id, t.Name, roundtable: false)).ToList();
        var roundtables = state.Scopes.Where(kv => kv.Key.StartsWith(StatisticsState.MeetingScope(""), StringComparison.Ordinal))
            .Select(kv => Summarize(process, kv.Value, ScopeTables, kv.Key[StatisticsState.MeetingScope("").Length..], null, roundtable: true)).ToList();
        string[] scopedHeader = ["table", "value", "label", "count"];
        files.Add(Csv("themes.csv", ["theme", .. scopedHeader], themes.SelectMany(ScopedRows)));
        resources.Add(Resource("themes", [("theme", "string"), ("table", "string"), ("value", "string"), ("label", "string"), ("count", "integer")]));
        files.Add(Csv("roundtables.csv", ["meeting", .. scopedHeader], roundtables.SelectMany(ScopedRows)));
        resources.Add(Resource("roundtables", [("meeting", "string"), ("table", "string"), ("value", "string"), ("label", "string"), ("count", "integer")]));

        resources.Add(Resource("moderation-log", [("decision", "string"), ("decidedAt", "datetime:" + TimeFormat), ("item", "string"), ("itemKind", "string"), ("action", "string"),
            ("effect", "string"), ("reasonCategory", "string"), ("note", "string"), ("appealResolution", "string")]));

        var statistics = new
        {
            processId = process.Id,
            title = process.Title,
            isSample = process.IsSample,
            licence = Licence,
            lastUpdated,
            minimumCount = Disclosure.MinimumCount,
            totals = whole.Totals,
            breakdowns = whole.Breakdowns,
            funnel = whole.Funnel,
            topProposals = whole.TopProposals,
            mostDiscussedComments = whole.MostDiscussedComments,
            commentsPerSection = sections.Select(s => new { document = s[0], version = s[1], section = s[2], count = long.Parse(s[3], CultureInfo.InvariantCulture) }),
            positionsPerArticle = state.PositionsPerArticle.Select(kv => new { article = kv.Key, positions = kv.Value }),
            themes,
            roundtables,
            ledger = ledgerRoot is null ? null : new { root = ledgerRoot, receipts = ledgerSize, proofs = $"/api/processes/{process.Id}/ledger/proofs/{{receiptId}}" },
        };
        files.Insert(0, new PublishedFile(StatisticsFile, "application/json; charset=utf-8", JsonSerializer.SerializeToUtf8Bytes(statistics, Json)));

        files.Add(new PublishedFile("datapackage.json", "application/json; charset=utf-8", JsonSerializer.SerializeToUtf8Bytes(new
        {
            name = $"participa-{process.Id}",
            title = process.Title,
            description = "Counts computed from the platform's records, and the public moderation log. No personal data: counts of people below "
                          + $"{Disclosure.MinimumCount} in roundtable tables are withheld (empty cells).",
            licenses = new[] { new { name = Licence, path = "https://creativecommons.org/licenses/by/4.0/", title = "Creative Commons Attribution 4.0" } },
            lastUpdated,
            resources,
        }, Json)));

        files.Add(new PublishedFile("summary.md", "text/markdown; charset=utf-8", Utf8.GetBytes(Markdown(whole, lastUpdated, topTitles: null))));
        files.Add(new PublishedFile("summary.html", "text/html; charset=utf-8", Utf8.GetBytes(RenderHtml(whole, lastUpdated))));
        return files;
    }

    /// <summary>The names of every file <see cref="Render"/> and the moderation log publish, for index.json.</summary>
    public static IEnumerable<string> FileNames(IReadOnlyList<PublishedFile> files) => files.Select(f => f.Name).Append(ModerationLogFile);

    /// <summary>
    /// The counts of one scope as published. Attendance tables, and at a roundtable every table about people, go
    /// through <see cref="Disclosure"/>: a roundtable is a small, known room.
    /// </summary>
    public static ScopeSummary Summarize(Process process, Tally tally, IEnumerable<(StatKind Kind, string Dimension)> tables, string? id, string? title, bool roundtable)
    {
        var breakdowns = new Dictionary<string, IReadOnlyList<BreakdownRow>>(StringComparer.Ordinal);
        foreach (var (kind, dimension) in tables)
        {
            // Tables of kinds a scope never had are left out (a bill has no attendance); proposals and every day table always appear.
            if (!Always.Contains(kind) && !(dimension == "day" && kind <= StatKind.Support) && tally.Total(kind) == 0) continue;
            var rows = Rows(process, tally.Breakdown(kind, dimension), dimension, kind);
            var personal = kind == StatKind.Attendance || (roundtable && dimension is "department" or "sector" or "gender" or "ageBand");
            breakdowns[$"{StatisticsState.KindName(kind)}-by-{Kebab(dimension)}"] = personal ? Withhold(rows) : rows;
        }
        var totals = Enum.GetValues<StatKind>().ToDictionary(k => StatisticsState.KindName(k), tally.Total);
        return new ScopeSummary(id, title, totals, breakdowns, Funnel.From(tally),
            tally.TopProposals(TopCount).Select(p => new TopProposal(p.Id, p.Supports)).ToList(),
            tally.MostDiscussed(TopCount).Select(c => new DiscussedComment(c.Id, c.Replies)).ToList());
    }

    /// <summary>A theme or roundtable nothing was counted for: every table at zero.</summary>
    public static ScopeSummary EmptyScope(Process process, string id, bool roundtable) =>
        Summarize(process, new Tally(), ScopeTables, id, null, roundtable);

    static IReadOnlyList<BreakdownRow> Withhold(IReadOnlyList<BreakdownRow> rows)
    {
        var suppressed = Disclosure.Suppressed(rows.Select(r => KeyValuePair.Create(r.Value, r.Count ?? 0)));
        return suppressed.Count == 0 ? rows : rows.Select(r => suppressed.Contains(r.Value) ? r with { Count = null } : r).ToList();
    }

    static IEnumerable<string[]> ScopedRows(ScopeSummary s) =>
        s.Totals.Where(t => t.Value > 0).Select(t => new[] { s.Id!, "totals", t.Key, t.Key, Number(t.Value) })
            .Concat(s.Breakdowns.SelectMany(b => b.Value.Select(r => new[] { s.Id!, b.Key, r.Value, r.Label, Number(r.Count) })))
            .Concat(s.TopProposals.Select(p => new[] { s.Id!, "top-proposals", p.Id, p.Id, Number(p.Supports) }))
            .Concat(s.MostDiscussedComments.Select(c => new[] { s.Id!, "most-discussed-comments", c.Id, c.Id, Number(c.Replies) }));

    static readonly IReadOnlyList<Choice> Outcomes =
    [
        new(OutcomeStatus.Received, "Recibida, sin decisión"), new(OutcomeStatus.UnderReview, "En revisión"), new(OutcomeStatus.Adopted, "Incorporada a un compromiso"),
        new(OutcomeStatus.Merged, "Fusionada con otra propuesta"), new(OutcomeStatus.NotAdopted, "No incorporada"),
    ];

    static readonly IReadOnlyList<Choice> Effects =
    [
        new("hidden", "Ocultado"), new("kept-hidden", "Se mantuvo oculto"), new("restored", "Restaurado"), new("kept-published", "Se mantuvo publicado"),
    ];

    /// <summary>Every known value is listed, zeros included, so readers see where nobody took part; unknown ones follow.</summary>
    static IReadOnlyList<BreakdownRow> Rows(Process process, IReadOnlyDictionary<string, long> counts, string dimension, StatKind kind)
    {
        IEnumerable<(string Id, string Label)> known = dimension switch
        {
            "theme" => process.Themes.Select(t => (t.Id, t.Name)),
            "department" => Departments.All.Select(d => (d.Id, d.Name)),
            "sector" => Profile.Sectors.Select(c => (c.Id, c.Label)),
            "gender" => Profile.Genders.Select(c => (c.Id, c.Label)),
            "ageBand" => Profile.AgeBands.Select(c => (c.Id, c.Label)),
            "outcome" => Outcomes.Select(c => (c.Id, c.Label)),
            "reason" => Moderation.Reasons.Select(c => (c.Id, c.Label)),
            "effect" => Effects.Select(c => (c.Id, c.Label)),
            _ => [],
        };
        var rows = known.Select(k => new BreakdownRow(k.Id, k.Label, counts.GetValueOrDefault(k.Id))).ToList();
        var listed = rows.Select(r => r.Value).ToHashSet(StringComparer.Ordinal);
        rows.AddRange(counts.Where(kv => !listed.Contains(kv.Key)).Select(kv => new BreakdownRow(kv.Key, kv.Key == "unstated" ? "Sin dato" : kv.Key, kv.Value)));
        return rows;
    }

    /// <summary>The public moderation log as CSV: one row per decision, oldest first, without content or moderator.</summary>
    public static PublishedFile ModerationLog(IEnumerable<ModerationLogEntry> entries) =>
        new(ModerationLogFile, "text/csv; charset=utf-8", Utf8.GetBytes(string.Concat(entries.Select(e => Domain.Csv.Line(
        [
            e.Id, Timestamps.Format(e.DecidedAt), e.ItemId, e.ItemKind, e.Action, e.Effect, e.ReasonCategory, e.Note, e.AppealResolution,
        ])).Prepend("decision,decidedAt,item,itemKind,action,effect,reasonCategory,note,appealResolution\r\n"))));

    /// <summary>
    /// How published times are written (<see cref="Timestamps.Format"/>, e.g. 2026-12-02T00:43:02.042Z) in a Table
    /// Schema datetime pattern. The default datetime format has no fractional seconds, so a field of these times must
    /// say so; %f takes the three digits in the Frictionless libraries for JavaScript (as milliseconds) and Python.
    /// </summary>
    public const string TimeFormat = "%Y-%m-%dT%H:%M:%S.%fZ";

    /// <summary>A CSV resource; a field type "type:format" carries a format (otherwise the type's default).</summary>
    static object Resource(string name, (string Name, string Type)[] fields) => new
    {
        name,
        path = name + ".csv",
        format = "csv",
        mediatype = "text/csv",
        encoding = "utf-8",
        schema = new { fields = fields.Select(Field), missingValues = new[] { "" } },
    };

    static Dictionary<string, string> Field((string Name, string Type) field)
    {
        var (type, format) = field.Type.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0 ? (field.Type[..colon], field.Type[(colon + 1)..]) : (field.Type, null);
        var descriptor = new Dictionary<string, string> { ["name"] = field.Name, ["type"] = type };
        if (format is not null) descriptor["format"] = format;
        return descriptor;
    }

    /// <summary>RFC 4180: comma separated, CRLF, fields quoted when they hold a comma, quote or line break.</summary>
    static PublishedFile Csv(string name, string[] header, IEnumerable<string[]> rows)
    {
        var csv = new StringBuilder();
        foreach (var row in rows.Prepend(header))
            csv.Append(string.Join(',', row.Select(Field))).Append("\r\n");
        return new PublishedFile(name, "text/csv; charset=utf-8", Utf8.GetBytes(csv.ToString()));
    }

    static string Field(string value) =>
        value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    /// <summary>A withheld count is an empty cell (the data package's missing value).</summary>
    static string Number(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    static string Kebab(string dimension) => dimension == "ageBand" ? "age-band" : dimension;

    /// <summary>What a withheld count reads as in the summaries.</summary>
    public static readonly string WithheldText = $"menos de {Disclosure.MinimumCount}*";

    static readonly Dictionary<string, string> Headings = new(StringComparer.Ordinal)
    {
        ["proposals-by-outcome"] = "Qué pasó con las propuestas",
        ["proposals-by-theme"] = "Propuestas por tema",
        ["proposals-by-department"] = "Propuestas por departamento",
        ["proposals-by-sector"] = "Propuestas por sector",
        ["proposals-by-gender"] = "Propuestas por género",
        ["proposals-by-age-band"] = "Propuestas por edad",
        ["opinions-by-department"] = "Opiniones por departamento",
        ["comments-by-department"] = "Comentarios por departamento",
        ["attendance-by-sector"] = "Asistencia a las mesas por sector",
        ["attendance-by-gender"] = "Asistencia a las mesas por género",
        ["attendance-by-department"] = "Asistencia a las mesas por departamento",
        ["reports-by-reason"] = "Reportes por motivo",
        ["decisions-by-effect"] = "Decisiones de moderación",
        ["decisions-by-reason"] = "Decisiones de moderación por motivo",
    };

    static readonly (string Kind, string Label)[] TotalLabels =
    [
        ("proposals", "Propuestas"), ("comments", "Comentarios"), ("opinions", "Opiniones"), ("supports", "Apoyos"), ("attendance", "Asistentes a mesas"),
    ];

    static IEnumerable<(string Name, string Heading, IReadOnlyList<BreakdownRow> Rows)> Shown(ScopeSummary s) =>
        Headings.Where(h => s.Breakdowns.ContainsKey(h.Key))
            .Select(h => (h.Key, h.Value, (IReadOnlyList<BreakdownRow>)s.Breakdowns[h.Key].Where(r => r.Count != 0 || h.Key.EndsWith("theme", StringComparison.Ordinal)).ToList()));

    static string Shown(long? count) => count is { } c ? Number(c) : WithheldText;

    static bool AnyWithheld(ScopeSummary s) => s.Breakdowns.Values.Any(rows => rows.Any(r => r.Count is null));

    static string WithheldNote => $"\\* Cifras menores de {Disclosure.MinimumCount} personas se reservan para que nadie sea identificable.";

    /// <summary>
    /// The summary a facilitator hands out. <paramref name="topTitles"/> gives the top proposals' titles when the
    /// caller has them (the pull endpoints do; the published file holds counts only and lists no titles).
    /// </summary>
    public static string Markdown(ScopeSummary s, string? lastUpdated, IReadOnlyList<(TopProposal Proposal, string Title)>? topTitles,
        IReadOnlyList<(DiscussedComment Comment, string? Text)>? discussed = null)
    {
        var md = new StringBuilder();
        md.Append("# ").Append(MarkdownText(s.Title ?? s.Id ?? "")).Append("\n\n");
        md.Append("Datos actualizados: ").Append(lastUpdated ?? "sin participaciones todavía").Append(" (UTC). Licencia CC BY 4.0.\n\n");
        md.Append("| Participación | Total |\n| --- | ---: |\n");
        foreach (var (kind, label) in TotalLabels.Where(t => t.Kind != "attendance" || s.Totals.GetValueOrDefault(t.Kind) > 0))
            md.Append("| ").Append(label).Append(" | ").Append(Number(s.Totals.GetValueOrDefault(kind))).Append(" |\n");
        foreach (var (_, heading, rows) in Shown(s))
        {
            md.Append("\n## ").Append(heading).Append("\n\n| | Cantidad |\n| --- | ---: |\n");
            foreach (var row in rows) md.Append("| ").Append(MarkdownText(row.Label)).Append(" | ").Append(Shown(row.Count)).Append(" |\n");
        }
        if (topTitles is { Count: > 0 })
        {
            md.Append("\n## Propuestas con más apoyos\n\n| Propuesta | Apoyos |\n| --- | ---: |\n");
            foreach (var (p, title) in topTitles) md.Append("| ").Append(MarkdownText(title)).Append(" | ").Append(Number(p.Supports)).Append(" |\n");
        }
        if (discussed is { Count: > 0 })
        {
            md.Append("\n## Comentarios más conversados\n\n");
            foreach (var (c, text) in discussed)
                md.Append("- ").Append(text is null ? "_(comentario oculto por moderación)_" : "«" + MarkdownText(Excerpt(text)) + "»")
                    .Append(" (").Append(Number(c.Replies)).Append(c.Replies == 1 ? " respuesta)\n" : " respuestas)\n");
        }
        if (AnyWithheld(s)) md.Append('\n').Append(WithheldNote).Append('\n');
        return md.ToString();
    }

    /// <summary>
    /// Text someone wrote (a citizen's title or comment, a theme's or a meeting's name), as Markdown that renders as
    /// exactly that text on one line, in a heading, a table cell or a list item: HTML's special characters become
    /// entities (no tag, comment or autolink survives), and every character with a meaning in CommonMark, GitHub
    /// tables or common extensions (links and images, emphasis, code, headings, table cells, strike-through, math,
    /// attributes, citations) is backslash-escaped, as is the ':' of a URL scheme and the '.' of "www.", so no bare
    /// address becomes a link. Line breaks become spaces, so nothing starts a block.
    /// </summary>
    public static string MarkdownText(string text)
    {
        var md = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '&': md.Append("&amp;"); break;
                case '<': md.Append("&lt;"); break;
                case '>': md.Append("&gt;"); break;
                case '\r' or '\n': md.Append(' '); break;
                case '\\' or '`' or '*' or '_' or '[' or ']' or '(' or ')' or '!' or '#' or '|' or '~' or '{' or '}' or '+' or '=' or '^' or '$' or ':' or '"':
                    md.Append('\\').Append(c);
                    break;
                case '.' when i >= 3 && text.AsSpan(i - 3, 3).Equals("www", StringComparison.OrdinalIgnoreCase):
                    md.Append("\\.");
                    break;
                default: md.Append(c); break;
            }
        }
        return md.ToString();
    }

    /// <summary>The first 279 UTF-16 units and an ellipsis, never cutting a surrogate pair in half.</summary>
    public static string Excerpt(string text)
    {
        if (text.Length <= 280) return text;
        var cut = char.IsHighSurrogate(text[278]) ? 278 : 279;
        return text[..cut].TrimEnd() + "…";
    }

    static string RenderHtml(ScopeSummary s, string? lastUpdated)
    {
        string E(string text) => Html.Encode(text);
        var title = s.Title ?? s.Id ?? "";
        var html = new StringBuilder();
        html.Append("<!doctype html>\n<html lang=\"es\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
            .Append(E(title)).Append("</title>\n<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:1rem auto;padding:0 1rem;color:#111}table{border-collapse:collapse}td,th{padding:.2rem .6rem;border-bottom:1px solid #ccc;text-align:left}td.n{text-align:right}</style>\n</head>\n<body>\n<main>\n<h1>")
            .Append(E(title)).Append("</h1>\n<p>Datos actualizados: ").Append(E(lastUpdated ?? "sin participaciones todavía")).Append(" (UTC). Licencia CC BY 4.0.</p>\n<table>\n<caption>Totales</caption>\n");
        foreach (var (kind, label) in TotalLabels.Where(t => t.Kind != "attendance" || s.Totals.GetValueOrDefault(t.Kind) > 0))
            html.Append("<tr><th scope=\"row\">").Append(label).Append("</th><td class=\"n\">").Append(Number(s.Totals.GetValueOrDefault(kind))).Append("</td></tr>\n");
        html.Append("</table>\n");
        foreach (var (name, heading, rows) in Shown(s))
            html.Append("<section>\n<h2>").Append(E(heading)).Append("</h2>\n").Append(BarChart(name, heading, rows)).Append("\n</section>\n");
        if (AnyWithheld(s)) html.Append("<p>").Append(E(WithheldNote.TrimStart('\\'))).Append("</p>\n");
        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>A horizontal bar chart with a title and a text alternative that says every value (a withheld one as such).</summary>
    public static string BarChart(string id, string title, IReadOnlyList<BreakdownRow> rows)
    {
        string E(string s) => Html.Encode(s);
        const int labelWidth = 260, barWidth = 300, rowHeight = 22;
        var max = Math.Max(1, rows.Count == 0 ? 1 : rows.Max(r => r.Count ?? 0));
        var height = Math.Max(1, rows.Count) * rowHeight + 10;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" width=\"{labelWidth + barWidth + 90}\" height=\"{height}\" viewBox=\"0 0 {labelWidth + barWidth + 90} {height}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-t\">{E(title)}</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<desc id=\"{id}-d\">{E(rows.Count == 0 ? "Sin datos." : string.Join("; ", rows.Select(r => $"{r.Label}: {Shown(r.Count)}")) + ".")}</desc>");
        for (var i = 0; i < rows.Count; i++)
        {
            var y = i * rowHeight + 5;
            var width = (int)Math.Round(barWidth * (double)(rows[i].Count ?? 0) / max);
            var label = rows[i].Label.Length > 40 ? rows[i].Label[..39] + "…" : rows[i].Label;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth - 6}\" y=\"{y + 15}\" text-anchor=\"end\" font-size=\"13\">{E(label)}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{labelWidth}\" y=\"{y + 3}\" width=\"{width}\" height=\"{rowHeight - 6}\" fill=\"#1f5f8b\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth + width + 6}\" y=\"{y + 15}\" font-size=\"13\">{E(Shown(rows[i].Count))}</text>");
        }
        return svg.Append("</svg>").ToString();
    }
}
