using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Participa.Api.Features.Statistics;
using Participa.Api.Hosting;
using Participa.Domain;
using Participa.Storage;
using Participa.Tests.Infrastructure;
using static Participa.Tests.Roundtables.MeetingsTests;

namespace Participa.Tests.Statistics;

/// <summary>
/// A co-creation process with a roundtable, supports, outcomes, reports and moderation decisions, built through the
/// API with known answers, so every count the timer publishes for the funnel, attendance and moderation is checked.
/// </summary>
public class RoundtableStatisticsTests
{
    internal sealed record Populated(ParticipaApp App, Process Plan, string MeetingId, string P1, string P2, string P3, string AtTable, string Thread, string[] PrivateTexts);

    internal static async Task<JsonElement> ModerateAsync(HttpClient client, string processId, string itemId, object decision)
    {
        var item = await SendAsync(client, HttpMethod.Get, $"/api/processes/{processId}/moderation/{itemId}", null, HttpStatusCode.OK, role: StaffRoles.Moderator);
        return await SendAsync(client, HttpMethod.Post, $"/api/processes/{processId}/moderation/{itemId}/decisions", decision, HttpStatusCode.Created,
            etag: item.GetProperty("item").GetProperty("etag").GetString(), role: StaffRoles.Moderator);
    }

    static async Task<string> ProposeAsync(HttpClient client, string processId, string title, string theme = "ambiente-clima")
    {
        var body = Http.Proposal(theme: theme, title: title);
        body["authorEmail"] = "oculta@example.org";
        var response = await client.PostAsync($"/api/processes/{processId}/proposals", Http.Json(body));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("id").GetString()!;
    }

    static async Task SupportAsync(HttpClient client, string processId, string proposalId, int times)
    {
        for (var i = 0; i < times; i++)
        {
            var token = (await (await client.PostAsync("/api/participants", null)).ReadJsonAsync()).GetProperty("token").GetString()!;
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/processes/{processId}/proposals/{proposalId}/supports");
            request.Headers.Add("Participant-Token", token);
            Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(request)).StatusCode);
        }
    }

    static Task SetOutcomeAsync(HttpClient client, string processId, string id, object outcome) =>
        SendAsync(client, HttpMethod.Put, $"/api/processes/{processId}/proposals/{id}/outcome", outcome, HttpStatusCode.OK);

    internal static async Task<Populated> PopulateAsync()
    {
        var app = await ParticipaApp.StartAsync();
        var plan = await app.AddCoCreationWithDraftAsync();
        using var client = app.CreateClient();
        var url = $"/api/processes/{plan.Id}";
        var (meetingId, _) = await CreateAsync(client, plan.Id);

        // Ten attendees: 6 citizens and 4 from civil society; 5 women, 3 men, 2 unstated; 7 from Petén, 3 from Izabal.
        var attendees = Enumerable.Range(0, 10).Select(i => new
        {
            name = $"Asistente Privado {i}",
            sector = i < 6 ? "citizen" : "civil-society",
            gender = i < 5 ? "female" : i < 8 ? "male" : null,
            department = i < 7 ? "peten" : "izabal",
        });
        await SendAsync(client, HttpMethod.Post, $"{url}/meetings/{meetingId}/attendance", new { attendees }, HttpStatusCode.Created);
        // One registered by mistake and removed: counted in, then out.
        var mistake = await SendAsync(client, HttpMethod.Post, $"{url}/meetings/{meetingId}/attendance",
            new { name = "Registro Equivocado", sector = "academia", gender = "other", department = "zacapa" }, HttpStatusCode.Created);
        await SendAsync(client, HttpMethod.Delete, $"{url}/meetings/{meetingId}/attendance/{mistake.GetProperty("items")[0].GetProperty("id").GetString()}", null, HttpStatusCode.NoContent);

        var p1 = await ProposeAsync(client, plan.Id, "Propuesta uno");
        var p2 = await ProposeAsync(client, plan.Id, "Propuesta dos");
        var p3 = await ProposeAsync(client, plan.Id, "Propuesta tres", theme: "gobierno-digital");
        var atTable = (await SendAsync(client, HttpMethod.Post, $"{url}/meetings/{meetingId}/proposals", Http.Proposal(title: "Propuesta de la mesa"), HttpStatusCode.Created))
            .GetProperty("id").GetString()!;
        await SupportAsync(client, plan.Id, p1, 3);
        await SupportAsync(client, plan.Id, p2, 1);
        await SupportAsync(client, plan.Id, atTable, 2);

        await SetOutcomeAsync(client, plan.Id, p1, new { status = "under-review" });
        await SetOutcomeAsync(client, plan.Id, p1, new { status = "adopted", commitment = "c3", reason = "Cabe en el compromiso 3." });
        await SetOutcomeAsync(client, plan.Id, p2, new { status = "not-adopted", reason = "Fuera del alcance." });
        await SetOutcomeAsync(client, plan.Id, atTable, new { status = "merged", mergedInto = p1, reason = "Dice lo mismo." });

        // A discussion: the first comment has two replies, the second one.
        var reporterNote = "Nota-privada-del-denunciante";
        async Task<string> CommentAsync(string path, string text) =>
            (await (await client.PostAsync(path, Http.Json(new { text, authorEmail = "oculta@example.org" }))).ReadJsonAsync()).GetProperty("id").GetString()!;
        var thread = await CommentAsync($"{url}/documents/borrador-pan5/versions/2/sections/c1/comments", "Primer comentario");
        var second = await CommentAsync($"{url}/documents/borrador-pan5/versions/2/sections/c1/comments", "Segundo comentario");
        await CommentAsync($"{url}/comments/{thread}/replies", "Respuesta uno");
        await CommentAsync($"{url}/comments/{thread}/replies", "Respuesta dos");
        await CommentAsync($"{url}/comments/{second}/replies", "Respuesta tres");

        // Moderation: p3 reported twice and hidden, given an outcome while hidden, then restored; p2 reported and kept.
        await client.PostAsync($"{url}/reports", Http.Json(new { itemId = p3, reason = "spam", note = reporterNote }));
        await client.PostAsync($"{url}/reports", Http.Json(new { itemId = p3, reason = "insult" }));
        await client.PostAsync($"{url}/reports", Http.Json(new { itemId = p2, reason = "off-topic" }));
        await ModerateAsync(client, plan.Id, p3, new { action = "hide", reasonCategory = "spam", note = "Publicidad." });
        await SetOutcomeAsync(client, plan.Id, p3, new { status = "under-review" });
        await ModerateAsync(client, plan.Id, p3, new { action = "restore", note = "Revisado: no era publicidad." });
        await ModerateAsync(client, plan.Id, p2, new { action = "restore", note = "Dentro del tema." });
        return new(app, plan, meetingId, p1, p2, p3, atTable, thread, ["Asistente Privado", "Registro Equivocado", reporterNote, "example.org"]);
    }

    internal static async Task RunAsync(ParticipaApp app, string timer = "PublishStatistics")
    {
        var outcome = await app.RunTimerAsync(timer);
        Assert.True(outcome.Succeeded, outcome.Error);
    }

    static async Task<string> BlobAsync(ParticipaApp app, string processId, string file) =>
        (await app.PublishedContainer().GetBlobClient($"processes/{processId}/{file}").DownloadContentAsync()).Value.Content.ToString();

    static long? Count(JsonElement scope, string table, string value)
    {
        var count = scope.GetProperty("breakdowns").GetProperty(table).EnumerateArray().Single(r => r.GetProperty("value").GetString() == value).GetProperty("count");
        return count.ValueKind == JsonValueKind.Null ? null : count.GetInt64();
    }

    [Fact]
    public async Task Funnel_attendance_and_moderation_are_counted_from_the_records_and_small_counts_are_withheld()
    {
        var p = await PopulateAsync();
        await using var _ = p.App;
        await RunAsync(p.App);
        var stats = JsonDocument.Parse(await BlobAsync(p.App, p.Plan.Id, "statistics.json")).RootElement;

        var funnel = stats.GetProperty("funnel");
        Assert.Equal(4, funnel.GetProperty("received").GetInt64());
        Assert.Equal(0, funnel.GetProperty("pending").GetInt64());
        Assert.Equal(1, funnel.GetProperty("underReview").GetInt64());
        Assert.Equal(1, funnel.GetProperty("adopted").GetInt64());
        Assert.Equal(1, funnel.GetProperty("merged").GetInt64());
        Assert.Equal(1, funnel.GetProperty("notAdopted").GetInt64());

        // Attendance: exact where the count is 3 or more; the 2 unstated genders withheld, and the 3 men with them,
        // because the total would give a lone withheld cell away.
        Assert.Equal(10, stats.GetProperty("totals").GetProperty("attendance").GetInt64());
        Assert.Equal(6, Count(stats, "attendance-by-sector", "citizen"));
        Assert.Equal(4, Count(stats, "attendance-by-sector", "civil-society"));
        Assert.Equal(0, Count(stats, "attendance-by-sector", "academia"));
        Assert.Equal(5, Count(stats, "attendance-by-gender", "female"));
        Assert.Null(Count(stats, "attendance-by-gender", "male"));
        Assert.Null(Count(stats, "attendance-by-gender", "unstated"));
        Assert.Equal(7, Count(stats, "attendance-by-department", "peten"));
        Assert.Equal(3, Count(stats, "attendance-by-department", "izabal"));
        Assert.Equal(0, Count(stats, "attendance-by-department", "zacapa"));
        Assert.Contains("female,Mujer,5\r\nmale,Hombre,\r\n", await BlobAsync(p.App, p.Plan.Id, "attendance-by-gender.csv"));

        Assert.Equal(1, Count(stats, "reports-by-reason", "spam"));
        Assert.Equal(1, Count(stats, "reports-by-reason", "insult"));
        Assert.Equal(1, Count(stats, "reports-by-reason", "off-topic"));
        Assert.Equal(1, Count(stats, "decisions-by-effect", "hidden"));
        Assert.Equal(1, Count(stats, "decisions-by-effect", "restored"));
        Assert.Equal(1, Count(stats, "decisions-by-effect", "kept-published"));
        Assert.Equal(1, Count(stats, "decisions-by-reason", "spam"));

        // Top proposals by support; the table's own summary has its proposal and its attendance.
        var top = stats.GetProperty("topProposals").EnumerateArray().Select(t => (t.GetProperty("id").GetString(), t.GetProperty("supports").GetInt64())).ToList();
        Assert.Equal([(p.P1, 3L), (p.AtTable, 2L), (p.P2, 1L)], top);
        var table = stats.GetProperty("roundtables").EnumerateArray().Single(r => r.GetProperty("id").GetString() == p.MeetingId);
        Assert.Equal(1, table.GetProperty("totals").GetProperty("proposals").GetInt64());
        Assert.Equal(10, table.GetProperty("totals").GetProperty("attendance").GetInt64());
        Assert.Equal(p.AtTable, table.GetProperty("topProposals")[0].GetProperty("id").GetString());
        // At a table every count of people is protected: the one proposer's department is withheld.
        Assert.Null(Count(table, "proposals-by-department", "solola"));
        var theme = stats.GetProperty("themes").EnumerateArray().Single(t => t.GetProperty("id").GetString() == "ambiente-clima");
        Assert.Equal(3, theme.GetProperty("totals").GetProperty("proposals").GetInt64());
        Assert.Equal(6, theme.GetProperty("totals").GetProperty("supports").GetInt64());
        Assert.Equal(1, theme.GetProperty("funnel").GetProperty("adopted").GetInt64());

        var discussed = stats.GetProperty("mostDiscussedComments");
        Assert.Equal(p.Thread, discussed[0].GetProperty("id").GetString());
        Assert.Equal(2, discussed[0].GetProperty("replies").GetInt64());

        // The moderation log as CSV: every decision, its public note, never the moderator.
        var log = await BlobAsync(p.App, p.Plan.Id, "moderation-log.csv");
        var lines = log.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("decision,decidedAt,item,itemKind,action,effect,reasonCategory,note,appealResolution", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.Contains("\"Publicidad.\"", lines[1]);
        using var client = p.App.CreateClient();
        var history = await SendAsync(client, HttpMethod.Get, $"/api/processes/{p.Plan.Id}/moderation/{p.P3}", null, HttpStatusCode.OK, role: StaffRoles.Moderator);
        var moderatorId = history.GetProperty("decisions")[0].GetProperty("moderatorId").GetString()!;
        Assert.DoesNotContain(moderatorId, log);
    }

    [Fact]
    public async Task Incremental_equals_full_for_outcomes_attendance_and_moderation_and_no_file_names_anyone()
    {
        var p = await PopulateAsync();
        await using var _ = p.App;
        await RunAsync(p.App);
        using (var client = p.App.CreateClient())
        {
            // Changes between runs: p1 hidden while adopted, another outcome for p2, a full batch of 99 attendees (one
            // transaction with its journal row: 100 actions, the limit).
            await ModerateAsync(client, p.Plan.Id, p.P1, new { action = "hide", reasonCategory = "other", note = "Duplicada." });
            await SetOutcomeAsync(client, p.Plan.Id, p.P2, new { status = "under-review" });
            var batch = Enumerable.Range(0, Attendee.BatchMax).Select(i => new { name = $"Asistente Privado Tarde {i}", sector = "public-institution", gender = "undisclosed", department = "quetzaltenango" });
            await SendAsync(client, HttpMethod.Post, $"/api/processes/{p.Plan.Id}/meetings/{p.MeetingId}/attendance", new { attendees = batch }, HttpStatusCode.Created);
        }
        await RunAsync(p.App);

        var submissions = p.App.Service<SubmissionStore>();
        var (saved, _) = await p.App.Service<StatisticsStore>().ReadAsync(p.Plan.Id, CancellationToken.None);
        var until = PublishStatistics.Until(TimeProvider.System, new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Statistics:SettleSeconds"] = "0" }).Build());
        var (full, _) = await RecomputeStatistics.FromRecordsAsync(submissions, p.Plan.Id, until, CancellationToken.None);
        Assert.True(full.SameCountsAs(saved.State));
        var funnel = Funnel.From(full.Process);
        Assert.Equal((3L, 2L, 0L, 1L, 0L), (funnel.Received, funnel.UnderReview, funnel.Adopted, funnel.Merged, funnel.NotAdopted));
        Assert.Equal(109, full.Total(StatKind.Attendance));
        Assert.DoesNotContain(p.P1, full.Process.TopProposals(10).Select(t => t.Id));

        await foreach (var blob in p.App.PublishedContainer().GetBlobsAsync())
        {
            var text = (await p.App.PublishedContainer().GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToString();
            foreach (var secret in p.PrivateTexts) Assert.DoesNotContain(secret, text);
            Assert.DoesNotMatch(@"[\w.+-]+@[\w-]+\.[\w.]+", text);
        }
    }
}
