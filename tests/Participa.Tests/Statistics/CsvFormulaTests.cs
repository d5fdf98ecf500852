using System.Net;
using Participa.Domain;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Statistics;

/// <summary>
/// CSV injection: a field a spreadsheet would read as a formula gets a leading apostrophe, in every CSV that carries
/// someone's text (the Congress export has its own test in ReviewApiTests).
/// </summary>
public class CsvFormulaTests
{
    // What Excel and LibreOffice start a formula with, and tab and CR, which some of them skip before one.
    public static TheoryData<string> Formulas => new() { "=1+1", "+1+1", "-1+1", "@SUM(A1:A2)", "\t=1+1", "\r=1+1" };

    [Theory]
    [MemberData(nameof(Formulas))]
    public void Each_formula_prefix_is_neutralised(string text) =>
        Assert.Equal("\"'" + text + "\"", Csv.Field(text));

    [Fact]
    public void Ordinary_text_and_numbers_written_by_the_app_are_left_alone()
    {
        Assert.Equal("\"Agua, saneamiento\"", Csv.Field("Agua, saneamiento"));
        Assert.Equal("\"a=b\"", Csv.Field("a=b"));
        Assert.Equal("12", Csv.Number(12));
    }

    [Fact]
    public async Task Titles_comments_and_moderators_notes_reach_the_summary_and_moderation_log_csvs_neutralised()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var url = $"/api/processes/{process.Id}";
        // Citizens' text is trimmed, so tab and CR cannot lead it through the API: the four visible prefixes here.
        string[] titles = ["=HYPERLINK(\"http://x\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)"];
        var ids = new List<string>();
        foreach (var title in titles)
        {
            var created = await client.PostAsync($"{url}/proposals", Http.Json(Http.Proposal(title: title)));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            ids.Add((await created.ReadJsonAsync()).GetProperty("id").GetString()!);
        }
        // Top proposals are the supported ones.
        foreach (var id in ids.Take(2))
        {
            var token = (await (await client.PostAsync("/api/participants", null)).ReadJsonAsync()).GetProperty("token").GetString()!;
            using var support = new HttpRequestMessage(HttpMethod.Post, $"{url}/proposals/{id}/supports");
            support.Headers.Add("Participant-Token", token);
            Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(support)).StatusCode);
        }
        var comment = await client.PostAsync($"{url}/proposals/{ids[0]}/comments", Http.Json(new { text = "=WEBSERVICE(\"http://x\")" }));
        Assert.Equal(HttpStatusCode.Created, comment.StatusCode);
        var thread = (await comment.ReadJsonAsync()).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"{url}/comments/{thread}/replies", Http.Json(new { text = "Sí." }))).StatusCode);
        await RoundtableStatisticsTests.ModerateAsync(client, process.Id, ids[3], new { action = "hide", reasonCategory = "spam", note = "@cmd nota" });
        await RoundtableStatisticsTests.ModerateAsync(client, process.Id, ids[2], new { action = "hide", reasonCategory = "other", note = "-1+1 nota" });
        await RoundtableStatisticsTests.RunAsync(app);

        foreach (var summary in new[] { $"{url}/summary?format=csv", $"{url}/themes/ambiente-clima/summary?format=csv" })
        {
            var rows = Rfc4180.Parse(await client.GetStringAsync(summary));
            var top = rows.Where(r => r[0] == "top-proposals").Select(r => r[2]).ToList();
            Assert.Contains("'" + titles[0], top);
            Assert.Contains("'" + titles[1], top);
            Assert.Contains(rows, r => r[0] == "most-discussed-comments" && r[2].StartsWith("'=WEBSERVICE", StringComparison.Ordinal));
            Assert.DoesNotContain(rows.SelectMany(r => r), field => field.Length > 0 && field[0] is '=' or '+' or '@' || field.StartsWith("-2", StringComparison.Ordinal));
        }

        var log = Rfc4180.Parse((await app.PublishedContainer().GetBlobClient($"processes/{process.Id}/moderation-log.csv").DownloadContentAsync()).Value.Content.ToString());
        var notes = log.Skip(1).Select(r => r[7]).ToList();
        Assert.Equal(["'@cmd nota", "'-1+1 nota"], notes);
    }
}
