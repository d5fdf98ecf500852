using System.Net;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Hosting;

public class ResilienceTests
{
    [Fact]
    public async Task When_storage_is_down_the_api_answers_503_with_retry_after_and_claims_nothing()
    {
        await using var app = await ParticipaApp.StartAsync(connectionString: Azurite.Unreachable());
        using var client = app.CreateClient();

        foreach (var response in new[]
        {
            await client.PostAsync("/api/processes/pan5-cocreacion/proposals", Http.Json(Http.Proposal())),
            await client.GetAsync("/api/processes/pan5-cocreacion/proposals"),
            await client.GetAsync("/api/processes"),
        })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.DoesNotContain("   at ", await response.Content.ReadAsStringAsync());
        }

        // A timer run that cannot reach storage is reported to the host as failed.
        var run = await app.RunTimerAsync();
        Assert.False(run.Succeeded);
    }

    [Fact]
    public async Task A_request_no_function_matches_is_a_404_problem()
    {
        await using var app = await ParticipaApp.StartAsync();
        using var client = app.CreateClient();

        foreach (var path in new[] { "/nothing-here/at/all", "/api", "/api/nothing-here", "/PublishStatistics", "/api/processes/x/proposals/y/z/w" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        }
        // The timers are not HTTP functions: nobody outside can start them through the app.
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/PublishStatistics", null)).StatusCode);
    }

    [Fact]
    public async Task The_host_runs_the_timers_on_their_schedule_from_the_app_settings()
    {
        await using var app = await ParticipaApp.StartAsync(runTimers: true, settings: new() { ["PublishStatisticsSchedule"] = "*/1 * * * * *" });
        var process = await app.AddProcessAsync();
        var blob = app.PublishedContainer().GetBlobClient($"processes/{process.Id}/statistics.json");

        var published = false;
        for (var wait = 0; wait < 100 && !published; wait++)
        {
            await Task.Delay(100);
            published = (await app.PublishedContainer().ExistsAsync()).Value && (await blob.ExistsAsync()).Value;
        }
        Assert.True(published, "the every-second schedule never published within 10 s");
    }

    [Fact]
    public async Task Timers_do_not_run_by_themselves_when_the_host_is_told_not_to()
    {
        await using var app = await ParticipaApp.StartAsync(runTimers: false, settings: new() { ["PublishStatisticsSchedule"] = "*/1 * * * * *" });
        await app.AddProcessAsync();
        await Task.Delay(2500);
        Assert.False((await app.PublishedContainer().ExistsAsync()).Value);
    }
}
