using System.Text;
using System.Text.Json;
using Participa.Domain;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Domain;

public class OpenDataTests
{
    static readonly DateTimeOffset T = new(2027, 5, 17, 12, 0, 0, TimeSpan.Zero);

    static StatisticsState Sample()
    {
        var state = new StatisticsState();
        state.Apply(new StatRecord(StatKind.Proposal, "1", T, Theme: "educacion-salud-san", Department: "peten", Sector: "citizen"), +1);
        state.Apply(new StatRecord(StatKind.Proposal, "2", T, Theme: "educacion-salud-san", Department: "solola"), +1);
        state.Apply(new StatRecord(StatKind.Proposal, "3", T.AddDays(1), Theme: "ambiente-clima", Department: "peten", Gender: "female"), +1);
        state.Apply(new StatRecord(StatKind.Opinion, "4", T, Department: "izabal", Article: "art-2", Position: "against"), +1);
        state.Apply(new StatRecord(StatKind.Comment, "5", T, DocumentId: "borrador", Version: 2, Section: "c1"), +1);
        return state;
    }

    /// <summary>Every file of a process: the rendered ones and the moderation log, published beside them.</summary>
    static Dictionary<string, PublishedFile> Render(StatisticsState? state = null) =>
        OpenData.Render(SampleData.CoCreation2021, state ?? Sample(), "2027-05-18T12:00:00.000Z", "ab" + new string('0', 62), 5)
            .Append(OpenData.ModerationLog([])).ToDictionary(f => f.Name);

    [Fact]
    public void Markdown_text_escapes_html_and_every_markdown_control_character()
    {
        Assert.Equal("&lt;b&gt;\\*x\\*&lt;/b&gt; \\[a\\]\\(javascript\\:b\\) \\`c\\` \\| \\#d \\~e\\~ &amp;amp; \\\\ \\_u\\_ \\!",
            OpenData.MarkdownText("<b>*x*</b> [a](javascript:b) `c` | #d ~e~ &amp; \\ _u_ !"));
        Assert.Equal("\\\"\\\"c\\\"\\\" \\{\\#i\\} \\$m\\$ \\^s\\^ \\=\\=k\\=\\= \\+\\+i\\+\\+ https\\://x.org WWW\\.x.org", OpenData.MarkdownText("\"\"c\"\" {#i} $m$ ^s^ ==k== ++i++ https://x.org WWW.x.org"));
        Assert.Equal("línea uno  línea dos", OpenData.MarkdownText("línea uno\r\nlínea dos"));
        Assert.Equal("Agua potable en Nebaj 💧, k'iche' — 10.5 %", OpenData.MarkdownText("Agua potable en Nebaj 💧, k'iche' — 10.5 %"));
    }

    [Fact]
    public void An_excerpt_never_cuts_a_character_in_half()
    {
        foreach (var text in new[] { string.Concat(Enumerable.Repeat("🌽", 200)), "a" + string.Concat(Enumerable.Repeat("🌽", 200)) })
        {
            var excerpt = OpenData.Excerpt(text);
            Assert.True(Text.IsWellFormed(excerpt, multiline: false));
            Assert.EndsWith("🌽…", excerpt);
        }
        Assert.Equal(new string('x', 279) + "…", OpenData.Excerpt(new string('x', 281)));
        Assert.Equal(new string('x', 280), OpenData.Excerpt(new string('x', 280)));
    }

    [Fact]
    public void What_someone_wrote_renders_as_text_in_markdown_and_html_summaries()
    {
        var hostile = MarkdownRendering.Hostile + " " + MarkdownRendering.HostileExtras;
        var process = SampleData.CoCreation2021 with { Title = "# " + hostile, Themes = [new("ambiente-clima", "Tema | " + hostile)] };
        var state = new StatisticsState();
        state.Apply(new StatRecord(StatKind.Proposal, "1", T, Theme: "ambiente-clima", Department: "peten"), +1);
        var summary = OpenData.Summarize(process, state.Process, [(StatKind.Proposal, "theme")], process.Id, process.Title, roundtable: false);

        var comment = MarkdownRendering.HostileExtras + "\n# no es un título\n\n- ni una lista";
        var md = OpenData.Markdown(summary, "2027-05-18T12:00:00.000Z", [(new TopProposal("p1", 3), hostile)], [(new DiscussedComment("c1", 2), comment)]);
        MarkdownRendering.AssertRendersAsText(md, "# " + hostile, "Tema | " + hostile, "«" + MarkdownRendering.HostileExtras + " # no es un título  - ni una lista»");
        var topRow = MarkdownRendering.ToHtml(md).Split("<tr>").Single(r => r.Contains("onerror", StringComparison.Ordinal) && r.Contains(">3<", StringComparison.Ordinal));
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(topRow, "<td").Count);

        // The published files: summary.md with the process's and themes' names, summary.html encoded for HTML.
        var files = OpenData.Render(process, state, "2027-05-18T12:00:00.000Z");
        var published = Encoding.UTF8.GetString(files.Single(f => f.Name == "summary.md").Content);
        MarkdownRendering.AssertRendersAsText(published, "# " + hostile, "Tema | " + hostile);
        var html = Encoding.UTF8.GetString(files.Single(f => f.Name == "summary.html").Content);
        foreach (var raw in new[] { "<script", "<img", "<!-- c", "<https" })
            Assert.DoesNotContain(raw, html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("# " + hostile, MarkdownRendering.VisibleText(html));
    }

    [Fact]
    public void Csv_breakdowns_carry_every_known_value_and_the_counts()
    {
        var rows = Rfc4180.Parse(Render()["proposals-by-theme.csv"].Content);

        Assert.Equal(["value", "label", "count"], rows[0]);
        Assert.Equal(SampleData.CoCreation2021.Themes.Count + 1, rows.Count);
        var education = rows.Single(r => r[0] == "educacion-salud-san");
        Assert.Equal("Educación, salud, seguridad alimentaria y nutricional", education[1]);
        Assert.Equal("2", education[2]);
        Assert.Equal("0", rows.Single(r => r[0] == "migracion-pobreza")[2]);
        var departments = Rfc4180.Parse(Render()["proposals-by-department.csv"].Content);
        Assert.Equal(23, departments.Count);
        Assert.Equal(3, departments.Skip(1).Sum(r => int.Parse(r[2], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("1", Rfc4180.Parse(Render()["proposals-by-gender.csv"].Content).Single(r => r[0] == "female")[2]);
        Assert.Equal("2", Rfc4180.Parse(Render()["proposals-by-gender.csv"].Content).Single(r => r[0] == "unstated")[2]);
    }

    [Fact]
    public void The_datapackage_describes_exactly_the_csv_files_published()
    {
        var files = Render();
        var package = JsonDocument.Parse(files["datapackage.json"].Content).RootElement;
        var paths = package.GetProperty("resources").EnumerateArray().Select(r => r.GetProperty("path").GetString()!).Order().ToList();

        Assert.Equal(files.Keys.Where(n => n.EndsWith(".csv", StringComparison.Ordinal)).Order(), paths);
        Assert.Equal("CC-BY-4.0", package.GetProperty("licenses")[0].GetProperty("name").GetString());
        Assert.Equal("2027-05-18T12:00:00.000Z", package.GetProperty("lastUpdated").GetString());
        foreach (var resource in package.GetProperty("resources").EnumerateArray())
        {
            var header = Rfc4180.Parse(files[resource.GetProperty("path").GetString()!].Content)[0];
            Assert.Equal(resource.GetProperty("schema").GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString()!), header);
        }
    }

    [Fact]
    public void Statistics_json_has_totals_articles_sections_and_the_ledger_root()
    {
        var stats = JsonDocument.Parse(Render()["statistics.json"].Content).RootElement;
        Assert.Equal(3, stats.GetProperty("totals").GetProperty("proposals").GetInt64());
        Assert.Equal(1, stats.GetProperty("totals").GetProperty("opinions").GetInt64());
        Assert.Equal(1, stats.GetProperty("positionsPerArticle")[0].GetProperty("positions").GetProperty("against").GetInt64());
        Assert.Equal("c1", stats.GetProperty("commentsPerSection")[0].GetProperty("section").GetString());
        Assert.Equal(5, stats.GetProperty("ledger").GetProperty("receipts").GetInt64());
    }

    [Fact]
    public void The_same_counts_render_the_same_bytes()
    {
        var a = Render();
        var b = Render(Sample());
        foreach (var (name, file) in a)
            Assert.True(file.Content.AsSpan().SequenceEqual(b[name].Content), name);
    }

    [Fact]
    public void The_html_summary_is_in_spanish_with_labelled_charts_and_escaped_text()
    {
        var process = SampleData.CoCreation2021 with { Title = "Consulta <b>\"especial\"</b> & más" };
        var html = Encoding.UTF8.GetString(OpenData.Render(process, Sample(), null).Single(f => f.Name == "summary.html").Content);

        Assert.Contains("<html lang=\"es\">", html);
        Assert.DoesNotContain("<b>\"especial\"", html);
        Assert.Contains("Consulta &lt;b&gt;", html);
        Assert.Contains("role=\"img\"", html);
        Assert.Contains("<title id=\"proposals-by-theme-t\">Propuestas por tema</title>", html);
        Assert.Contains("Ambiente y cambio climático: 1", html);
        Assert.Equal(html.Split("<section>").Length, html.Split("</section>").Length);
    }

    [Fact]
    public void An_empty_process_still_publishes_its_zero_breakdowns()
    {
        var files = Render(new StatisticsState());
        Assert.Contains("proposals-by-theme.csv", files.Keys);
        Assert.DoesNotContain("positions-per-article.csv", files.Keys);
        Assert.Equal(0, JsonDocument.Parse(files["statistics.json"].Content).RootElement.GetProperty("totals").GetProperty("proposals").GetInt64());
    }
}
