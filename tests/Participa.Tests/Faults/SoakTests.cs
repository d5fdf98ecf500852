using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Participa.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Participa.Tests.Faults;

/// <summary>
/// Long command only: a few minutes of a steady mix of submissions and reads at a fixed rate through the local host
/// and the real worker. No request may fail, the worker's resident memory stays under a stated bound, and the latency
/// percentiles are printed. Bounded: PARTICIPA_SOAK_SECONDS (180) at PARTICIPA_SOAK_RATE requests/s (20), so at most
/// seconds × rate requests; PARTICIPA_SOAK_MAX_RSS_MB (600) is the bound.
/// </summary>
public class SoakTests(ITestOutputHelper output)
{
    [LongFact]
    public async Task A_sustained_load_for_minutes_has_no_errors_bounded_memory_and_reports_latency()
    {
        var seconds = LongRun.Count("PARTICIPA_SOAK_SECONDS", 180, 180);
        var rate = LongRun.Count("PARTICIPA_SOAK_RATE", 20, 20);
        var maxRssMb = LongRun.Count("PARTICIPA_SOAK_MAX_RSS_MB", 600, 600);
        var total = seconds * rate;

        await using var app = await ParticipaApp.StartAsync();
        var plan = await app.AddCoCreationWithDraftAsync();
        var bill = await app.AddBillProcessAsync();
        using var client = app.CreateClient();
        var proposals = new ConcurrentBag<string>();
        var first = await client.PostAsync($"/api/processes/{plan.Id}/proposals", Http.Json(Http.Proposal()));
        proposals.Add((await first.ReadJsonAsync()).GetProperty("id").GetString()!);

        // What a consultation's traffic looks like: mostly reads, a steady share of submissions of every kind.
        (string Kind, int Weight, Func<int, HttpRequestMessage> Request)[] mix =
        [
            ("submit proposal", 3, i => Post($"/api/processes/{plan.Id}/proposals", Http.Proposal(title: $"Propuesta sostenida {i}"))),
            ("submit opinion", 3, i => Post($"/api/processes/{bill.Id}/opinions", new { position = i % 2 == 0 ? "for" : "against", article = $"art-{i % 8 + 1}", reasons = $"Razón {i}" })),
            ("comment on a section", 1, i => Post($"/api/processes/{plan.Id}/documents/borrador-pan5/versions/2/sections/c1/comments", new { text = $"Comentario {i}" })),
            ("list proposals", 3, _ => new(HttpMethod.Get, $"/api/processes/{plan.Id}/proposals?pageSize=20")),
            ("get a proposal", 2, i => new(HttpMethod.Get, $"/api/processes/{plan.Id}/proposals/{proposals.ElementAt(i % proposals.Count)}")),
            ("list opinions", 2, _ => new(HttpMethod.Get, $"/api/processes/{bill.Id}/opinions?article=art-2")),
            ("process page", 1, _ => new(HttpMethod.Get, $"/processes/{plan.Id}")),
            ("section page", 1, _ => new(HttpMethod.Get, $"/processes/{plan.Id}/documents/borrador-pan5/sections/c1")),
        ];
        var schedule = mix.SelectMany(m => Enumerable.Repeat(m, m.Weight)).ToArray();

        var latencies = new ConcurrentDictionary<string, ConcurrentBag<double>>();
        var errors = new ConcurrentBag<string>();
        var rss = new List<long>();
        var worker = Process.GetProcessById(app.Host.WorkerProcessId);
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                lock (rss) rss.Add(ResidentBytes(worker.Id));
                try { await Task.Delay(1000, sampling.Token); } catch (OperationCanceledException) { }
            }
        });

        // An open loop: requests start on a fixed clock whatever the answers take (at most 64 in flight).
        using var inFlight = new SemaphoreSlim(64);
        var running = new List<Task>();
        var clock = Stopwatch.StartNew();
        var interval = TimeSpan.FromSeconds(1.0 / rate);
        for (var i = 0; i < total && clock.Elapsed < TimeSpan.FromSeconds(seconds * 2); i++)
        {
            var due = interval * i;
            if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
            var (kind, _, make) = schedule[i % schedule.Length];
            var n = i;
            await inFlight.WaitAsync();
            running.Add(Task.Run(async () =>
            {
                try
                {
                    using var request = make(n);
                    var started = Stopwatch.GetTimestamp();
                    using var response = await client.SendAsync(request);
                    var body = await response.Content.ReadAsStringAsync();
                    latencies.GetOrAdd(kind, _ => []).Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Created))
                        errors.Add($"{kind}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 200)]}");
                    else if (kind == "submit proposal")
                        proposals.Add(System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!);
                }
                catch (Exception e)
                {
                    errors.Add($"{kind}: {e.GetType().Name} {e.Message}");
                }
                finally
                {
                    inFlight.Release();
                }
            }));
        }
        await Task.WhenAll(running);
        var elapsed = clock.Elapsed;
        await sampling.CancelAsync();
        await sampler;

        var all = latencies.Values.SelectMany(l => l).ToList();
        output.WriteLine($"Soak: {all.Count} requests in {elapsed.TotalSeconds:0} s ({all.Count / elapsed.TotalSeconds:0.0}/s, asked {rate}/s), {errors.Count} errors");
        output.WriteLine(Line("all", all));
        foreach (var (kind, values) in latencies.OrderBy(l => l.Key, StringComparer.Ordinal)) output.WriteLine(Line(kind, values.ToList()));
        long peak;
        lock (rss) peak = rss.Max();
        var thirds = rss.Count / 3;
        output.WriteLine($"Worker RSS: first {Mb(rss[0])} MB, peak {Mb(peak)} MB, last {Mb(rss[^1])} MB; mean of the first third " +
            $"{Mb((long)rss.Take(Math.Max(1, thirds)).Average())} MB, of the last third {Mb((long)rss.TakeLast(Math.Max(1, thirds)).Average())} MB (bound {maxRssMb} MB)");

        Assert.True(errors.IsEmpty, string.Join("\n", errors.Take(20)));
        Assert.Equal(total, all.Count);
        Assert.True(Mb(peak) <= maxRssMb, $"the worker's RSS reached {Mb(peak)} MB, past the bound of {maxRssMb} MB");
    }

    static HttpRequestMessage Post(string url, object body) => new(HttpMethod.Post, url) { Content = Http.Json(body) };

    static string Line(string kind, List<double> values)
    {
        values.Sort();
        double At(double p) => values[Math.Min(values.Count - 1, (int)Math.Ceiling(p * values.Count) - 1)];
        return string.Create(CultureInfo.InvariantCulture,
            $"  {kind,-22} n={values.Count,5}  p50 {At(0.50),7:0.0} ms  p95 {At(0.95),7:0.0} ms  p99 {At(0.99),7:0.0} ms  max {values[^1],7:0.0} ms");
    }

    static long Mb(long bytes) => bytes / (1024 * 1024);

    // VmRSS of the worker process (Linux), in bytes.
    static long ResidentBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        return 0;
    }
}
