using System.Net;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Time.Testing;
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
        }

        // Readiness does not depend on storage, and a failed timer run is reported to the host as a failure.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        var run = await client.PostAsync("/PublishStatistics", Http.TimerPayload());
        Assert.Equal(HttpStatusCode.InternalServerError, run.StatusCode);
        Assert.Contains("failed", (await run.ReadJsonAsync()).GetProperty("Logs")[0].GetString());
    }

    [Fact]
    public async Task Without_the_host_the_app_runs_its_timers_on_their_schedule()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 10, 2, 30, TimeSpan.Zero));
        await using var app = await ParticipaApp.StartAsync(clock, new() { ["Timers:RunLocally"] = "true" });
        var process = await app.AddProcessAsync();
        BlobClient blob = app.PublishedContainer().GetBlobClient($"processes/{process.Id}/statistics.json");

        var published = false;
        for (var step = 0; step < 50 && !published; step++)
        {
            // Nothing runs before 10:05:00; each step moves the fake clock to the next five-minute mark.
            clock.Advance(TimeSpan.FromMinutes(5));
            await Task.Delay(100);
            published = (await app.PublishedContainer().ExistsAsync()).Value && (await blob.ExistsAsync()).Value;
        }
        Assert.True(published);
    }

    [Fact]
    public async Task Timers_do_not_run_by_themselves_when_disabled()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 10, 2, 30, TimeSpan.Zero));
        await using var app = await ParticipaApp.StartAsync(clock);
        await app.AddProcessAsync();
        for (var step = 0; step < 5; step++)
        {
            clock.Advance(TimeSpan.FromMinutes(5));
            await Task.Delay(50);
        }
        Assert.False((await app.PublishedContainer().ExistsAsync()).Value);
    }
}
