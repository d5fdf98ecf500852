using System.Globalization;
using System.Net;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Hosting;

/// <summary>
/// The limits read the app's clock (a <see cref="TestClock"/> here), so each test moves time to a window's edge
/// instead of racing it. The clock starts on a whole hour: every window (second, minute, 5-minute slice, hour) starts there.
/// </summary>
public class RateLimitTests
{
    static readonly DateTimeOffset Hour = new(DateTimeOffset.UtcNow.Ticks / TimeSpan.TicksPerHour * TimeSpan.TicksPerHour, TimeSpan.Zero);

    static Task<ParticipaApp> StartAsync(int postsPerFiveMinutes = 100000, int perProcess = 100000, int tokensPerHour = 100000, int perMinute = 100000) =>
        ParticipaApp.StartAsync(Hour, new()
        {
            ["RateLimits:RequestsPerMinute"] = perMinute.ToString(CultureInfo.InvariantCulture),
            ["RateLimits:PostsPerFiveMinutes"] = postsPerFiveMinutes.ToString(CultureInfo.InvariantCulture),
            ["RateLimits:PostsPerProcessPerSecond"] = perProcess.ToString(CultureInfo.InvariantCulture),
            ["RateLimits:ParticipantTokensPerHour"] = tokensPerHour.ToString(CultureInfo.InvariantCulture),
            ["RateLimits:TrustedProxies"] = "1",
        });

    static HttpRequestMessage Submit(string processId, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/processes/{processId}/proposals") { Content = Http.Json(Http.Proposal()) };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return request;
    }

    static HttpRequestMessage Get(string path, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
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
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Get($"/api/processes/{process.Id}/proposals", "203.0.113.10"))).StatusCode);
    }

    [Fact]
    public async Task Posts_are_limited_over_a_sliding_five_minutes_not_a_window_that_resets()
    {
        await using var app = await StartAsync(postsPerFiveMinutes: 2);
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        async Task<HttpStatusCode> PostAsync() => (await client.SendAsync(Submit(process.Id, "203.0.113.30"))).StatusCode;

        Assert.Equal(HttpStatusCode.Created, await PostAsync());            // 0:00
        app.Clock!.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(HttpStatusCode.Created, await PostAsync());            // 3:00
        var full = await client.SendAsync(Submit(process.Id, "203.0.113.30"));
        Assert.Equal(HttpStatusCode.TooManyRequests, full.StatusCode);
        // The 0:00 post leaves the window at 5:00: two minutes from now.
        Assert.Equal(TimeSpan.FromMinutes(2), full.Headers.RetryAfter!.Delta);

        app.Clock.Advance(TimeSpan.FromMinutes(2) - TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.TooManyRequests, await PostAsync());     // 4:59, both still inside
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Created, await PostAsync());            // 5:00: the first has left, the 3:00 one has not
        Assert.Equal(HttpStatusCode.TooManyRequests, await PostAsync());
        // A fixed window would have reset at 5:00 and let a second one through.
    }

    [Fact]
    public async Task Requests_of_any_kind_are_limited_per_minute_per_address()
    {
        await using var app = await StartAsync(perMinute: 3);
        using var client = app.CreateClient();

        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Get("/api/processes", "203.0.113.40"))).StatusCode);
        app.Clock!.Advance(TimeSpan.FromSeconds(45));
        var limited = await client.SendAsync(Get("/api/processes", "203.0.113.40"));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(15), limited.Headers.RetryAfter!.Delta);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Get("/api/processes", "198.51.100.40"))).StatusCode);

        app.Clock.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Get("/api/processes", "203.0.113.40"))).StatusCode);
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
    public async Task An_ipv6_home_is_one_client_by_its_64_bit_prefix()
    {
        await using var app = await StartAsync(postsPerFiveMinutes: 2);
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();

        // Two addresses of one /64 (a home router hands out any of 2^64), then one of the neighbouring /64.
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(Submit(process.Id, "2001:db8:1:2::1"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(Submit(process.Id, "2001:db8:1:2:aaaa:bbbb:cccc:dddd"))).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.SendAsync(Submit(process.Id, "[2001:db8:1:2:ffff::9]:443"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(Submit(process.Id, "2001:db8:1:3::1"))).StatusCode);
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

        // Exactly the limit: the clock does not move, so no second window can open mid-test.
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.Created, elsewhere.StatusCode);
        app.Clock!.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(Submit(busy.Id, "203.0.113.50"))).StatusCode);
    }

    [Fact]
    public async Task Participant_tokens_are_limited_per_address_per_hour()
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
        app.Clock!.Advance(TimeSpan.FromMinutes(59));
        var limited = await client.SendAsync(Mint());
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(1), limited.Headers.RetryAfter!.Delta);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(Mint())).StatusCode);
    }

    [Theory]
    [InlineData("-1", null)]
    [InlineData("4", null)]
    [InlineData("0", "participa-prod")]
    public async Task A_trusted_proxies_setting_that_cannot_be_right_stops_the_app(string trustedProxies, string? siteName)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => ParticipaApp.StartAsync(settings: new()
        {
            ["RateLimits:TrustedProxies"] = trustedProxies,
            ["WEBSITE_SITE_NAME"] = siteName,
        }));
        Assert.Contains("RateLimits:TrustedProxies", error.ToString());
    }

    [Fact]
    public async Task In_azure_one_trusted_proxy_the_functions_front_end_is_accepted()
    {
        // WEBSITE_SITE_NAME marks an Azure instance: the front end appends the client, the host appends the front end.
        await using var app = await ParticipaApp.StartAsync(settings: new() { ["RateLimits:TrustedProxies"] = "1", ["WEBSITE_SITE_NAME"] = "participa-prod" });
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/processes")).StatusCode);
    }
}
