using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Configuration;
using Participa.LocalHost;
using Participa.Api.Features.Statistics;
using Participa.Api.Hosting;
using Participa.Domain;
using Participa.Storage;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Statistics;

public class StatisticsPipelineTests
{
    /// <summary>A bill process with known submissions: 6 opinions (some per article), 3 comments, 2 hidden later.</summary>
    static async Task<(ParticipaApp App, Process Bill, Process Plan, List<string> Opinions)> PopulatedAsync()
    {
        var app = await ParticipaApp.StartAsync();
        var bill = await app.AddBillProcessAsync();
        var plan = await app.AddCoCreationWithDraftAsync();
        using var client = app.CreateClient();
        var opinions = new List<string>();
        foreach (var (position, article, department, gender) in new[]
        {
            ("for", "art-1", "peten", "female"), ("for", "art-1", "peten", "male"), ("against", "art-1", "izabal", "female"),
            ("neutral", (string?)null, "guatemala", (string?)null), ("for", "art-2", "guatemala", "female"), ("against", "art-2", "peten", (string?)null),
        })
        {
            var response = await client.PostAsync($"/api/processes/{bill.Id}/opinions", Http.Json(new
            {
                position, article, department, gender, reasons = "Razón", authorEmail = "oculta@example.org", authorName = "Nombre Privado",
            }));
            opinions.Add((await response.ReadJsonAsync()).GetProperty("id").GetString()!);
        }
        await client.PostAsync($"/api/processes/{plan.Id}/documents/borrador-pan5/versions/2/sections/c1/comments", Http.Json(new { text = "Uno", department = "solola" }));
        await client.PostAsync($"/api/processes/{plan.Id}/documents/borrador-pan5/versions/2/sections/c1/comments", Http.Json(new { text = "Dos" }));
        var proposal = Http.Proposal(theme: "ambiente-clima", department: "peten");
        proposal["authorEmail"] = "oculta@example.org";
        proposal["authorName"] = "Nombre Privado";
        await client.PostAsync($"/api/processes/{plan.Id}/proposals", Http.Json(proposal));
        return (app, bill, plan, opinions);
    }

    /// <summary>Runs the timer as the host does; it must succeed. Its log lines come back with it.</summary>
    static async Task<InvocationOutcome> RunAsync(ParticipaApp app, string timer = "PublishStatistics")
    {
        var outcome = await app.RunTimerAsync(timer);
        Assert.True(outcome.Succeeded, outcome.Error);
        return outcome;
    }

    static async Task<JsonElement> StatisticsAsync(ParticipaApp app, string processId) =>
        JsonDocument.Parse((await app.PublishedContainer().GetBlobClient($"processes/{processId}/statistics.json").DownloadContentAsync()).Value.Content.ToString()).RootElement.Clone();

    static long Row(JsonElement stats, string breakdown, string value) =>
        stats.GetProperty("breakdowns").GetProperty(breakdown).EnumerateArray().Single(r => r.GetProperty("value").GetString() == value).GetProperty("count").GetInt64();

    [Fact]
    public async Task Every_breakdown_matches_the_submissions_and_hiding_counts_an_item_out()
    {
        var (app, bill, plan, opinions) = await PopulatedAsync();
        await using var _ = app;
        await RunAsync(app);

        var stats = await StatisticsAsync(app, bill.Id);
        Assert.Equal(6, stats.GetProperty("totals").GetProperty("opinions").GetInt64());
        Assert.Equal(3, Row(stats, "opinions-by-department", "peten"));
        Assert.Equal(3, Row(stats, "opinions-by-gender", "female"));
        Assert.Equal(2, Row(stats, "opinions-by-gender", "unstated"));
        var art1 = stats.GetProperty("positionsPerArticle").EnumerateArray().Single(a => a.GetProperty("article").GetString() == "art-1").GetProperty("positions");
        Assert.Equal(2, art1.GetProperty("for").GetInt64());
        Assert.Equal(1, art1.GetProperty("against").GetInt64());
        var planStats = await StatisticsAsync(app, plan.Id);
        Assert.Equal(2, planStats.GetProperty("commentsPerSection").EnumerateArray().Single(s => s.GetProperty("section").GetString() == "c1").GetProperty("count").GetInt64());
        Assert.Equal(1, Row(planStats, "proposals-by-theme", "ambiente-clima"));

        // Hide two opinions (one twice: the second changes nothing), restore none: the counts follow.
        var store = app.Service<SubmissionStore>();
        await store.SetStateAsync(bill.Id, opinions[0], ItemState.Hidden("spam", null, DateTimeOffset.UtcNow), null, CancellationToken.None);
        await store.SetStateAsync(bill.Id, opinions[0], ItemState.Hidden("insult", null, DateTimeOffset.UtcNow), null, CancellationToken.None);
        await store.SetStateAsync(bill.Id, opinions[5], ItemState.Hidden("spam", null, DateTimeOffset.UtcNow), null, CancellationToken.None);
        await RunAsync(app);

        stats = await StatisticsAsync(app, bill.Id);
        Assert.Equal(4, stats.GetProperty("totals").GetProperty("opinions").GetInt64());
        Assert.Equal(1, Row(stats, "opinions-by-department", "peten"));
    }

    [Fact]
    public async Task Incremental_runs_give_exactly_what_a_full_recompute_gives()
    {
        var (app, bill, _, opinions) = await PopulatedAsync();
        await using var _ = app;
        var store = app.Service<SubmissionStore>();
        await RunAsync(app);
        await store.SetStateAsync(bill.Id, opinions[1], ItemState.Hidden("spam", null, DateTimeOffset.UtcNow), null, CancellationToken.None);
        await RunAsync(app);
        await store.SetStateAsync(bill.Id, opinions[1], ItemState.Published(DateTimeOffset.UtcNow), null, CancellationToken.None);
        await store.SetStateAsync(bill.Id, opinions[2], ItemState.Hidden("spam", null, DateTimeOffset.UtcNow), null, CancellationToken.None);
        using (var client = app.CreateClient())
            await client.PostAsync($"/api/processes/{bill.Id}/opinions", Http.Json(new { position = "for", article = "art-3" }));
        await RunAsync(app);

        var (saved, _) = await app.Service<StatisticsStore>().ReadAsync(bill.Id, CancellationToken.None);
        var until = PublishStatistics.Until(TimeProvider.System, new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Statistics:SettleSeconds"] = "0" }).Build());
        var (full, entries) = await RecomputeStatistics.FromRecordsAsync(store, bill.Id, until, CancellationToken.None);
        Assert.Equal(Ledger.Root(entries.Values.OrderBy(e => e.Id, StringComparer.Ordinal).ToList()), (await app.Service<StatisticsStore>().ReadLedgerAsync(bill.Id, CancellationToken.None)).Root());

        Assert.True(full.SameCountsAs(saved.State));
        Assert.Equal(6, full.Total(StatKind.Opinion));
        var recompute = await RunAsync(app, "RecomputeStatistics");
        Recompute.AssertMatchedEveryProcess(recompute.Log);
    }

    [Fact]
    public async Task The_full_recompute_repairs_counts_that_went_wrong()
    {
        var (app, bill, _, _) = await PopulatedAsync();
        await using var _ = app;
        await RunAsync(app);
        // Damage the saved counts, as a bug or a lost journal row would.
        var states = app.Service<StatisticsStore>();
        var (saved, etag) = await states.ReadAsync(bill.Id, CancellationToken.None);
        saved.State.Apply(new StatRecord(StatKind.Opinion, "x", DateTimeOffset.UtcNow, Department: "zacapa", Position: "for"), +1);
        await states.SaveAsync(bill.Id, saved with { FilesHash = null }, etag, CancellationToken.None);
        await RunAsync(app);
        Assert.Equal(7, (await StatisticsAsync(app, bill.Id)).GetProperty("totals").GetProperty("opinions").GetInt64());

        var repaired = await RunAsync(app, "RecomputeStatistics");

        Assert.Contains(bill.Id, repaired.Log);
        Assert.Equal(6, (await StatisticsAsync(app, bill.Id)).GetProperty("totals").GetProperty("opinions").GetInt64());
    }

    [Fact]
    public async Task A_run_with_nothing_new_rewrites_nothing()
    {
        var (app, _, _, _) = await PopulatedAsync();
        await using var _ = app;
        await RunAsync(app);
        var before = new Dictionary<string, Azure.ETag>();
        await foreach (var blob in app.PublishedContainer().GetBlobsAsync())
            before[blob.Name] = blob.Properties.ETag!.Value;

        var log = await RunAsync(app);

        Assert.Contains("0 change(s) applied, 0 file(s) written", log.Log);
        await foreach (var blob in app.PublishedContainer().GetBlobsAsync())
            Assert.Equal(before[blob.Name], blob.Properties.ETag!.Value);
        Assert.True(before.Count > 20);
    }

    [Fact]
    public async Task A_run_that_died_after_publishing_but_before_saving_is_completed_by_the_next_without_double_counting()
    {
        var (app, bill, _, _) = await PopulatedAsync();
        await using var _ = app;
        await RunAsync(app);
        using (var client = app.CreateClient())
            await client.PostAsync($"/api/processes/{bill.Id}/opinions", Http.Json(new { position = "against", article = "art-1" }));

        // The first half of a run: catch up and publish, then "die" before the state is saved.
        var states = app.Service<StatisticsStore>();
        var (saved, _) = await states.ReadAsync(bill.Id, CancellationToken.None);
        var until = Ids.Floor(DateTimeOffset.UtcNow.AddMilliseconds(1));
        var caughtUp = await PublishStatistics.CatchUpAsync(app.Service<SubmissionStore>(), bill.Id, saved, until, CancellationToken.None);
        Assert.Equal(1, caughtUp.Applied);
        var ledger = await states.ReadLedgerAsync(bill.Id, CancellationToken.None);
        await PublishStatistics.ApplyAsync(states, bill.Id, ledger, caughtUp.LedgerChanges, CancellationToken.None);
        await states.SaveLedgerAsync(bill.Id, ledger, CancellationToken.None);
        await PublishStatistics.PublishAsync(app.Service<PublishedFiles>(), bill, caughtUp.State, caughtUp.LastUpdated, ledger, null, CancellationToken.None);

        await RunAsync(app);

        Assert.Equal(7, (await StatisticsAsync(app, bill.Id)).GetProperty("totals").GetProperty("opinions").GetInt64());
        var (after, _) = await states.ReadAsync(bill.Id, CancellationToken.None);
        Assert.Equal(7, after.State.Total(StatKind.Opinion));
    }

    [Fact]
    public async Task A_run_that_fails_halfway_through_publishing_leaves_statistics_json_as_it_was_and_the_next_run_completes()
    {
        var (app, bill, _, _) = await PopulatedAsync();
        await using var _ = app;
        await RunAsync(app);
        using var client = app.CreateClient();
        await client.PostAsync($"/api/processes/{bill.Id}/opinions", Http.Json(new { position = "against", article = "art-1", department = "zacapa" }));
        // A real write failure: a blob under someone else's lease refuses the run's write of that one file.
        var blocked = app.PublishedContainer().GetBlobClient($"processes/{bill.Id}/opinions-by-gender.csv").GetBlobLeaseClient();
        await blocked.AcquireAsync(TimeSpan.FromSeconds(60));

        var failed = await app.RunTimerAsync();

        Assert.False(failed.Succeeded);
        var department = (await app.PublishedContainer().GetBlobClient($"processes/{bill.Id}/opinions-by-department.csv").DownloadContentAsync()).Value.Content.ToString();
        Assert.Contains("zacapa,Zacapa,1", department);
        Assert.Equal(6, (await StatisticsAsync(app, bill.Id)).GetProperty("totals").GetProperty("opinions").GetInt64());

        await blocked.ReleaseAsync();
        await RunAsync(app);

        var stats = await StatisticsAsync(app, bill.Id);
        Assert.Equal(7, stats.GetProperty("totals").GetProperty("opinions").GetInt64());
        Assert.Equal(1, Row(stats, "opinions-by-department", "zacapa"));
        Assert.Equal(7, stats.GetProperty("ledger").GetProperty("receipts").GetInt64());
        var gender = (await app.PublishedContainer().GetBlobClient($"processes/{bill.Id}/opinions-by-gender.csv").DownloadContentAsync()).Value.Content.ToString();
        Assert.Contains("unstated,Sin dato,3", gender);
    }

    [Fact]
    public async Task Overlapping_runs_do_not_interleave()
    {
        await using var app = await ParticipaApp.StartAsync();
        await app.AddProcessAsync();
        var lease = await app.Service<StatisticsStore>().TryLeaseAsync(CancellationToken.None);

        var log = await RunAsync(app);

        Assert.Contains("another run holds the lease", log.Log);
        await lease!.DisposeAsync();
        Assert.Contains("process(es)", (await RunAsync(app)).Log);
    }

    [Fact]
    public async Task A_run_keeps_its_lease_past_the_lease_duration_and_frees_it_when_done()
    {
        await using var app = await ParticipaApp.StartAsync();
        var states = app.Service<StatisticsStore>();
        var lease = await states.TryLeaseAsync(CancellationToken.None, TimeSpan.FromSeconds(15));
        Assert.NotNull(lease);

        // Wait for the renewals themselves (every 5 s), not a fixed sleep: four of them carry it past its 15 s.
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (lease.Renewals < 4 && !lease.Lost.IsCancellationRequested && DateTime.UtcNow < deadline)
            await Task.Delay(250);

        Assert.True(lease.Renewals >= 4, $"only {lease.Renewals} renewals");
        Assert.Null(await states.TryLeaseAsync(CancellationToken.None, TimeSpan.FromSeconds(15)));
        Assert.False(lease.Lost.IsCancellationRequested);
        await lease.DisposeAsync();
        await using var next = await states.TryLeaseAsync(CancellationToken.None, TimeSpan.FromSeconds(15));
        Assert.NotNull(next);
    }

    [Fact]
    public async Task A_hide_inside_the_settling_delay_before_a_recompute_is_counted_once()
    {
        await using var app = await ParticipaApp.StartAsync(DateTimeOffset.UtcNow, new() { ["Statistics:SettleSeconds"] = "60" });
        var bill = await app.AddBillProcessAsync();
        using var client = app.CreateClient();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
            ids.Add((await (await client.PostAsync($"/api/processes/{bill.Id}/opinions", Http.Json(new { position = "for" }))).ReadJsonAsync()).GetProperty("id").GetString()!);
        app.Clock!.Advance(TimeSpan.FromMinutes(2));
        await RunAsync(app);

        // A moderator hides one; the recompute starts 10 s later, so the hide is newer than what it counts up to.
        await app.Service<SubmissionStore>().SetStateAsync(bill.Id, ids[0], ItemState.Hidden("spam", null, app.Clock!.GetUtcNow()), null, CancellationToken.None);
        app.Clock!.Advance(TimeSpan.FromSeconds(10));
        var recompute = await RunAsync(app, "RecomputeStatistics");

        Recompute.AssertMatchedEveryProcess(recompute.Log);
        Assert.Equal(3, (await StatisticsAsync(app, bill.Id)).GetProperty("totals").GetProperty("opinions").GetInt64());
        app.Clock!.Advance(TimeSpan.FromMinutes(2));
        await RunAsync(app);
        var stats = await StatisticsAsync(app, bill.Id);
        Assert.Equal(2, stats.GetProperty("totals").GetProperty("opinions").GetInt64());
        var proof = await (await client.GetAsync($"/api/processes/{bill.Id}/ledger/proofs/{ids[0]}")).ReadJsonAsync();
        Assert.Equal(LedgerEntry.Hidden, proof.GetProperty("state").GetString());
        Assert.Equal(stats.GetProperty("ledger").GetProperty("root").GetString(), proof.GetProperty("root").GetString());
        Recompute.AssertMatchedEveryProcess((await RunAsync(app, "RecomputeStatistics")).Log);
    }

    [Fact]
    public async Task No_published_file_holds_personal_data_and_the_index_lists_every_file()
    {
        var (app, bill, plan, _) = await PopulatedAsync();
        await using var _ = app;
        await RunAsync(app);

        var names = new List<string>();
        await foreach (var blob in app.PublishedContainer().GetBlobsAsync())
        {
            names.Add(blob.Name);
            var text = (await app.PublishedContainer().GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToString();
            Assert.DoesNotContain("example.org", text);
            Assert.DoesNotContain("Nombre Privado", text);
            Assert.DoesNotContain("Razón", text);
            Assert.DoesNotMatch(@"[\w.+-]+@[\w-]+\.[\w.]+", text);
            Assert.DoesNotMatch(@"\+?502[ -]?\d{4}[ -]?\d{4}", text);
        }

        var index = JsonDocument.Parse((await app.PublishedContainer().GetBlobClient("index.json").DownloadContentAsync()).Value.Content.ToString()).RootElement;
        var listed = index.GetProperty("processes").EnumerateArray().SelectMany(p => p.GetProperty("files").EnumerateArray().Select(f => f.GetString()!)).ToList();
        Assert.Equal(names.Where(n => n != "index.json").Order(), listed.Order());
        Assert.Contains($"processes/{bill.Id}/datapackage.json", listed);
        Assert.Contains($"processes/{plan.Id}/summary.html", listed);
        var html = await app.PublishedContainer().GetBlobClient($"processes/{plan.Id}/summary.html").GetPropertiesAsync();
        Assert.Equal("text/html; charset=utf-8", html.Value.ContentType);
    }
}
