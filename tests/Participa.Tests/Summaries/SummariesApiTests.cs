using System.Net;
using System.Text.Json;
using Participa.Api.Hosting;
using Participa.Tests.Infrastructure;
using Participa.Tests.Statistics;
using static Participa.Tests.Roundtables.MeetingsTests;

namespace Participa.Tests.Summaries;

/// <summary>The facilitators' pull: summaries of a process, a theme and a roundtable, served from the published statistics.</summary>
public class SummariesApiTests
{
    static async Task<(HttpStatusCode Status, string ContentType, string Body)> GetAsync(HttpClient client, string url, string? accept = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        var response = await client.SendAsync(request);
        return (response.StatusCode, response.Content.Headers.ContentType?.ToString() ?? "", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_process_summary_comes_from_the_published_counts_with_titles_read_live()
    {
        var p = await RoundtableStatisticsTests.PopulateAsync();
        await using var _ = p.App;
        using var client = p.App.CreateClient();
        var url = $"/api/processes/{p.Plan.Id}/summary";

        // Nothing published yet: a 404 problem that says so and when to look again; not a 5xx and not zeros.
        foreach (var scope in new[] { url, $"/api/processes/{p.Plan.Id}/themes/ambiente-clima/summary", $"/api/processes/{p.Plan.Id}/meetings/{p.MeetingId}/summary?format=md" })
        {
            var early = await client.GetAsync(scope);
            Assert.Equal(HttpStatusCode.NotFound, early.StatusCode);
            Assert.Equal("application/problem+json", early.Content.Headers.ContentType?.MediaType);
            var problem = await early.ReadJsonAsync();
            Assert.Equal("Statistics not published yet", problem.GetProperty("title").GetString());
            Assert.Contains("PublishStatistics timer publishes them every 5 minutes", problem.GetProperty("detail").GetString());
            Assert.Equal(TimeSpan.FromMinutes(5), early.Headers.RetryAfter?.Delta);
            Assert.True(early.Headers.CacheControl?.NoStore);
        }

        await RoundtableStatisticsTests.RunAsync(p.App);
        // A submission after the run is not in the summary until the next run: nothing is recomputed per request.
        await client.PostAsync($"/api/processes/{p.Plan.Id}/proposals", Http.Json(Http.Proposal(title: "Llegó tarde")));

        var (status, type, body) = await GetAsync(client, url);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("application/json", type);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal("process", json.GetProperty("scope").GetString());
        Assert.Equal(4, json.GetProperty("totals").GetProperty("proposals").GetInt64());
        Assert.Equal(1, json.GetProperty("funnel").GetProperty("adopted").GetInt64());
        var top = json.GetProperty("topProposals");
        Assert.Equal(["Propuesta uno", "Propuesta de la mesa", "Propuesta dos"], top.EnumerateArray().Select(t => t.GetProperty("title").GetString()));
        Assert.Equal(3, top[0].GetProperty("supports").GetInt64());
        var discussed = json.GetProperty("mostDiscussedComments");
        Assert.Equal("Primer comentario", discussed[0].GetProperty("text").GetString());
        Assert.Equal(2, discussed[0].GetProperty("replies").GetInt64());
        Assert.EndsWith($"processes/{p.Plan.Id}/statistics.json", json.GetProperty("source").GetString());

        // A proposal hidden after the run drops out of the list at once; its place is not given to a stale title.
        await RoundtableStatisticsTests.ModerateAsync(client, p.Plan.Id, p.P1, new { action = "hide", reasonCategory = "spam", note = "x" });
        var after = JsonDocument.Parse((await GetAsync(client, url)).Body).RootElement;
        Assert.DoesNotContain(after.GetProperty("topProposals").EnumerateArray(), t => t.GetProperty("id").GetString() == p.P1);

        foreach (var secret in p.PrivateTexts) Assert.DoesNotContain(secret, body);
    }

    [Fact]
    public async Task Theme_and_roundtable_summaries_in_json_csv_and_markdown_protect_small_counts()
    {
        var p = await RoundtableStatisticsTests.PopulateAsync();
        await using var _ = p.App;
        await RoundtableStatisticsTests.RunAsync(p.App);
        using var client = p.App.CreateClient();

        var theme = JsonDocument.Parse((await GetAsync(client, $"/api/processes/{p.Plan.Id}/themes/ambiente-clima/summary")).Body).RootElement;
        Assert.Equal("theme", theme.GetProperty("scope").GetString());
        Assert.Equal(3, theme.GetProperty("totals").GetProperty("proposals").GetInt64());
        Assert.Equal(10, theme.GetProperty("totals").GetProperty("attendance").GetInt64());
        // A theme nothing was counted for is all zeros, not missing.
        var empty = JsonDocument.Parse((await GetAsync(client, $"/api/processes/{p.Plan.Id}/themes/{p.Plan.Themes[^1].Id}/summary")).Body).RootElement;
        Assert.Equal(0, empty.GetProperty("totals").GetProperty("proposals").GetInt64());

        var tableUrl = $"/api/processes/{p.Plan.Id}/meetings/{p.MeetingId}/summary";
        var table = JsonDocument.Parse((await GetAsync(client, tableUrl)).Body).RootElement;
        Assert.Equal("roundtable", table.GetProperty("scope").GetString());
        Assert.Equal("Mesa temática de ambiente", table.GetProperty("title").GetString());
        Assert.Equal("Propuesta de la mesa", table.GetProperty("topProposals")[0].GetProperty("title").GetString());
        var genders = table.GetProperty("breakdowns").GetProperty("attendance-by-gender").EnumerateArray().ToDictionary(r => r.GetProperty("value").GetString()!, r => r.GetProperty("count"));
        Assert.Equal(5, genders["female"].GetInt64());
        Assert.Equal(JsonValueKind.Null, genders["male"].ValueKind);

        // CSV: one long table a spreadsheet opens; a withheld count is an empty cell.
        var (status, type, csv) = await GetAsync(client, tableUrl + "?format=csv");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("text/csv", type);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("\"table\",\"value\",\"label\",\"count\"", lines[0]);
        Assert.Contains("\"attendance-by-gender\",\"female\",\"Mujer\",\"5\"", lines);
        Assert.Contains("\"attendance-by-gender\",\"male\",\"Hombre\",\"\"", lines);
        Assert.Contains($"\"top-proposals\",\"{p.AtTable}\",\"Propuesta de la mesa\",\"2\"", lines);
        Assert.Equal(csv, (await GetAsync(client, tableUrl, "text/csv")).Body);

        // Markdown to hand out.
        var (_, mdType, md) = await GetAsync(client, tableUrl, "text/markdown");
        Assert.StartsWith("text/markdown", mdType);
        Assert.StartsWith("# Mesa temática de ambiente\n", md);
        Assert.Contains("| Mujer | 5 |", md);
        Assert.Contains("| Hombre | menos de 3* |", md);
        Assert.Contains("| Propuesta de la mesa | 2 |", md);

        foreach (var body in new[] { theme.ToString(), table.ToString(), csv, md })
            foreach (var secret in p.PrivateTexts) Assert.DoesNotContain(secret, body);
    }

    [Fact]
    public async Task Comments_on_a_proposal_count_in_its_theme_and_roundtable_and_their_summaries_list_the_most_discussed()
    {
        var p = await RoundtableStatisticsTests.PopulateAsync();
        await using var _ = p.App;
        using var client = p.App.CreateClient();
        var url = $"/api/processes/{p.Plan.Id}";
        async Task<string> CommentAsync(string path, string text, string department) =>
            (await (await client.PostAsync(path, Http.Json(new { text, department }))).ReadJsonAsync()).GetProperty("id").GetString()!;
        // On the table's proposal (theme ambiente-clima): a thread with two replies and a lone comment; on p3 (gobierno-digital): one comment.
        var thread = await CommentAsync($"{url}/proposals/{p.AtTable}/comments", "¿Quién mide la supervivencia?", "peten");
        await CommentAsync($"{url}/comments/{thread}/replies", "El INAB.", "peten");
        await CommentAsync($"{url}/comments/{thread}/replies", "Y las municipalidades.", "izabal");
        await CommentAsync($"{url}/proposals/{p.AtTable}/comments", "De acuerdo.", "peten");
        await CommentAsync($"{url}/proposals/{p.P3}/comments", "Sobre gobierno digital.", "zacapa");
        await RoundtableStatisticsTests.RunAsync(p.App);

        var theme = JsonDocument.Parse((await GetAsync(client, $"{url}/themes/ambiente-clima/summary")).Body).RootElement;
        Assert.Equal(4, theme.GetProperty("totals").GetProperty("comments").GetInt64());
        var departments = theme.GetProperty("breakdowns").GetProperty("comments-by-department").EnumerateArray()
            .ToDictionary(r => r.GetProperty("value").GetString()!, r => r.GetProperty("count").GetInt64());
        Assert.Equal((3L, 1L, 0L), (departments["peten"], departments["izabal"], departments["zacapa"]));
        var discussed = Assert.Single(theme.GetProperty("mostDiscussedComments").EnumerateArray());
        Assert.Equal(("¿Quién mide la supervivencia?", 2L), (discussed.GetProperty("text").GetString(), discussed.GetProperty("replies").GetInt64()));

        var digital = JsonDocument.Parse((await GetAsync(client, $"{url}/themes/gobierno-digital/summary")).Body).RootElement;
        Assert.Equal(1, digital.GetProperty("totals").GetProperty("comments").GetInt64());
        Assert.Empty(digital.GetProperty("mostDiscussedComments").EnumerateArray());

        // At a roundtable, counts of people below 3 are withheld (the lone Izabal comment); the thread is listed with its text.
        var table = JsonDocument.Parse((await GetAsync(client, $"{url}/meetings/{p.MeetingId}/summary")).Body).RootElement;
        Assert.Equal(4, table.GetProperty("totals").GetProperty("comments").GetInt64());
        Assert.Equal(JsonValueKind.Null, table.GetProperty("breakdowns").GetProperty("comments-by-department").EnumerateArray()
            .Single(r => r.GetProperty("value").GetString() == "izabal").GetProperty("count").ValueKind);
        Assert.Equal(thread, table.GetProperty("mostDiscussedComments")[0].GetProperty("id").GetString());
        var md = (await GetAsync(client, $"{url}/meetings/{p.MeetingId}/summary?format=md")).Body;
        Assert.Contains("## Comentarios más conversados", md);
        Assert.Contains("«¿Quién mide la supervivencia?» (2 respuestas)", md);

        // The process counts every comment once, whatever scopes it is in.
        var process = JsonDocument.Parse((await GetAsync(client, $"{url}/summary")).Body).RootElement;
        Assert.Equal(5 + 5, process.GetProperty("totals").GetProperty("comments").GetInt64());
    }

    [Fact]
    public async Task What_citizens_wrote_reaches_a_markdown_summary_as_text_only()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var url = $"/api/processes/{process.Id}";
        var title = MarkdownRendering.Hostile;
        var created = await client.PostAsync($"{url}/proposals", Http.Json(Http.Proposal(title: title)));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var proposal = (await created.ReadJsonAsync()).GetProperty("id").GetString()!;
        var token = (await (await client.PostAsync("/api/participants", null)).ReadJsonAsync()).GetProperty("token").GetString()!;
        var support = new HttpRequestMessage(HttpMethod.Post, $"{url}/proposals/{proposal}/supports");
        support.Headers.Add("Participant-Token", token);
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(support)).StatusCode);
        var text = MarkdownRendering.HostileExtras + "\n# no es un título\n\n| a | b |\n- ni una lista";
        var comment = await client.PostAsync($"{url}/proposals/{proposal}/comments", Http.Json(new { text }));
        Assert.Equal(HttpStatusCode.Created, comment.StatusCode);
        var thread = (await comment.ReadJsonAsync()).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"{url}/comments/{thread}/replies", Http.Json(new { text = "Sí." }))).StatusCode);
        await RoundtableStatisticsTests.RunAsync(app);

        foreach (var summary in new[] { $"{url}/summary?format=md", $"{url}/themes/ambiente-clima/summary?format=md" })
        {
            var (status, _, md) = await GetAsync(client, summary);
            Assert.Equal(HttpStatusCode.OK, status);
            // The title, escaped: HTML's characters as entities, Markdown's behind a backslash.
            const string escaped = "| &lt;script&gt;alert\\(1\\)&lt;/script&gt; &lt;img src\\=x onerror\\=alert\\(1\\)&gt; \\[x\\]\\(javascript\\:alert\\(1\\)\\) "
                            + "\\!\\[i\\]\\(x.png\\) \\*em\\* \\_em\\_ \\*\\*b\\*\\* \\`code\\` a \\| b \\# h \\~\\~del\\~\\~ &lt;\\!-- c --&gt; | 1 |\n";
            Assert.True(md.Contains(escaped, StringComparison.Ordinal), md);
            MarkdownRendering.AssertRendersAsText(md, title, "«" + MarkdownRendering.HostileExtras + " # no es un título  | a | b | - ni una lista»");
        }
    }

    [Fact]
    public async Task Bad_requests_get_problems()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var (meeting, _) = await CreateAsync(client, process.Id);
        await RoundtableStatisticsTests.RunAsync(app);

        foreach (var (url, expected) in new[]
                 {
                     ($"/api/processes/{process.Id}/summary?format=xml", HttpStatusCode.BadRequest),
                     ("/api/processes/no-such-process/summary", HttpStatusCode.NotFound),
                     ("/api/processes/ffffffffffffffffffffffffffffffff/summary", HttpStatusCode.NotFound),
                     ("/api/processes/ffffffffffffffffffffffffffffffff/themes/ambiente-clima/summary", HttpStatusCode.NotFound),
                     ($"/api/processes/ffffffffffffffffffffffffffffffff/meetings/{meeting}/summary", HttpStatusCode.NotFound),
                     ($"/api/processes/{process.Id}/themes/no-such-theme/summary", HttpStatusCode.NotFound),
                     ($"/api/processes/{process.Id}/meetings/not-an-id/summary", HttpStatusCode.NotFound),
                     ($"/api/processes/{process.Id}/meetings/{new string('a', 32)}/summary", HttpStatusCode.NotFound),
                 })
        {
            var response = await client.GetAsync(url);
            Assert.Equal(expected, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            if (url.Contains("/ffff", StringComparison.Ordinal))
                Assert.Equal("There is no process 'ffffffffffffffffffffffffffffffff'.", (await response.ReadJsonAsync()).GetProperty("detail").GetString());
        }
        // A table with nothing counted yet: all zeros.
        var zero = await (await client.GetAsync($"/api/processes/{process.Id}/meetings/{meeting}/summary?format=json")).ReadJsonAsync();
        Assert.Equal(0, zero.GetProperty("totals").GetProperty("attendance").GetInt64());
    }
}
