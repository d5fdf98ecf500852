using System.Net;
using System.Text.Json;
using Participa.Api.Hosting;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Moderation;

public class ModerationTests
{
    static readonly string Moderator = StaffTokens.For(StaffRoles.Moderator);

    static async Task<HttpResponseMessage> Staff(HttpClient client, HttpMethod method, string url, object? body = null, string? ifMatch = null, string? token = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = body is null ? null : Http.Json(body) }.WithToken(token ?? Moderator);
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await client.SendAsync(request);
    }

    /// <summary>Each proposal's appeal code, as its author received it with the receipt.</summary>
    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Codes = new();

    static async Task<string> ProposeAsync(HttpClient client, string processId, string title = "Texto que será ocultado")
    {
        var created = await (await client.PostAsync($"/api/processes/{processId}/proposals", Http.Json(Http.Proposal(title: title)))).ReadJsonAsync();
        var id = created.GetProperty("id").GetString()!;
        Codes[id] = created.GetProperty("receipt").GetProperty("appealCode").GetString()!;
        return id;
    }

    static async Task<HttpResponseMessage> ReportAsync(HttpClient client, string processId, string itemId, string reason, string? note = null) =>
        await client.PostAsync($"/api/processes/{processId}/reports", Http.Json(new { itemId, reason, note }));

    static async Task<JsonElement> QueueAsync(HttpClient client, string processId, string query = "")
    {
        var response = await Staff(client, HttpMethod.Get, $"/api/processes/{processId}/moderation-queue{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    [Fact]
    public async Task Report_queue_hide_log_appeal_restore_end_to_end_without_leaking_anything_private()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var secret = "Contenido-Ofensivo-" + Guid.NewGuid().ToString("N")[..6];
        var reporterNote = "Nota-del-denunciante-" + Guid.NewGuid().ToString("N")[..6];
        var appealText = "Apelación-privada-" + Guid.NewGuid().ToString("N")[..6];
        var id = await ProposeAsync(client, process.Id, secret);
        var other = await ProposeAsync(client, process.Id, "Otra propuesta");
        var publicTexts = new List<string>();

        // Reports: anyone, counted per reason.
        var report = await ReportAsync(client, process.Id, id, "insult", reporterNote);
        Assert.Equal(HttpStatusCode.Created, report.StatusCode);
        publicTexts.Add(await report.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Created, (await ReportAsync(client, process.Id, id, "insult")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await ReportAsync(client, process.Id, id, "spam")).StatusCode);

        var queue = await QueueAsync(client, process.Id);
        Assert.Equal(1, queue.GetProperty("count").GetInt64());
        var entry = queue.GetProperty("items")[0].GetProperty("item");
        Assert.Equal(id, entry.GetProperty("itemId").GetString());
        Assert.Equal("proposal", entry.GetProperty("kind").GetString());
        Assert.Equal("published", entry.GetProperty("state").GetString());
        Assert.Equal(secret, entry.GetProperty("content").GetProperty("title").GetString());
        Assert.Equal(3, entry.GetProperty("pendingReports").GetInt32());
        Assert.Equal(2, entry.GetProperty("pendingReportsByReason").GetProperty("insult").GetInt32());
        Assert.Equal(1, entry.GetProperty("pendingReportsByReason").GetProperty("spam").GetInt32());
        Assert.False(entry.GetProperty("content").TryGetProperty("gender", out _));
        var etag = entry.GetProperty("etag").GetString()!;

        // Hide with a public reason.
        var hide = await Staff(client, HttpMethod.Post, $"/api/processes/{process.Id}/moderation/{id}/decisions",
            new { action = "hide", reasonCategory = "insult", note = "Insultos a otra persona." }, etag);
        Assert.Equal(HttpStatusCode.Created, hide.StatusCode);
        var decided = await hide.ReadJsonAsync();
        Assert.Equal("hidden", decided.GetProperty("effect").GetString());
        Assert.Equal(0, (await QueueAsync(client, process.Id)).GetProperty("count").GetInt64());

        var receipt = await (await client.GetAsync($"/api/processes/{process.Id}/receipts/{id}")).ReadJsonAsync();
        Assert.Equal("hidden", receipt.GetProperty("state").GetString());
        Assert.Equal("insult", receipt.GetProperty("reasonCategory").GetString());
        Assert.Equal("Insultos a otra persona.", receipt.GetProperty("reason").GetString());
        Assert.Equal("none", receipt.GetProperty("appeal").GetString());

        var logResponse = await client.GetAsync($"/api/processes/{process.Id}/moderation-log");
        publicTexts.Add(await logResponse.Content.ReadAsStringAsync());
        var log = await logResponse.ReadJsonAsync();
        Assert.Equal(1, log.GetProperty("count").GetInt64());
        var logged = log.GetProperty("items")[0];
        Assert.Equal(id, logged.GetProperty("itemId").GetString());
        Assert.Equal("proposal", logged.GetProperty("kind").GetString());
        Assert.Equal("hide", logged.GetProperty("action").GetString());
        Assert.Equal("insult", logged.GetProperty("reasonCategory").GetString());
        Assert.Equal("Insultos a otra persona.", logged.GetProperty("note").GetString());
        Assert.False(logged.TryGetProperty("moderatorId", out _));

        // Gone from lists and direct reads; the other proposal stays.
        var list = await (await client.GetAsync($"/api/processes/{process.Id}/proposals")).ReadJsonAsync();
        Assert.Equal([other], list.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/processes/{process.Id}/proposals/{id}")).StatusCode);
        // A hidden item is not reported again.
        Assert.Equal(HttpStatusCode.Conflict, (await ReportAsync(client, process.Id, id, "spam")).StatusCode);

        // The author appeals once.
        var appeal = await client.PostAsync($"/api/processes/{process.Id}/receipts/{id}/appeal", Http.Json(new { reason = appealText, appealCode = Codes[id] }));
        Assert.Equal(HttpStatusCode.Created, appeal.StatusCode);
        publicTexts.Add(await appeal.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/api/processes/{process.Id}/receipts/{id}/appeal", Http.Json(new { reason = "Otra vez", appealCode = Codes[id] }))).StatusCode);
        var receiptResponse = await client.GetAsync($"/api/processes/{process.Id}/receipts/{id}");
        publicTexts.Add(await receiptResponse.Content.ReadAsStringAsync());
        Assert.Equal("pending", (await receiptResponse.ReadJsonAsync()).GetProperty("appeal").GetString());

        // The appeal is queued; the hide decision's ETag no longer decides anything.
        queue = await QueueAsync(client, process.Id);
        Assert.Equal(1, queue.GetProperty("count").GetInt64());
        entry = queue.GetProperty("items")[0].GetProperty("item");
        Assert.Equal("pending", entry.GetProperty("appeal").GetString());
        Assert.Equal("hidden", entry.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Staff(client, HttpMethod.Post, $"/api/processes/{process.Id}/moderation/{id}/decisions",
            new { action = "restore" }, decided.GetProperty("etag").GetString())).StatusCode);

        // The staff view: the reporter's note, the appeal and the moderator id are there, for staff only.
        var detailResponse = await Staff(client, HttpMethod.Get, $"/api/processes/{process.Id}/moderation/{id}");
        var detail = await detailResponse.ReadJsonAsync();
        Assert.Equal(entry.GetProperty("etag").GetString(), detailResponse.Headers.ETag!.ToString());
        Assert.Equal(3, detail.GetProperty("reports").GetArrayLength());
        Assert.Contains(detail.GetProperty("reports").EnumerateArray(), r => r.GetProperty("note").GetString() == reporterNote);
        Assert.Equal(appealText, detail.GetProperty("appeal").GetProperty("reason").GetString());
        var moderatorId = detail.GetProperty("decisions")[0].GetProperty("moderatorId").GetString()!;
        // The token's object id, so the history says who decided.
        Assert.True(Guid.TryParse(moderatorId, out _), moderatorId);

        // Restore: the appeal is overturned and the item published again.
        var restore = await Staff(client, HttpMethod.Post, $"/api/processes/{process.Id}/moderation/{id}/decisions",
            new { action = "restore", note = "Revisado: no hay insulto." }, entry.GetProperty("etag").GetString());
        Assert.Equal(HttpStatusCode.Created, restore.StatusCode);
        Assert.Equal("overturned", (await restore.ReadJsonAsync()).GetProperty("appeal").GetString());
        receiptResponse = await client.GetAsync($"/api/processes/{process.Id}/receipts/{id}");
        receipt = await receiptResponse.ReadJsonAsync();
        Assert.Equal("published", receipt.GetProperty("state").GetString());
        Assert.Equal("overturned", receipt.GetProperty("appeal").GetString());
        Assert.Equal(JsonValueKind.Null, receipt.GetProperty("reasonCategory").ValueKind);
        Assert.Equal(JsonValueKind.Null, receipt.GetProperty("reason").ValueKind);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/processes/{process.Id}/proposals/{id}")).StatusCode);
        Assert.Equal(0, (await QueueAsync(client, process.Id)).GetProperty("count").GetInt64());
        // Published again: nothing left to appeal.
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/api/processes/{process.Id}/receipts/{id}/appeal", Http.Json(new { reason = "x", appealCode = Codes[id] }))).StatusCode);

        logResponse = await client.GetAsync($"/api/processes/{process.Id}/moderation-log");
        publicTexts.Add(await logResponse.Content.ReadAsStringAsync());
        log = await logResponse.ReadJsonAsync();
        Assert.Equal(["hide", "restore"], log.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        Assert.Equal("overturned", log.GetProperty("items")[1].GetProperty("appealResolution").GetString());

        foreach (var text in publicTexts)
        {
            Assert.DoesNotContain(secret, text);
            Assert.DoesNotContain(reporterNote, text);
            Assert.DoesNotContain(appealText, text);
            Assert.DoesNotContain(moderatorId, text);
        }
    }

    [Fact]
    public async Task Two_moderators_with_the_same_ETag_cannot_both_decide()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var id = await ProposeAsync(client, process.Id);
        await ReportAsync(client, process.Id, id, "spam");
        var etag = (await QueueAsync(client, process.Id)).GetProperty("items")[0].GetProperty("item").GetProperty("etag").GetString()!;

        var first = StaffTokens.For(StaffRoles.Moderator);
        var second = StaffTokens.For(StaffRoles.Moderator);
        var url = $"/api/processes/{process.Id}/moderation/{id}/decisions";
        var answers = await Task.WhenAll(
            Staff(client, HttpMethod.Post, url, new { action = "hide", reasonCategory = "spam" }, etag, first),
            Staff(client, HttpMethod.Post, url, new { action = "restore" }, etag, second));

        var statuses = answers.Select(a => a.StatusCode).OrderBy(s => s).ToList();
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.PreconditionFailed], statuses);
        var winner = await answers.Single(a => a.StatusCode == HttpStatusCode.Created).ReadJsonAsync();
        var log = await (await client.GetAsync($"/api/processes/{process.Id}/moderation-log")).ReadJsonAsync();
        Assert.Equal(1, log.GetProperty("count").GetInt64());
        Assert.Equal(winner.GetProperty("action").GetString(), log.GetProperty("items")[0].GetProperty("action").GetString());
        var detail = await (await Staff(client, HttpMethod.Get, $"/api/processes/{process.Id}/moderation/{id}")).ReadJsonAsync();
        Assert.Equal(1, detail.GetProperty("decisions").GetArrayLength());
    }

    [Fact]
    public async Task Keeping_hidden_upholds_an_appeal_and_restoring_a_published_item_dismisses_its_reports()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var hiddenId = await ProposeAsync(client, process.Id);
        var fineId = await ProposeAsync(client, process.Id, "Propuesta correcta");
        var decisions = (string id) => $"/api/processes/{process.Id}/moderation/{id}/decisions";
        async Task<string> ETagOf(string id) => (await (await Staff(client, HttpMethod.Get, $"/api/processes/{process.Id}/moderation/{id}")).ReadJsonAsync())
            .GetProperty("item").GetProperty("etag").GetString()!;

        // A moderator may hide without a report.
        Assert.Equal(HttpStatusCode.Created, (await Staff(client, HttpMethod.Post, decisions(hiddenId), new { action = "hide", reasonCategory = "spam" }, await ETagOf(hiddenId))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"/api/processes/{process.Id}/receipts/{hiddenId}/appeal", Http.Json(new { reason = "No es spam.", appealCode = Codes[hiddenId] }))).StatusCode);
        var kept = await Staff(client, HttpMethod.Post, decisions(hiddenId), new { action = "hide", reasonCategory = "spam", note = "Sigue siendo publicidad." }, await ETagOf(hiddenId));
        var keptBody = await kept.ReadJsonAsync();
        Assert.Equal("kept-hidden", keptBody.GetProperty("effect").GetString());
        Assert.Equal("upheld", keptBody.GetProperty("appeal").GetString());
        var receipt = await (await client.GetAsync($"/api/processes/{process.Id}/receipts/{hiddenId}")).ReadJsonAsync();
        Assert.Equal(("hidden", "upheld", "Sigue siendo publicidad."),
            (receipt.GetProperty("state").GetString(), receipt.GetProperty("appeal").GetString(), receipt.GetProperty("reason").GetString()));

        // Unfounded reports are dismissed by "restore" on a published item: recorded, queue emptied, item untouched.
        await ReportAsync(client, process.Id, fineId, "off-topic");
        await ReportAsync(client, process.Id, fineId, "other");
        Assert.Equal(1, (await QueueAsync(client, process.Id)).GetProperty("count").GetInt64());
        var dismissed = await (await Staff(client, HttpMethod.Post, decisions(fineId), new { action = "restore" }, await ETagOf(fineId))).ReadJsonAsync();
        Assert.Equal("kept-published", dismissed.GetProperty("effect").GetString());
        Assert.Equal(0, (await QueueAsync(client, process.Id)).GetProperty("count").GetInt64());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/processes/{process.Id}/proposals/{fineId}")).StatusCode);
        var detail = await (await Staff(client, HttpMethod.Get, $"/api/processes/{process.Id}/moderation/{fineId}")).ReadJsonAsync();
        Assert.All(detail.GetProperty("reports").EnumerateArray(), r => Assert.False(r.GetProperty("pending").GetBoolean()));
        Assert.Equal(2, detail.GetProperty("item").GetProperty("totalReports").GetInt32());

        // A new report after the decision queues the item again.
        await ReportAsync(client, process.Id, fineId, "spam");
        var queue = await QueueAsync(client, process.Id);
        Assert.Equal(1, queue.GetProperty("items")[0].GetProperty("item").GetProperty("pendingReports").GetInt32());
    }

    [Fact]
    public async Task Concurrent_reports_of_one_item_are_all_counted_and_queue_it_once()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var id = await ProposeAsync(client, process.Id);

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => ReportAsync(client, process.Id, id, i % 3 == 0 ? "spam" : "other")));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.StatusCode));
        var queue = await QueueAsync(client, process.Id);
        Assert.Equal(1, queue.GetProperty("count").GetInt64());
        var item = queue.GetProperty("items")[0].GetProperty("item");
        Assert.Equal(12, item.GetProperty("pendingReports").GetInt32());
        Assert.Equal(4, item.GetProperty("pendingReportsByReason").GetProperty("spam").GetInt32());
        Assert.Equal(8, item.GetProperty("pendingReportsByReason").GetProperty("other").GetInt32());
    }

    [Fact]
    public async Task The_queue_pages_oldest_first()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++) ids.Add(await ProposeAsync(client, process.Id, $"Propuesta {i}"));
        // Reported in reverse order of submission: the queue follows the reports.
        foreach (var id in Enumerable.Reverse(ids)) await ReportAsync(client, process.Id, id, "spam");

        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await QueueAsync(client, process.Id, "?pageSize=2" + (token is null ? "" : "&continuationToken=" + token));
            Assert.Equal(5, page.GetProperty("count").GetInt64());
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("item").GetProperty("itemId").GetString()!));
            token = page.GetProperty("continuationToken").GetString();
        } while (token is not null);
        Assert.Equal(Enumerable.Reverse(ids), seen);
    }

    [Fact]
    public async Task Bad_inputs_are_400_404_409_and_428_never_500()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var id = await ProposeAsync(client, process.Id);
        var unknown = "0190a1b2c3d47e8f9a0b1c2d3e4f5a6b";
        var p = process.Id;

        var badReason = await ReportAsync(client, p, id, "boring");
        Assert.Equal(HttpStatusCode.BadRequest, badReason.StatusCode);
        Assert.Contains("personal-data", (await badReason.ReadJsonAsync()).GetProperty("errors").GetProperty("reason")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync($"/api/processes/{p}/reports", Http.Json(new { reason = "spam" }))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync($"/api/processes/{p}/reports", Http.Json(new { itemId = "nope", reason = "spam" }))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ReportAsync(client, p, id, "spam", new string('x', 1001))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync($"/api/processes/{p}/reports", Http.Json("[1]"))).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await client.PostAsync($"/api/processes/{p}/reports", new StringContent("x"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ReportAsync(client, p, unknown, "spam")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ReportAsync(client, "no-such-process", id, "spam")).StatusCode);

        var etag = (await (await Staff(client, HttpMethod.Get, $"/api/processes/{p}/moderation/{id}")).ReadJsonAsync()).GetProperty("item").GetProperty("etag").GetString()!;
        var url = $"/api/processes/{p}/moderation/{id}/decisions";
        var missing = await Staff(client, HttpMethod.Post, url, new { action = "hide", reasonCategory = "spam" });
        Assert.Equal((HttpStatusCode)428, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Equal((HttpStatusCode)428, (await Staff(client, HttpMethod.Post, url, new { action = "hide", reasonCategory = "spam" }, "*")).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Staff(client, HttpMethod.Post, url, new { action = "hide", reasonCategory = "spam" }, "W/\"datetime'2020-01-01T00%3A00%3A00Z'\"")).StatusCode);
        var badAction = await Staff(client, HttpMethod.Post, url, new { action = "delete" }, etag);
        Assert.Equal(HttpStatusCode.BadRequest, badAction.StatusCode);
        Assert.True((await badAction.ReadJsonAsync()).GetProperty("errors").TryGetProperty("action", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await Staff(client, HttpMethod.Post, url, new { action = "hide" }, etag)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Staff(client, HttpMethod.Post, url, new { action = "hide", reasonCategory = "spam", note = new string('x', 501) }, etag)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Staff(client, HttpMethod.Post, $"/api/processes/{p}/moderation/{unknown}/decisions", new { action = "restore" }, etag)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Staff(client, HttpMethod.Get, $"/api/processes/{p}/moderation/{unknown}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Staff(client, HttpMethod.Get, $"/api/processes/{p}/moderation/nope")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Staff(client, HttpMethod.Get, $"/api/processes/{p}/moderation-queue?pageSize=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Staff(client, HttpMethod.Get, $"/api/processes/{p}/moderation-queue?continuationToken=bWx8eA")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/processes/{p}/moderation-log?continuationToken=bXF8eA")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/processes/no-such-process/moderation-log")).StatusCode);
        // Nothing was decided by any of that.
        Assert.Equal(0, (await (await client.GetAsync($"/api/processes/{p}/moderation-log")).ReadJsonAsync()).GetProperty("count").GetInt64());

        var appeal = $"/api/processes/{p}/receipts/{id}/appeal";
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync(appeal, Http.Json(new { reason = "Nunca fue ocultada.", appealCode = Codes[id] }))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync(appeal, Http.Json(new { reason = "", appealCode = Codes[id] }))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync(appeal, Http.Json(new { reason = new string('x', 1001), appealCode = Codes[id] }))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync($"/api/processes/{p}/receipts/{unknown}/appeal", Http.Json(new { reason = "x" }))).StatusCode);
    }

    [Fact]
    public async Task Only_the_author_can_appeal_with_the_code_that_came_with_the_receipt()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var body = Http.Proposal(title: "Propuesta que será ocultada");
        using var first = new HttpRequestMessage(HttpMethod.Post, $"/api/processes/{process.Id}/proposals") { Content = Http.Json(body) };
        first.Headers.Add("Idempotency-Key", "appeal-code-1");
        var created = await (await client.SendAsync(first)).ReadJsonAsync();
        var id = created.GetProperty("id").GetString()!;
        var code = created.GetProperty("receipt").GetProperty("appealCode").GetString()!;
        Assert.Matches("^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$", code);

        // A retry of the same submission gets the same code back; a read of the item or its receipt never shows it.
        using var retry = new HttpRequestMessage(HttpMethod.Post, $"/api/processes/{process.Id}/proposals") { Content = Http.Json(body) };
        retry.Headers.Add("Idempotency-Key", "appeal-code-1");
        Assert.Equal(code, (await (await client.SendAsync(retry)).ReadJsonAsync()).GetProperty("receipt").GetProperty("appealCode").GetString());
        Assert.DoesNotContain(code, await client.GetStringAsync($"/api/processes/{process.Id}/proposals/{id}"));
        Assert.DoesNotContain(code, await client.GetStringAsync($"/api/processes/{process.Id}/receipts/{id}"));

        var etag = (await (await Staff(client, HttpMethod.Get, $"/api/processes/{process.Id}/moderation/{id}")).ReadJsonAsync()).GetProperty("item").GetProperty("etag").GetString();
        Assert.Equal(HttpStatusCode.Created, (await Staff(client, HttpMethod.Post, $"/api/processes/{process.Id}/moderation/{id}/decisions",
            new { action = "hide", reasonCategory = "spam" }, etag)).StatusCode);

        // Someone who only read the id in the public log cannot spend the author's one appeal.
        var appeal = $"/api/processes/{process.Id}/receipts/{id}/appeal";
        var missing = await client.PostAsync(appeal, Http.Json(new { reason = "No es spam." }));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.True((await missing.ReadJsonAsync()).GetProperty("errors").TryGetProperty("appealCode", out _));
        var wrong = await client.PostAsync(appeal, Http.Json(new { reason = "No es spam.", appealCode = "0000-0000-0000-0000" }));
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);
        Assert.Equal("none", (await (await client.GetAsync($"/api/processes/{process.Id}/receipts/{id}")).ReadJsonAsync()).GetProperty("appeal").GetString());

        // The author's code works written any way a person copies it: lower case, without dashes.
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync(appeal, Http.Json(new { reason = "No es spam.", appealCode = code.Replace("-", "").ToLowerInvariant() }))).StatusCode);
        Assert.Equal("pending", (await (await client.GetAsync($"/api/processes/{process.Id}/receipts/{id}")).ReadJsonAsync()).GetProperty("appeal").GetString());
    }
}
