using System.Net;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Hosting;

public class RateLimitTests
{
    static Task<ParticipaApp> StartAsync(int postsPerFiveMinutes = 100000, int perProcess = 100000, int tokensPerHour = 100000) =>
        ParticipaApp.StartAsync(settings: new()
        {
            ["RateLimits:PostsPerFiveMinutes"] = postsPerFiveMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimits:PostsPerProcessPerSecond"] = perProcess.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimits:ParticipantTokensPerHour"] = tokensPerHour.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimits:TrustedProxies"] = "1",
        });

    static HttpRequestMessage Submit(string processId, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/processes/{processId}/proposals") { Content = Http.Json(Http.Proposal()) };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return request;
    }

    [Fact]
    public async Task Past_the_limit_an_address_gets_429_with_retry_after_and_other_addresses_do_not()
    {
        await using var app = await StartAsync(postsPerFiveMinutes: 3);
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();

        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(Submit(process.Id, "203.0.113.10"))).StatusCode);
        var limited = await client.SendAsync(Submit(process.Id, "203.0.113.10"));
        var other = await client.SendAsync(Submit(process.Id, "198.51.100.20"));

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType!.MediaType);
        Assert.True(limited.Headers.RetryAfter!.Delta > TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
        // Reads are not submissions.
        var read = new HttpRequestMessage(HttpMethod.Get, $"/api/processes/{process.Id}/proposals");
        read.Headers.Add("X-Forwarded-For", "203.0.113.10");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(read)).StatusCode);
    }

    [Fact]
    public async Task Forging_the_client_part_of_x_forwarded_for_does_not_escape_the_limit()
    {
        await using var app = await StartAsync(postsPerFiveMinutes: 2);
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();

        // The host appends the real address last; whatever the client put before it is ignored.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
            statuses.Add((await client.SendAsync(Submit(process.Id, $"10.0.0.{i}, 203.0.113.77"))).StatusCode);

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task A_process_has_its_own_limit_across_all_addresses()
    {
        await using var app = await StartAsync(perProcess: 2);
        var busy = await app.AddProcessAsync();
        var quiet = await app.AddProcessAsync();
        using var client = app.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
            statuses.Add((await client.SendAsync(Submit(busy.Id, $"203.0.113.{i + 1}"))).StatusCode);
        var elsewhere = await client.SendAsync(Submit(quiet.Id, "203.0.113.99"));

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.True(statuses.Count(s => s == HttpStatusCode.Created) <= 4, string.Join(",", statuses));
        Assert.Equal(HttpStatusCode.Created, elsewhere.StatusCode);
    }

    [Fact]
    public async Task Participant_tokens_are_limited_per_address()
    {
        await using var app = await StartAsync(tokensPerHour: 2);
        using var client = app.CreateClient();
        HttpRequestMessage Mint()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/participants");
            request.Headers.Add("X-Forwarded-For", "203.0.113.5");
            return request;
        }

        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(Mint())).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(Mint())).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.SendAsync(Mint())).StatusCode);
    }
}
