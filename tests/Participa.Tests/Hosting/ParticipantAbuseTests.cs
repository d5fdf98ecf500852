using System.Net;
using System.Security.Cryptography;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Hosting;

/// <summary>What stands between a script and a support count (docs/abuse.md).</summary>
public class ParticipantAbuseTests
{
    static async Task<string> MintAsync(HttpClient client, string? forwardedFor = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/participants");
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("token").GetString()!;
    }

    static async Task<HttpResponseMessage> SupportAsync(HttpClient client, string url, string? token, string? cookie = null, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url + "/supports");
        if (token is not null) request.Headers.Add("Participant-Token", token);
        if (cookie is not null) request.Headers.Add("Cookie", "participa_participant=" + cookie);
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await client.SendAsync(request);
    }

    static async Task<string> ProposalUrlAsync(ParticipaApp app, HttpClient client)
    {
        var process = await app.AddProcessAsync();
        var proposal = await (await client.PostAsync($"/api/processes/{process.Id}/proposals", Http.Json(Http.Proposal()))).ReadJsonAsync();
        return $"/api/processes/{process.Id}/proposals/{proposal.GetProperty("id").GetString()}";
    }

    /// <summary>A token made as the server makes them, under a key of the caller's choosing.</summary>
    static string Forge(byte[] key, int idLength = 16)
    {
        var id = RandomNumberGenerator.GetBytes(idLength);
        if (idLength == 17) id[16] = 0;
        static string B64(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return B64(id) + "." + B64(HMACSHA256.HashData(key, id)[..16]);
    }

    [Fact]
    public async Task In_development_each_data_folder_has_its_own_random_token_key_and_the_old_constant_forges_nothing()
    {
        await using var first = await ParticipaApp.StartAsync();
        await using var second = await ParticipaApp.StartAsync();
        using var a = first.CreateClient();
        using var b = second.CreateClient();
        var urlA = await ProposalUrlAsync(first, a);
        var urlB = await ProposalUrlAsync(second, b);

        var fromA = await MintAsync(a);
        Assert.Equal(HttpStatusCode.BadRequest, (await SupportAsync(b, urlB, fromA)).StatusCode);
        // The key that used to be in the source: what anyone could sign tokens with.
        var oldConstant = SHA256.HashData("participa-development-only"u8);
        Assert.Equal(HttpStatusCode.BadRequest, (await SupportAsync(a, urlA, Forge(oldConstant))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await SupportAsync(a, urlA, Forge(oldConstant, 17))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SupportAsync(a, urlA, fromA)).StatusCode);

        // The same data folder (its tables) after a restart keeps its key: tokens still work.
        await using var restarted = await ParticipaApp.StartAsync(connectionString: await Azurite.ConnectionStringAsync(), prefix: first.Prefix);
        using var again = restarted.CreateClient();
        Assert.Equal(HttpStatusCode.Conflict, (await SupportAsync(again, urlA, fromA)).StatusCode);
    }

    [Fact]
    public async Task Supports_from_tokens_minted_in_a_burst_count_and_are_shown_apart()
    {
        await using var app = await ParticipaApp.StartAsync(settings: new()
        {
            ["RateLimits:TrustedProxies"] = "1",
            ["RateLimits:QuietTokensPerHour"] = "2",
        });
        using var client = app.CreateClient();
        var url = await ProposalUrlAsync(app, client);

        // A script behind one address: 5 tokens in a row, a support from each. Two neighbours mint one each.
        foreach (var token in await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => MintAsync(client, "203.0.113.66"))))
            Assert.Equal(HttpStatusCode.Created, (await SupportAsync(client, url, token)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SupportAsync(client, url, await MintAsync(client, "198.51.100.1"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SupportAsync(client, url, await MintAsync(client, "198.51.100.2"))).StatusCode);

        var proposal = await (await client.GetAsync(url)).ReadJsonAsync();
        Assert.Equal(7, proposal.GetProperty("supports").GetInt64());
        Assert.Equal(3, proposal.GetProperty("supportsFromBursts").GetInt64());
    }

    [Fact]
    public async Task The_participant_token_header_wins_over_the_cookie()
    {
        await using var app = await ParticipaApp.StartAsync();
        using var client = app.CreateClient();
        var url = await ProposalUrlAsync(app, client);
        var header = await MintAsync(client);
        var cookie = await MintAsync(client);

        Assert.Equal(HttpStatusCode.Created, (await SupportAsync(client, url, header, cookie)).StatusCode);
        // The same header with another cookie is the same participant; the cookie alone is another one.
        Assert.Equal(HttpStatusCode.Conflict, (await SupportAsync(client, url, header, await MintAsync(client))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SupportAsync(client, url, null, cookie)).StatusCode);
        // A broken header is not quietly replaced by a good cookie.
        Assert.Equal(HttpStatusCode.BadRequest, (await SupportAsync(client, url, "broken", await MintAsync(client))).StatusCode);
    }

    [Fact]
    public async Task The_support_form_mints_under_the_same_per_address_limit_as_the_api()
    {
        await using var app = await ParticipaApp.StartAsync(settings: new()
        {
            ["RateLimits:TrustedProxies"] = "1",
            ["RateLimits:ParticipantTokensPerHour"] = "2",
        });
        using var client = app.CreateClient();
        var url = await ProposalUrlAsync(app, client);
        var page = url.Replace("/api/", "/", StringComparison.Ordinal) + "/support";

        // A browser without a cookie each time: every post would be a new participant.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, page)
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["idempotencyKey"] = Guid.NewGuid().ToString("N") }),
            };
            request.Headers.Add("X-Forwarded-For", "203.0.113.88");
            statuses.Add((await client.SendAsync(request)).StatusCode);
        }

        Assert.Equal([HttpStatusCode.SeeOther, HttpStatusCode.SeeOther, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(2, (await (await client.GetAsync(url)).ReadJsonAsync()).GetProperty("supports").GetInt64());
    }
}
