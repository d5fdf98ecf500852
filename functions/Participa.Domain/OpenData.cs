using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Participa.Domain;

/// <summary>A file of a process's published results: its name under processes/{id}/, media type and bytes.</summary>
public sealed record PublishedFile(string Name, string ContentType, byte[] Content);

/// <summary>One row of a breakdown: the value's id, a label people read, and the count.</summary>
public sealed record BreakdownRow(string Value, string Label, long Count);

/// <summary>
/// Renders a process's statistics as open data: statistics.json, a CSV per breakdown described by a Frictionless
/// datapackage.json (CC BY 4.0), and summary.md / summary.html with accessible SVG charts. The input holds only
/// counts, so nothing personal can reach these files. The output depends only on the counts and
/// <paramref name="lastUpdated"/> (the newest change counted), so an unchanged process renders identical bytes.
/// </summary>
public static class OpenData
{
    public const string Licence = "CC-BY-4.0";
    static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    // Escapes what HTML needs (<, >, &, quotes) and leaves Spanish and Mayan letters readable.
    static readonly HtmlEncoder Html = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    static readonly (StatKind Kind, string Dimension)[] Tables =
    [
        (StatKind.Proposal, "theme"), (StatKind.Proposal, "department"), (StatKind.Proposal, "sector"), (StatKind.Proposal, "gender"), (StatKind.Proposal, "ageBand"), (StatKind.Proposal, "day"),
        (StatKind.Comment, "department"), (StatKind.Comment, "sector"), (StatKind.Comment, "gender"), (StatKind.Comment, "ageBand"), (StatKind.Comment, "day"),
        (StatKind.Opinion, "department"), (StatKind.Opinion, "sector"), (StatKind.Opinion, "gender"), (StatKind.Opinion, "ageBand"), (StatKind.Opinion, "day"),
        (StatKind.Support, "day"),
    ];

    public static IReadOnlyList<PublishedFile> Render(Process process, StatisticsState state, string? lastUpdated, string? ledgerRoot = null, long ledgerSize = 0)
    {
        var files = new List<PublishedFile>();
        var resources = new List<object>();
        var breakdowns = new Dictionary<string, IReadOnlyList<BreakdownRow>>(StringComparer.Ordinal);

        foreach (var (kind, dimension) in Tables)
        {
            var kindName = StatisticsState.KindName(kind);
            if (kind != StatKind.Proposal && dimension != "day" && state.Total(kind) == 0) continue;
            var rows = Rows(process, state, kind, dimension);
            var name = $"{kindName}-by-{Kebab(dimension)}";
            breakdowns[name] = rows;
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

        var totals = Enum.GetValues<StatKind>().ToDictionary(k => StatisticsState.KindName(k), state.Total);
        var statistics = new
        {
            processId = process.Id,
            title = process.Title,
            isSample = process.IsSample,
            licence = Licence,
            lastUpdated,
            totals,
            breakdowns = breakdowns.ToDictionary(kv => kv.Key, kv => kv.Value),
            commentsPerSection = sections.Select(s => new { document = s[0], version = s[1], section = s[2], count = long.Parse(s[3], CultureInfo.InvariantCulture) }),
            positionsPerArticle = state.PositionsPerArticle.Select(kv => new { article = kv.Key, positions = kv.Value }),
            ledger = ledgerRoot is null ? null : new { root = ledgerRoot, receipts = ledgerSize, proofs = $"/api/processes/{process.Id}/ledger/proofs/{{receiptId}}" },
        };
        files.Insert(0, new PublishedFile("statistics.json", "application/json; charset=utf-8", JsonSerializer.SerializeToUtf8Bytes(statistics, Json)));

        files.Add(new PublishedFile("datapackage.json", "application/json; charset=utf-8", JsonSerializer.SerializeToUtf8Bytes(new
        {
            name = $"participa-{process.Id}",
            title = process.Title,
            description = "Counts computed from the platform's records. No personal data: only aggregate counts.",
            licenses = new[] { new { name = Licence, path = "https://creativecommons.org/licenses/by/4.0/", title = "Creative Commons Attribution 4.0" } },
            lastUpdated,
            resources,
        }, Json)));

        files.Add(new PublishedFile("summary.md", "text/markdown; charset=utf-8", Utf8.GetBytes(Markdown(process, totals, breakdowns, lastUpdated))));
        files.Add(new PublishedFile("summary.html", "text/html; charset=utf-8", Utf8.GetBytes(RenderHtml(process, totals, breakdowns, lastUpdated))));
        return files;
    }

    /// <summary>Every known value is listed, zeros included, so readers see where nobody took part; unknown ones follow.</summary>
    static IReadOnlyList<BreakdownRow> Rows(Process process, StatisticsState state, StatKind kind, string dimension)
    {
        var counts = state.Breakdown(kind, dimension);
        IEnumerable<(string Id, string Label)> known = dimension switch
        {
            "theme" => process.Themes.Select(t => (t.Id, t.Name)),
            "department" => Departments.All.Select(d => (d.Id, d.Name)),
            "sector" => Profile.Sectors.Select(c => (c.Id, c.Label)),
            "gender" => Profile.Genders.Select(c => (c.Id, c.Label)),
            "ageBand" => Profile.AgeBands.Select(c => (c.Id, c.Label)),
            _ => [],
        };
        var rows = known.Select(k => new BreakdownRow(k.Id, k.Label, counts.GetValueOrDefault(k.Id))).ToList();
        var listed = rows.Select(r => r.Value).ToHashSet(StringComparer.Ordinal);
        rows.AddRange(counts.Where(kv => !listed.Contains(kv.Key)).Select(kv => new BreakdownRow(kv.Key, kv.Key == "unstated" ? "Sin dato" : kv.Key, kv.Value)));
        return rows;
    }

    static object Resource(string name, (string Name, string Type)[] fields) => new
    {
        name,
        path = name + ".csv",
        format = "csv",
        mediatype = "text/csv",
        encoding = "utf-8",
        schema = new { fields = fields.Select(f => new { name = f.Name, type = f.Type }) },
    };

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

    static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    static string Kebab(string dimension) => dimension == "ageBand" ? "age-band" : dimension;

    static readonly Dictionary<string, string> Headings = new(StringComparer.Ordinal)
    {
        ["proposals-by-theme"] = "Propuestas por tema",
        ["proposals-by-department"] = "Propuestas por departamento",
        ["proposals-by-sector"] = "Propuestas por sector",
        ["proposals-by-gender"] = "Propuestas por género",
        ["proposals-by-age-band"] = "Propuestas por edad",
        ["opinions-by-department"] = "Opiniones por departamento",
        ["comments-by-department"] = "Comentarios por departamento",
    };

    static string Markdown(Process process, Dictionary<string, long> totals, Dictionary<string, IReadOnlyList<BreakdownRow>> breakdowns, string? lastUpdated)
    {
        var md = new StringBuilder();
        md.Append("# ").Append(process.Title).Append("\n\n");
        md.Append("Datos actualizados: ").Append(lastUpdated ?? "sin participaciones todavía").Append(" (UTC). Licencia CC BY 4.0.\n\n");
        md.Append("| Participación | Total |\n| --- | ---: |\n");
        foreach (var (kind, label) in TotalLabels) md.Append("| ").Append(label).Append(" | ").Append(Number(totals[kind])).Append(" |\n");
        foreach (var (name, heading) in Headings.Where(h => breakdowns.ContainsKey(h.Key)))
        {
            md.Append("\n## ").Append(heading).Append("\n\n| | Cantidad |\n| --- | ---: |\n");
            foreach (var row in breakdowns[name].Where(r => r.Count > 0 || name.EndsWith("theme", StringComparison.Ordinal)))
                md.Append("| ").Append(row.Label.Replace("|", "\\|", StringComparison.Ordinal)).Append(" | ").Append(Number(row.Count)).Append(" |\n");
        }
        return md.ToString();
    }

    static readonly (string Kind, string Label)[] TotalLabels = [("proposals", "Propuestas"), ("comments", "Comentarios"), ("opinions", "Opiniones"), ("supports", "Apoyos")];

    static string RenderHtml(Process process, Dictionary<string, long> totals, Dictionary<string, IReadOnlyList<BreakdownRow>> breakdowns, string? lastUpdated)
    {
        string E(string s) => Html.Encode(s);
        var html = new StringBuilder();
        html.Append("<!doctype html>\n<html lang=\"es\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
            .Append(E(process.Title)).Append("</title>\n<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:1rem auto;padding:0 1rem;color:#111}table{border-collapse:collapse}td,th{padding:.2rem .6rem;border-bottom:1px solid #ccc;text-align:left}td.n{text-align:right}</style>\n</head>\n<body>\n<main>\n<h1>")
            .Append(E(process.Title)).Append("</h1>\n<p>Datos actualizados: ").Append(E(lastUpdated ?? "sin participaciones todavía")).Append(" (UTC). Licencia CC BY 4.0.</p>\n<table>\n<caption>Totales</caption>\n");
        foreach (var (kind, label) in TotalLabels)
            html.Append("<tr><th scope=\"row\">").Append(label).Append("</th><td class=\"n\">").Append(Number(totals[kind])).Append("</td></tr>\n");
        html.Append("</table>\n");
        foreach (var (name, heading) in Headings.Where(h => breakdowns.ContainsKey(h.Key)))
        {
            var rows = breakdowns[name].Where(r => r.Count > 0 || name.EndsWith("theme", StringComparison.Ordinal)).ToList();
            html.Append("<section>\n<h2>").Append(E(heading)).Append("</h2>\n").Append(BarChart(name, heading, rows)).Append("\n</section>\n");
        }
        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>A horizontal bar chart with a title and a text alternative that says every value.</summary>
    public static string BarChart(string id, string title, IReadOnlyList<BreakdownRow> rows)
    {
        string E(string s) => Html.Encode(s);
        const int labelWidth = 260, barWidth = 300, rowHeight = 22;
        var max = Math.Max(1, rows.Count == 0 ? 1 : rows.Max(r => r.Count));
        var height = Math.Max(1, rows.Count) * rowHeight + 10;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" width=\"{labelWidth + barWidth + 60}\" height=\"{height}\" viewBox=\"0 0 {labelWidth + barWidth + 60} {height}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-t\">{E(title)}</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<desc id=\"{id}-d\">{E(rows.Count == 0 ? "Sin datos." : string.Join("; ", rows.Select(r => $"{r.Label}: {Number(r.Count)}")) + ".")}</desc>");
        for (var i = 0; i < rows.Count; i++)
        {
            var y = i * rowHeight + 5;
            var width = (int)Math.Round(barWidth * (double)rows[i].Count / max);
            var label = rows[i].Label.Length > 40 ? rows[i].Label[..39] + "…" : rows[i].Label;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth - 6}\" y=\"{y + 15}\" text-anchor=\"end\" font-size=\"13\">{E(label)}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{labelWidth}\" y=\"{y + 3}\" width=\"{width}\" height=\"{rowHeight - 6}\" fill=\"#1f5f8b\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth + width + 6}\" y=\"{y + 15}\" font-size=\"13\">{Number(rows[i].Count)}</text>");
        }
        return svg.Append("</svg>").ToString();
    }
}
