using System.Net;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Web;

/// <summary>When the platform refuses a page (storage down, too many requests), a person gets a page in their language, not JSON.</summary>
public sealed class PageErrorsTests
{
    [Fact]
    public async Task Storage_down_is_a_503_page_that_says_to_try_again()
    {
        await using var app = await ParticipaApp.StartAsync(connectionString: Azurite.Unreachable());
        using var client = app.CreateClient(acceptLanguage: "es-GT");
        var response = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Contains("Intente de nuevo en un momento", await response.Content.ReadAsStringAsync());

        // The API keeps answering problems.
        var api = await client.GetAsync("/api/processes");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Too_many_requests_is_a_429_page_with_retry_after()
    {
        await using var app = await ParticipaApp.StartAsync(settings: new() { ["RateLimits:RequestsPerMinute"] = "3" });
        using var client = app.CreateClient(acceptLanguage: "en");
        HttpResponseMessage response;
        var sent = 0;
        do response = await client.GetAsync("/"); while (response.StatusCode == HttpStatusCode.OK && ++sent < 10);
        Assert.Equal(3, sent);
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Contains("Too many requests", await response.Content.ReadAsStringAsync());
    }
}
