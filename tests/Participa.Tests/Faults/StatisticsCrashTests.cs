using System.Diagnostics;
using System.Text.Json;
using Participa.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Participa.Tests.Faults;

/// <summary>
/// The worker killed while PublishStatistics is writing files: what is published stays a complete version (each
/// process's statistics.json the previous one or the new one, never ahead of its files; index.json the previous
/// one), and the next run, once the dead run's lease has lapsed, publishes the right counts, equal byte for byte to a
/// full recompute.
/// </summary>
public class StatisticsCrashTests(ITestOutputHelper output)
{
    const int Processes = 6, Before = 2, After = 2;

    [Fact]
    public async Task A_statistics_run_killed_midway_leaves_the_previous_version_and_the_next_run_publishes_the_right_one()
    {
        // The shortest lease Blob Storage allows, so the next run waits 15 s for the dead run's lease, not 60.
        var settings = new Dictionary<string, string?> { ["Statistics:LeaseSeconds"] = "15" };
        var first = await ParticipaApp.StartAsync(settings: settings);
        ParticipaApp? second = null;
        try
        {
            using var client = first.CreateClient();
            var processes = new List<string>();
            for (var i = 0; i < Processes; i++) processes.Add((await first.AddProcessAsync()).Id);
            await SubmitAsync(client, processes, Before);
            Assert.True((await first.RunTimerAsync()).Succeeded);
            var previous = await SnapshotAsync(first);
            var previousTags = await ETagsAsync(first);
            await SubmitAsync(client, processes, After);

            // Kill the worker as soon as the run has written its first file.
            var run = first.RunTimerAsync();
            var clock = Stopwatch.StartNew();
            while (!run.IsCompleted && (await ETagsAsync(first)).All(t => previousTags.GetValueOrDefault(t.Key) == t.Value))
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), "the run wrote nothing");
            System.Diagnostics.Process.GetProcessById(first.Host.WorkerProcessId).Kill(entireProcessTree: true);
            var killed = await run;
            Assert.False(killed.Succeeded, "the run finished before the kill; nothing was tested");
            var afterCrash = await SnapshotAsync(first);

            second = await ParticipaApp.StartAsync(settings: settings, connectionString: await Azurite.ConnectionStringAsync(), prefix: first.Prefix);
            // The dead run's lease blocks runs until it lapses (15 s): wait for a run that does the work.
            string outcome;
            clock.Restart();
            do
            {
                var next = await second.RunTimerAsync();
                Assert.True(next.Succeeded, next.Error);
                outcome = string.Join(" ", next.Logs);
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), "the dead run's lease never lapsed");
            } while (outcome.Contains("another run holds the lease", StringComparison.Ordinal));
            var published = await SnapshotAsync(second);

            var untouched = 0;
            foreach (var processId in processes)
            {
                var name = $"processes/{processId}/statistics.json";
                var now = afterCrash[name];
                Assert.True(now == previous[name] || now == published[name], $"{name} after the crash is neither the previous version nor the next");
                if (now == previous[name]) untouched++;
                var totals = JsonDocument.Parse(published[name]).RootElement.GetProperty("totals");
                Assert.Equal(Before + After, totals.GetProperty("proposals").GetInt32());
                // statistics.json is written last: a process still showing the previous version has its previous counts.
                if (now == previous[name])
                    Assert.Equal(Before, JsonDocument.Parse(now).RootElement.GetProperty("totals").GetProperty("proposals").GetInt32());
            }
            Assert.Equal(previous["index.json"], afterCrash["index.json"]);
            output.WriteLine($"Killed after {afterCrash.Count(f => previous.GetValueOrDefault(f.Key) != f.Value)} file(s) changed; " +
                $"{untouched} of {Processes} processes still showed the previous statistics.json");

            // The next run's result is what a full recompute finds, byte for byte.
            var recompute = await second.RunTimerAsync("RecomputeStatistics");
            Assert.True(recompute.Succeeded, recompute.Error);
            Assert.Equal(published, await SnapshotAsync(second));
        }
        finally
        {
            if (second is not null) await second.DisposeAsync();
            await first.DisposeAsync();
        }
    }

    static async Task SubmitAsync(HttpClient client, List<string> processes, int each)
    {
        foreach (var processId in processes)
            for (var i = 0; i < each; i++)
                Assert.Equal(System.Net.HttpStatusCode.Created,
                    (await client.PostAsync($"/api/processes/{processId}/proposals", Http.Json(Http.Proposal(title: $"Propuesta {Guid.NewGuid():N}")))).StatusCode);
    }

    /// <summary>Every published file's content, by name.</summary>
    static async Task<Dictionary<string, string>> SnapshotAsync(ParticipaApp app)
    {
        var files = new Dictionary<string, string>();
        var container = app.PublishedContainer();
        await foreach (var blob in container.GetBlobsAsync())
            files[blob.Name] = (await container.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToString();
        return files;
    }

    static async Task<Dictionary<string, string>> ETagsAsync(ParticipaApp app)
    {
        var tags = new Dictionary<string, string>();
        await foreach (var blob in app.PublishedContainer().GetBlobsAsync())
            tags[blob.Name] = blob.Properties.ETag.ToString()!;
        return tags;
    }
}
