using System.Net;
using Participa.Api.Hosting;
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

    static void AssertUnavailable(HttpResponseMessage response, string what)
    {
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{what}: {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task Staff_endpoints_answer_503_too_while_storage_is_down()
    {
        await using var app = await ParticipaApp.StartAsync(connectionString: Azurite.Unreachable());
        using var client = app.CreateClient();
        const string process = "/api/processes/pan5-cocreacion";

        foreach (var (method, path, role) in new[]
        {
            (HttpMethod.Get, $"{process}/moderation-queue", StaffRoles.Moderator),
            (HttpMethod.Get, $"{process}/review/opinions", StaffRoles.CongressStaff),
            (HttpMethod.Get, $"{process}/meetings/m1/attendance", StaffRoles.Facilitator),
            (HttpMethod.Get, "/api/manage/processes/pan5-cocreacion", StaffRoles.Admin),
        })
        {
            using var request = new HttpRequestMessage(method, path).WithToken(StaffTokens.For(role));
            AssertUnavailable(await client.SendAsync(request), $"{method} {path}");
        }
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable)]   // the Table service throttling (ServerBusy)
    [InlineData(HttpStatusCode.InternalServerError)]  // the Table service failing
    public async Task Storage_that_throttles_or_fails_is_503_and_nothing_is_acknowledged(HttpStatusCode storageAnswer)
    {
        await using var proxy = await StorageFaultProxy.StartAsync();
        await using var app = await ParticipaApp.StartAsync(connectionString: proxy.ConnectionString, ownsStorage: true);
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var url = $"/api/processes/{process.Id}/proposals";
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(url)).StatusCode);   // the process is cached: the write is what meets storage

        proxy.FailWith = storageAnswer;
        AssertUnavailable(await client.PostAsync(url, Http.Json(Http.Proposal())), "submit");
        AssertUnavailable(await client.GetAsync(url + "?theme=ambiente-clima"), "list");
        proxy.FailWith = null;

        // A list not read before (counts are cached per query): nothing was stored.
        Assert.Equal(0, (await (await client.GetAsync(url + "?department=solola")).ReadJsonAsync()).GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task A_report_that_loses_to_other_writers_on_every_retry_is_503_not_500()
    {
        await using var proxy = await StorageFaultProxy.StartAsync();
        await using var app = await ParticipaApp.StartAsync(connectionString: proxy.ConnectionString, ownsStorage: true);
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var proposal = (await (await client.PostAsync($"/api/processes/{process.Id}/proposals", Http.Json(Http.Proposal()))).ReadJsonAsync()).GetProperty("id").GetString()!;
        var summaries = app.Service<Participa.Storage.Tables>().Submissions;

        // Before each transaction reaches storage, another writer changes the item's report summary: every attempt
        // meets a changed ETag (or a row that now exists), as under a flood of reports on one item.
        var batches = 0;
        proxy.BeforeForward = async request =>
        {
            if (request.Method != "POST" || !request.Path.Value!.EndsWith("$batch", StringComparison.Ordinal)) return;
            Interlocked.Increment(ref batches);
            await summaries.UpsertEntityAsync(new Azure.Data.Tables.TableEntity(process.Id, Participa.Storage.ModerationStore.SummaryKey(proposal)) { ["Contender"] = Guid.NewGuid().ToString() });
        };
        var report = await client.PostAsync($"/api/processes/{process.Id}/reports", Http.Json(new { itemId = proposal, reason = "spam" }));
        proxy.BeforeForward = null;

        AssertUnavailable(report, "report");
        Assert.True(batches >= 10, $"{batches} attempts");
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

        // Wait for the host's own run to end (a generous bound for a loaded machine), not a fixed number of polls.
        // The second run to end after this point began after the process was stored (one run at a time).
        var ran = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = 0;
        app.Host.RunCompleted += (name, outcome) => { if (name == "PublishStatistics" && outcome.Succeeded && Interlocked.Increment(ref runs) == 2) ran.TrySetResult(); };
        Assert.Contains("PublishStatistics", app.Host.ScheduledTimers);
        await ran.Task.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True((await blob.ExistsAsync()).Value);
    }

    [Fact]
    public async Task Timers_do_not_run_by_themselves_when_the_host_is_told_not_to()
    {
        await using var app = await ParticipaApp.StartAsync(runTimers: false, settings: new() { ["PublishStatisticsSchedule"] = "*/1 * * * * *" });
        await app.AddProcessAsync();
        // What the host was told, not a sleep that hopes to see nothing: no schedule is running.
        Assert.Empty(app.Host.ScheduledTimers);
        Assert.False((await app.PublishedContainer().ExistsAsync()).Value);
    }
}
