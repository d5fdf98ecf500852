using System.Diagnostics;
using Participa.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Participa.Tests.Faults;

/// <summary>
/// Faults under a steady load of submissions, through the local host and the real worker: storage killed and
/// restarted, the worker killed and restarted. What the app promises is checked against what was stored: every
/// acknowledged submission stored exactly once, no 500 from the app, no 201 for anything not stored, and clients that
/// retry with their Idempotency-Key end with exactly one item each. Bounded by counts and timeouts, never by sleeps.
/// </summary>
public class FaultTests(ITestOutputHelper output)
{
    static readonly TimeSpan Generous = TimeSpan.FromSeconds(120);
    // Enough to have requests in flight at every moment; small enough for the README's test command.
    const int Clients = 6, Before = 25, After = 25;

    [Fact]
    public async Task Storage_killed_under_load_and_restarted_loses_and_duplicates_nothing_the_app_acknowledged()
    {
        await using var azurite = await DurableAzurite.StartAsync();
        await using var app = await ParticipaApp.StartAsync(connectionString: azurite.ConnectionString);
        var process = await app.AddProcessAsync();
        // While storage is down the app must answer 503 (with Retry-After); a client retries those and nothing else.
        var load = new SubmissionLoad(() => app.Host.BaseAddress, process.Id, (status, _) => status == 503);
        load.Start(Clients);
        await SubmissionLoad.WaitUntilAsync(() => load.Acknowledged >= Before, Generous, "acknowledged submissions before the fault");

        // Azurite saves its memory every 5 s: hold the clients, let Azurite save, and only then crash it, so that
        // whatever it loses in the crash was accepted after that save and is Azurite's loss, not the app's.
        load.Hold();
        await SubmissionLoad.WaitUntilAsync(() => load.InFlight == 0, Generous, "requests in flight to finish");
        var durableUpTo = load.Acknowledged;
        await azurite.WaitForSaveAsync(DateTime.UtcNow, TimeSpan.FromSeconds(30));
        load.Release();
        await SubmissionLoad.WaitUntilAsync(() => load.InFlight > 0, Generous, "requests in flight");
        await azurite.KillAsync();
        var acknowledgedBeforeKill = load.Acknowledged;
        var down = Stopwatch.StartNew();
        var refusedBefore = load.Refusals.GetValueOrDefault(503);
        await SubmissionLoad.WaitUntilAsync(() => down.Elapsed > TimeSpan.FromSeconds(3) && load.Refusals.GetValueOrDefault(503) >= refusedBefore + 5,
            Generous, "503s while storage is down");
        var outage = down.Elapsed;
        await azurite.RestartAsync();
        await SubmissionLoad.WaitUntilAsync(() => load.Acknowledged >= acknowledgedBeforeKill + After, Generous, "acknowledgments after the restart");
        await load.StopAsync(Generous);

        using var client = app.CreateClient();
        var stored = await SubmissionLoad.StoredAsync(client, process.Id);
        // Acknowledged between Azurite's last save and its crash: Azurite may have lost them (its last seconds).
        var figures = Tally(load, stored, a => a.AcknowledgedAs > durableUpTo && a.AcknowledgedAs <= acknowledgedBeforeKill);
        output.WriteLine($"Storage outage of {outage.TotalSeconds:0.0} s: {figures}; 503 answers {load.Refusals.GetValueOrDefault(503)}, " +
            $"acknowledged after Azurite's last save and before its crash {acknowledgedBeforeKill - durableUpTo}");
        Assert.Empty(load.Unexpected);
        Assert.Equal(0, load.MissingRetryAfter);
        Assert.True(load.Refusals.GetValueOrDefault(503) > 0, "no request saw storage down");
        figures.AssertKept();
    }

    [Fact]
    public async Task Worker_killed_under_load_and_restarted_loses_and_duplicates_nothing_it_acknowledged()
    {
        var first = await ParticipaApp.StartAsync();
        ParticipaApp? second = null;
        try
        {
            var process = await first.AddProcessAsync();
            var current = first;
            // The host answers the dead worker's requests, and those that come before the new one, with 503 and
            // Retry-After; a client retries those (and a connection refused, if it ever comes to that).
            var load = new SubmissionLoad(() => current.Host.BaseAddress, process.Id, (status, _) => status is 0 or 503);
            load.Start(Clients);
            await SubmissionLoad.WaitUntilAsync(() => load.Acknowledged >= Before, Generous, "acknowledged submissions before the fault");
            await SubmissionLoad.WaitUntilAsync(() => load.InFlight > 0, Generous, "requests in flight");

            System.Diagnostics.Process.GetProcessById(first.Host.WorkerProcessId).Kill(entireProcessTree: true);
            await first.Host.WorkerExited;
            var down = Stopwatch.StartNew();
            var acknowledgedBeforeKill = load.Acknowledged;
            // The Functions host starts a new worker; here a new host and worker on the same storage and prefix.
            second = await ParticipaApp.StartAsync(connectionString: await Azurite.ConnectionStringAsync(), prefix: first.Prefix);
            current = second;
            var restart = down.Elapsed;
            await SubmissionLoad.WaitUntilAsync(() => load.Acknowledged >= acknowledgedBeforeKill + After, Generous, "acknowledgments after the restart");
            await load.StopAsync(Generous);

            using var client = second.CreateClient();
            var stored = await SubmissionLoad.StoredAsync(client, process.Id);
            var figures = Tally(load, stored, _ => false);
            output.WriteLine($"Worker killed, new worker in {restart.TotalSeconds:0.0} s: {figures}; refusals " +
                string.Join(", ", load.Refusals.Select(r => $"{r.Key}×{r.Value}")));
            Assert.Empty(load.Unexpected);
            Assert.Equal(0, load.MissingRetryAfter);
            figures.AssertKept();
        }
        finally
        {
            if (second is not null) await second.DisposeAsync();
            await first.DisposeAsync();
        }
    }

    /// <param name="azuriteMayHaveLost">Acknowledgments that a storage crash may have taken with it (accepted after its last save).</param>
    static Figures Tally(SubmissionLoad load, Dictionary<string, List<string>> stored, Func<SubmissionLoad.Attempt, bool> azuriteMayHaveLost)
    {
        var attempts = load.Attempts.ToList();
        var ours = attempts.ToDictionary(a => a.Title);
        var duplicated = stored.Where(s => ours.ContainsKey(s.Key)).Sum(s => s.Value.Count - 1);
        var lost = new List<string>();
        var azuriteLost = 0;
        var notOne = new List<string>();
        foreach (var attempt in attempts)
        {
            var ids = stored.GetValueOrDefault(attempt.Title) ?? [];
            if (attempt.AcknowledgedId is { } id && !ids.Contains(id))
            {
                if (ids.Count == 0 && azuriteMayHaveLost(attempt)) azuriteLost++;
                else lost.Add($"{attempt.Key} acknowledged as {id}, stored as [{string.Join(", ", ids)}]");
            }
            else if (ids.Count != 1) notOne.Add($"{attempt.Key}: {ids.Count} stored after {attempt.Requests} request(s)");
        }
        return new Figures(load.Sent, attempts.Count, load.Acknowledged, stored.Where(s => ours.ContainsKey(s.Key)).Sum(s => s.Value.Count),
            duplicated, lost, azuriteLost, notOne);
    }

    sealed record Figures(int Sent, int Submissions, int Acknowledged, int Stored, int Duplicated, List<string> Lost, int AzuriteLost, List<string> NotExactlyOne)
    {
        public override string ToString() =>
            $"sent {Sent} requests for {Submissions} submissions, acknowledged {Acknowledged}, stored {Stored}, duplicated {Duplicated}, " +
            $"lost {Lost.Count}, lost by Azurite's crash {AzuriteLost}";

        public void AssertKept()
        {
            Assert.True(Lost.Count == 0, "Acknowledged but not stored:\n" + string.Join("\n", Lost));
            Assert.Equal(0, Duplicated);
            Assert.True(NotExactlyOne.Count == 0, "Submissions not stored exactly once:\n" + string.Join("\n", NotExactlyOne));
        }
    }
}
