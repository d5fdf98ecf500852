using System.Net;
using Participa.Api.Hosting;
using Participa.Tests.Infrastructure;
using static Participa.Tests.Roundtables.MeetingsTests;

namespace Participa.Tests.Roundtables;

public class OutcomesTests
{
    static async Task<string> SubmitAsync(HttpClient client, string processId, string title, string theme = "ambiente-clima")
    {
        var response = await client.PostAsync($"/api/processes/{processId}/proposals", Http.Json(Http.Proposal(theme: theme, title: title)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("id").GetString()!;
    }

    static string OutcomeUrl(string processId, string id) => $"/api/processes/{processId}/proposals/{id}/outcome";

    [Fact]
    public async Task Outcomes_show_on_every_copy_and_the_receipt_and_a_merge_chain_is_followed_to_the_commitment()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddCoCreationWithDraftAsync();
        using var client = app.CreateClient();
        var (a, b, c) = (await SubmitAsync(client, process.Id, "A"), await SubmitAsync(client, process.Id, "B"), await SubmitAsync(client, process.Id, "C"));

        await SendAsync(client, HttpMethod.Put, OutcomeUrl(process.Id, c), new { status = "under-review" }, HttpStatusCode.OK, role: StaffRoles.Facilitator);
        var adopted = await SendAsync(client, HttpMethod.Put, OutcomeUrl(process.Id, c),
            new { status = "adopted", commitment = "c3", reason = "Cabe en el compromiso 3." }, HttpStatusCode.OK, role: StaffRoles.Admin);
        Assert.Equal("c3", adopted.GetProperty("outcome").GetProperty("commitment").GetString());
        await SendAsync(client, HttpMethod.Put, OutcomeUrl(process.Id, b), new { status = "merged", mergedInto = c, reason = "Misma idea que C." }, HttpStatusCode.OK);
        await SendAsync(client, HttpMethod.Put, OutcomeUrl(process.Id, a), new { status = "merged", mergedInto = b, reason = "Misma idea que B." }, HttpStatusCode.OK);

        var one = await (await client.GetAsync($"/api/processes/{process.Id}/proposals/{a}")).ReadJsonAsync();
        Assert.Equal("merged", one.GetProperty("outcome").GetProperty("status").GetString());
        Assert.Equal(b, one.GetProperty("outcome").GetProperty("mergedInto").GetString());
        Assert.Equal("Misma idea que B.", one.GetProperty("outcome").GetProperty("reason").GetString());
        Assert.EndsWith("Z", one.GetProperty("outcome").GetProperty("decidedAt").GetString());
        var byTheme = await (await client.GetAsync($"/api/processes/{process.Id}/proposals?theme=ambiente-clima")).ReadJsonAsync();
        Assert.Equal("adopted", byTheme.GetProperty("items").EnumerateArray().Single(p => p.GetProperty("id").GetString() == c).GetProperty("outcome").GetProperty("status").GetString());
        var receipt = await (await client.GetAsync($"/api/processes/{process.Id}/receipts/{a}")).ReadJsonAsync();
        Assert.Equal(b, receipt.GetProperty("outcome").GetProperty("mergedInto").GetString());

        var trace = await (await client.GetAsync($"/api/processes/{process.Id}/proposals/{a}/trace")).ReadJsonAsync();
        Assert.Equal([a, b, c], trace.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("proposalId").GetString()!));
        Assert.Equal(c, trace.GetProperty("final").GetProperty("proposalId").GetString());
        Assert.Equal("adopted", trace.GetProperty("final").GetProperty("status").GetString());
        Assert.Equal("c3", trace.GetProperty("final").GetProperty("outcome").GetProperty("commitment").GetString());
        Assert.Equal("C", trace.GetProperty("final").GetProperty("title").GetString());

        // Closing the chain back onto A is refused, directly and through the chain; so is merging into oneself.
        var cycle = await SendAsync(client, HttpMethod.Put, OutcomeUrl(process.Id, c), new { status = "merged", mergedInto = a, reason = "x" }, HttpStatusCode.Conflict);
        Assert.Contains("cycle", cycle.GetProperty("detail").GetString());
        await SendAsync(client, HttpMethod.Put, OutcomeUrl(process.Id, b), new { status = "merged", mergedInto = a, reason = "x" }, HttpStatusCode.Conflict);
        var self = await SendAsync(client, HttpMethod.Put, OutcomeUrl(process.Id, a), new { status = "merged", mergedInto = a, reason = "x" }, HttpStatusCode.BadRequest);
        Assert.True(self.GetProperty("errors").TryGetProperty("mergedInto", out _));
    }

    [Fact]
    public async Task Decisions_are_validated()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddCoCreationWithDraftAsync();
        using var client = app.CreateClient();
        var a = await SubmitAsync(client, process.Id, "A");
        var url = OutcomeUrl(process.Id, a);

        async Task Expect400(object body, string field)
        {
            var problem = await SendAsync(client, HttpMethod.Put, url, body, HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{field} in {problem}");
        }
        await Expect400(new { status = "adopted", commitment = "c99", reason = "x" }, "commitment");
        await Expect400(new { status = "adopted", commitment = "c1-h1", reason = "x" }, "commitment"); // a milestone, not a commitment
        await Expect400(new { status = "adopted", reason = "x" }, "commitment");
        await Expect400(new { status = "adopted", commitment = "c3" }, "reason");
        await Expect400(new { status = "not-adopted", reason = "  " }, "reason");
        await Expect400(new { status = "not-adopted", reason = new string('x', 2001) }, "reason");
        await Expect400(new { status = "merged", mergedInto = Guid.NewGuid().ToString("N"), reason = "x" }, "mergedInto");
        await Expect400(new { status = "merged", mergedInto = "nope", reason = "x" }, "mergedInto");
        await Expect400(new { status = "not-adopted", commitment = "c3", reason = "x" }, "commitment");
        await Expect400(new { status = "received" }, "status");
        await Expect400(new { status = "approved", reason = "x" }, "status");

        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(new HttpRequestMessage(HttpMethod.Put, OutcomeUrl(process.Id, Guid.NewGuid().ToString("N")))
            { Content = Http.Json(new { status = "under-review" }) }.WithToken(StaffTokens.For(StaffRoles.Admin)))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(new HttpRequestMessage(HttpMethod.Put, url)
            { Content = Http.Json(new { status = "under-review" }) }.WithToken(StaffTokens.For(StaffRoles.Moderator)))).StatusCode);

        // A process without an action plan has no commitment to adopt into.
        var bare = await app.AddProcessAsync();
        var p = await SubmitAsync(client, bare.Id, "P");
        var none = await SendAsync(client, HttpMethod.Put, OutcomeUrl(bare.Id, p), new { status = "adopted", commitment = "c3", reason = "x" }, HttpStatusCode.BadRequest);
        Assert.True(none.GetProperty("errors").TryGetProperty("commitment", out _));
    }

    [Fact]
    public async Task Two_decisions_from_the_same_ETag_cannot_both_win()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddCoCreationWithDraftAsync();
        using var client = app.CreateClient();
        var a = await SubmitAsync(client, process.Id, "A");
        var url = OutcomeUrl(process.Id, a);

        var first = await client.SendAsync(new HttpRequestMessage(HttpMethod.Put, url) { Content = Http.Json(new { status = "under-review" }) }.WithToken(StaffTokens.For(StaffRoles.Admin)));
        var etag = first.Headers.ETag!.ToString();
        await SendAsync(client, HttpMethod.Put, url, new { status = "adopted", commitment = "c1", reason = "Sí." }, HttpStatusCode.OK, etag);
        await SendAsync(client, HttpMethod.Put, url, new { status = "not-adopted", reason = "No." }, HttpStatusCode.PreconditionFailed, etag);
        var now = await (await client.GetAsync($"/api/processes/{process.Id}/proposals/{a}")).ReadJsonAsync();
        Assert.Equal("adopted", now.GetProperty("outcome").GetProperty("status").GetString());
        Assert.False(now.GetProperty("outcome").TryGetProperty("mergedInto", out var merged) && merged.ValueKind != System.Text.Json.JsonValueKind.Null);
    }

    [Fact]
    public async Task The_funnel_counts_every_published_proposal_once_in_one_stage()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddCoCreationWithDraftAsync();
        using var client = app.CreateClient();
        var ids = new List<string>();
        for (var i = 0; i < 7; i++) ids.Add(await SubmitAsync(client, process.Id, $"P{i}"));
        var (meeting, _) = await CreateAsync(client, process.Id);
        var atTable = await SendAsync(client, HttpMethod.Post, $"/api/processes/{process.Id}/meetings/{meeting}/proposals", Http.Proposal(), HttpStatusCode.Created);
        ids.Add(atTable.GetProperty("id").GetString()!);

        await SendAsync(client, HttpMethod.Put, OutcomeUrl(process.Id, ids[0]), new { status = "adopted", commitment = "c1", reason = "r" }, HttpStatusCode.OK);
        await SendAsync(client, HttpMethod.Put, OutcomeUrl(process.Id, ids[7]), new { status = "adopted", commitment = "c2", reason = "r" }, HttpStatusCode.OK);
        await SendAsync(client, HttpMethod.Put, OutcomeUrl(process.Id, ids[1]), new { status = "merged", mergedInto = ids[0], reason = "r" }, HttpStatusCode.OK);
        await SendAsync(client, HttpMethod.Put, OutcomeUrl(process.Id, ids[2]), new { status = "not-adopted", reason = "r" }, HttpStatusCode.OK);
        await SendAsync(client, HttpMethod.Put, OutcomeUrl(process.Id, ids[3]), new { status = "under-review" }, HttpStatusCode.OK);
        // A decision revised: the proposal counts in its latest stage only.
        await SendAsync(client, HttpMethod.Put, OutcomeUrl(process.Id, ids[4]), new { status = "not-adopted", reason = "r" }, HttpStatusCode.OK);
        await SendAsync(client, HttpMethod.Put, OutcomeUrl(process.Id, ids[4]), new { status = "merged", mergedInto = ids[7], reason = "r" }, HttpStatusCode.OK);

        var funnel = await (await client.GetAsync($"/api/processes/{process.Id}/funnel")).ReadJsonAsync();
        Assert.Equal(8, funnel.GetProperty("received").GetInt64());
        Assert.Equal(2, funnel.GetProperty("pending").GetInt64());
        Assert.Equal(1, funnel.GetProperty("underReview").GetInt64());
        Assert.Equal(2, funnel.GetProperty("adopted").GetInt64());
        Assert.Equal(2, funnel.GetProperty("merged").GetInt64());
        Assert.Equal(1, funnel.GetProperty("notAdopted").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/processes/no-such-process/funnel")).StatusCode);
    }
}
