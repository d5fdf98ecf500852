using System.Net;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Participation;

public class OpinionsAndSupportsTests
{
    [Fact]
    public async Task Opinions_are_filtered_by_article_position_and_department_with_counts()
    {
        await using var app = await ParticipaApp.StartAsync();
        var bill = await app.AddBillProcessAsync();
        using var client = app.CreateClient();
        var url = $"/api/processes/{bill.Id}/opinions";
        (string Position, string? Article, string Department)[] sent =
        [
            ("for", "art-2", "peten"), ("for", "art-2", "peten"), ("against", "art-2", "guatemala"),
            ("against", "art-3", "peten"), ("neutral", null, "izabal"), ("for", null, "guatemala"),
        ];
        foreach (var (position, article, department) in sent)
        {
            var response = await client.PostAsync(url, Http.Json(new { position, article, department, reasons = "Porque sí." }));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        async Task<long> Count(string query) => (await (await client.GetAsync($"{url}?{query}")).ReadJsonAsync()).GetProperty("count").GetInt64();
        Assert.Equal(6, await Count(""));
        Assert.Equal(3, await Count("article=art-2"));
        Assert.Equal(2, await Count("article=art-2&position=for"));
        Assert.Equal(1, await Count("article=art-2&position=against&department=guatemala"));
        Assert.Equal(3, await Count("position=for"));
        Assert.Equal(3, await Count("department=peten"));
        Assert.Equal(0, await Count("article=art-8"));

        var page = await (await client.GetAsync($"{url}?article=art-2&pageSize=2")).ReadJsonAsync();
        Assert.Equal(2, page.GetProperty("items").GetArrayLength());
        var rest = await (await client.GetAsync($"{url}?article=art-2&pageSize=2&continuationToken={page.GetProperty("continuationToken").GetString()}")).ReadJsonAsync();
        Assert.Equal("against", Assert.Single(rest.GetProperty("items").EnumerateArray()).GetProperty("position").GetString());
    }

    [Fact]
    public async Task An_opinion_on_a_missing_article_or_in_a_process_without_a_bill_is_refused()
    {
        await using var app = await ParticipaApp.StartAsync();
        var bill = await app.AddBillProcessAsync();
        // A legislative process whose bill was never published.
        var noBill = await app.AddProcessAsync(Participa.Domain.SampleData.Bill5210 with { Id = "sin-" + Guid.NewGuid().ToString("N")[..10] });
        using var client = app.CreateClient();

        var missing = await client.PostAsync($"/api/processes/{bill.Id}/opinions", Http.Json(new { position = "for", article = "art-99" }));
        var none = await client.PostAsync($"/api/processes/{noBill.Id}/opinions", Http.Json(new { position = "for" }));

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("art-99", (await missing.ReadJsonAsync()).GetProperty("errors").GetProperty("article")[0].GetString());
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }

    [Fact]
    public async Task Reasons_with_a_noncharacter_are_a_400_naming_the_field()
    {
        await using var app = await ParticipaApp.StartAsync();
        var bill = await app.AddBillProcessAsync();
        using var client = app.CreateClient();
        foreach (var reasons in new[] { "\uFFFE", "Estoy a favor \uFDD0 de la reforma.", "\U0001FFFF" })
        {
            var response = await client.PostAsync($"/api/processes/{bill.Id}/opinions", Http.Json(new { position = "for", reasons }));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty("reasons", out _));
        }
        Assert.Equal(0, (await (await client.GetAsync($"/api/processes/{bill.Id}/opinions")).ReadJsonAsync()).GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task A_participant_supports_a_proposal_once_and_each_participant_counts()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var proposal = await (await client.PostAsync($"/api/processes/{process.Id}/proposals", Http.Json(Http.Proposal()))).ReadJsonAsync();
        var url = $"/api/processes/{process.Id}/proposals/{proposal.GetProperty("id").GetString()}";

        async Task<string> Token() => (await (await client.PostAsync("/api/participants", null)).ReadJsonAsync()).GetProperty("token").GetString()!;
        async Task<HttpResponseMessage> Support(string token)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, url + "/supports");
            request.Headers.Add("Participant-Token", token);
            return await client.SendAsync(request);
        }
        var ana = await Token();
        var first = await Support(ana);
        var again = await Support(ana);
        var other = await Support(await Token());

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal((await first.ReadJsonAsync()).GetProperty("receipt").GetProperty("id").GetString(),
            (await again.ReadJsonAsync()).GetProperty("receipt").GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
        Assert.Equal(2, (await (await client.GetAsync(url)).ReadJsonAsync()).GetProperty("supports").GetInt64());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-token")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Supporting_needs_a_token_this_server_signed(string? token)
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var proposal = await (await client.PostAsync($"/api/processes/{process.Id}/proposals", Http.Json(Http.Proposal()))).ReadJsonAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/processes/{process.Id}/proposals/{proposal.GetProperty("id").GetString()}/supports");
        if (token is not null) request.Headers.Add("Participant-Token", token);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty("Participant-Token", out _));
    }

    [Fact]
    public async Task The_participant_cookie_works_like_the_header()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var proposal = await (await client.PostAsync($"/api/processes/{process.Id}/proposals", Http.Json(Http.Proposal()))).ReadJsonAsync();
        var minted = await client.PostAsync("/api/participants", null);
        var cookie = Assert.Single(minted.Headers.GetValues("Set-Cookie"), c => c.StartsWith("participa_participant=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie);
        Assert.Contains("secure", cookie);

        // Sent back as a browser would over https (the cookie is Secure): only the cookie, no header.
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/processes/{process.Id}/proposals/{proposal.GetProperty("id").GetString()}/supports");
        request.Headers.Add("Cookie", cookie.Split(';')[0]);
        var support = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, support.StatusCode);
    }
}
