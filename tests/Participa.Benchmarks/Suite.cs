using System.Diagnostics;
using Process = Participa.Domain.Process;
using System.Globalization;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using Azure.Data.Tables;
using Participa.Domain;
using Participa.Storage;
using Participa.Tests.Infrastructure;

/// <summary>
/// Issue 14's benchmark: every figure in one run, on one Azurite and one worker, each next to the storage floor it
/// is compared with, so the ratios mean something even when the machine is busy. scripts/bench.sh [--quick] [options].
/// </summary>
static class Suite
{
    sealed record Options(bool Quick, int Writes, int[] Concurrencies, int Burst, int Thread, int[] Sizes, int Campaign, int Reads, int ColdStarts, string Out,
        int FullRunsUpTo = int.MaxValue)
    {
        public static Options Parse(string[] args)
        {
            var quick = args.Contains("--quick");
            var o = quick
                ? new Options(true, 400, [1, 16, 64], 600, 3_000, [2_000, 10_000], 10_000, 100, 1, "bench/results")
                : new Options(false, 2_000, [1, 16, 64], 3_000, 10_000, [10_000, 100_000, 1_000_000], 100_000, 300, 3, "bench/results", FullRunsUpTo: 100_000);
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => args[++i];
                static int N(string s) => int.Parse(s.Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
                o = args[i] switch
                {
                    "--quick" => o,
                    "--writes" => o with { Writes = N(Next()) },
                    "--concurrency" => o with { Concurrencies = Next().Split(',').Select(N).ToArray() },
                    "--burst" => o with { Burst = N(Next()) },
                    "--thread" => o with { Thread = N(Next()) },
                    "--sizes" => o with { Sizes = Next().Split(',').Select(N).ToArray() },
                    "--campaign" => o with { Campaign = N(Next()) },
                    "--reads" => o with { Reads = N(Next()) },
                    "--cold-starts" => o with { ColdStarts = N(Next()) },
                    "--out" => o with { Out = Next() },
                    // Larger sizes get only the incremental run: on Azurite a scan's cost grows with the square of the table.
                    "--incremental-only-above" => o with { FullRunsUpTo = N(Next()) },
                    var other => throw new ArgumentException($"Unknown option {other}; see scripts/bench.sh"),
                };
            }
            return o;
        }
    }

    /// <summary>Rows of the printed table, and the same figures by key for the JSON file.</summary>
    sealed class Results
    {
        public readonly List<(string Section, string What, double Value, string Unit, string Key)> Rows = [];
        public readonly SortedDictionary<string, double> Figures = new(StringComparer.Ordinal);

        public void Add(string section, string key, string what, double value, string unit)
        {
            Rows.Add((section, what, value, unit, key));
            Figures[key] = Math.Round(value, 4);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {what,-66} {value,12:N2} {unit}"));
        }
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var o = Options.Parse(args);
        var whole = Stopwatch.StartNew();
        var r = new Results();
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "";
        Console.WriteLine($"Participa benchmark ({(o.Quick ? "quick" : "full")}): {Environment.ProcessorCount} cores, in-memory Azurite, load {load}");
        var connection = await Azurite.ConnectionStringAsync();

        // 6a. Cold start first, before anything else warms the files the worker loads.
        var colds = await ColdStartTimesAsync(o.ColdStarts);
        Section($"Start ({FunctionApp.Directory})");
        r.Add("start", "cold_start_first_answer_ms", $"cold start: process start to first answer (median of {o.ColdStarts})", colds[colds.Count / 2].First, "ms");
        r.Add("start", "cold_start_worker_ready_ms", "  of which until the worker's functions are loaded", colds[colds.Count / 2].Ready, "ms");

        // Disposed before the statistics app starts (a failed run leaves it to Azurite's exit, with the process).
        var app = await BenchApp.StartAsync();
        using var client = app.CreateClient();
        var worker = app.Host.WorkerProcessId;
        var bill = await app.AddBillProcessAsync();
        var plan = await app.AddProcessAsync();
        var floor = new TableClient(connection, app.Prefix + "Floor");
        await floor.CreateIfNotExistsAsync();

        // What a submission really writes, read back after a real one: the floor replays these rows with new ids.
        var opinionRows = await TemplateAsync(app, client, bill.Id, Opinion(0));
        var proposalRows = await TemplateAsync(app, client, plan.Id, Proposal(plan, 0));
        Console.WriteLine($"  a submission writes one transaction: opinion {opinionRows.Rows.Count} rows ({string.Join(", ", opinionRows.Rows.Select(e => e.RowKey.Split('|')[0] + "|"))}), " +
                          $"proposal {proposalRows.Rows.Count} rows");
        // Warm both paths (JIT, connections), so no figure pays for it.
        await Measure.RunAsync(200, 16, i => InsertAsync(floor, "warm", opinionRows, i));
        await Measure.RunAsync(200, 16, i => PostAsync(client, $"/api/processes/{bill.Id}/opinions", Opinion(i)));
        await Measure.RunAsync(100, 16, i => PostAsync(client, $"/api/processes/{plan.Id}/proposals", Proposal(plan, i)));

        // 1 + 2. The write floor and the submissions, alternating per concurrency so drift hits both alike.
        foreach (var c in o.Concurrencies)
        {
            Section($"Writes at concurrency {c} ({o.Writes:N0} each)");
            var single = await Measure.RunAsync(o.Writes, c, i => InsertAsync(floor, $"single-c{c}", opinionRows, i, onlyItemRow: true));
            r.Add("writes", $"floor_single_entity_c{c}_per_s", "floor: single-entity inserts of the opinion row", single.PerSecond, "entities/s");
            foreach (var (kind, template, post) in new[]
                     {
                         ("opinion", opinionRows, (Func<int, Task<bool>>)(i => PostAsync(client, $"/api/processes/{bill.Id}/opinions", Opinion(i)))),
                         ("proposal", proposalRows, i => PostAsync(client, $"/api/processes/{plan.Id}/proposals", Proposal(plan, i))),
                     })
            {
                // Where the CPU goes, per operation, with everything on the same two cores: storage (Azurite's node
                // process), the worker, and this process (the load generator, and for the POSTs the local host).
                double[] Cpu() => [Measure.CpuSeconds(Azurite.ProcessId), Measure.CpuSeconds(worker), System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds];
                var (tx, api, txCpu, apiCpu) = await Measure.AlternateAsync(4, o.Writes, c, i => InsertAsync(floor, $"{kind}-c{c}", template, i), post, Cpu);
                double Ms(double[] seconds, int which) => seconds[which] * 1000 / o.Writes;
                r.Add("writes", $"floor_{kind}_tx_c{c}_per_s", $"floor: {template.Rows.Count}-row transactions as a {kind} writes", tx.PerSecond, "tx/s");
                r.Add("writes", $"floor_{kind}_tx_c{c}_p50_ms", "  p50 / p99", tx.P(50), $"ms / {tx.P(99):F1} ms");
                r.Add("writes", $"submit_{kind}_c{c}_per_s", $"{kind}s POSTed through host + worker (201s only: {api.Succeeded:N0}/{api.Attempted:N0})", api.PerSecond, "/s");
                r.Add("writes", $"submit_{kind}_c{c}_p50_ms", "  p50", api.P(50), "ms");
                r.Add("writes", $"submit_{kind}_c{c}_p95_ms", "  p95", api.P(95), "ms");
                r.Add("writes", $"submit_{kind}_c{c}_p99_ms", "  p99", api.P(99), "ms");
                r.Add("writes", $"submit_{kind}_c{c}_worker_cpu_ms", "  CPU per submission (user + system): the worker", Ms(apiCpu, 1), "ms");
                r.Add("writes", $"submit_{kind}_c{c}_storage_cpu_ms", "    Azurite", Ms(apiCpu, 0), string.Create(CultureInfo.InvariantCulture, $"ms (per floor transaction: {Ms(txCpu, 0):F2} ms)"));
                r.Add("writes", $"submit_{kind}_c{c}_client_host_cpu_ms", "    load generator + local host", Ms(apiCpu, 2), string.Create(CultureInfo.InvariantCulture, $"ms (load generator per floor transaction: {Ms(txCpu, 2):F2} ms)"));
                r.Add("writes", $"submit_{kind}_c{c}_ratio_to_floor", $"  ratio to its transaction floor (target >= 0.85 at 16)", api.PerSecond / tx.PerSecond, "");
                if (api.Succeeded != api.Attempted) Console.WriteLine($"  !! {api.Attempted - api.Succeeded} {kind} POSTs did not answer 201");
            }
            if (c == o.Concurrencies.Max())
                r.Add("start", $"worker_peak_rss_c{c}_mib", $"worker peak RSS after the writes at concurrency {c}", Measure.PeakRssMiB(worker), "MiB");
        }

        // The hot partition: one bill takes a burst, against the same burst spread over eight bills.
        Section($"Burst of {o.Burst:N0} opinions at concurrency 64");
        var bills = new List<Process> { bill };
        for (var i = 0; i < 7; i++) bills.Add(await app.AddBillProcessAsync());
        await Measure.RunAsync(64, 16, i => PostAsync(client, $"/api/processes/{bills[i % 8].Id}/opinions", Opinion(i)));
        var hot = await Measure.RunAsync(o.Burst, 64, i => PostAsync(client, $"/api/processes/{bill.Id}/opinions", Opinion(i)));
        var spread = await Measure.RunAsync(o.Burst, 64, i => PostAsync(client, $"/api/processes/{bills[i % 8].Id}/opinions", Opinion(i)));
        r.Add("burst", "burst_one_bill_per_s", $"one bill, one partition (201s: {hot.Succeeded:N0})", hot.PerSecond, "/s");
        r.Add("burst", "burst_one_bill_p50_ms", "  p50", hot.P(50), "ms");
        r.Add("burst", "burst_one_bill_p99_ms", "  p99", hot.P(99), "ms");
        r.Add("burst", "burst_eight_bills_per_s", $"eight bills (201s: {spread.Succeeded:N0})", spread.PerSecond, "/s");
        r.Add("burst", "burst_hot_ratio_to_spread", "  ratio one bill / eight bills", hot.PerSecond / spread.PerSecond, "");

        // 5. Reads: a thread's pages and a process page.
        Section($"Reads ({o.Reads} each, one at a time)");
        var comments = app.Service<CommentStore>();
        var target = new CommentTarget(CommentTargetKind.Document, bill.Id, 1);
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        var root = Comment.Create(bill.Id, target, null, new CommentInput { Text = "Raíz" }, Ids.New(start), start, new Errors())!;
        await comments.AddAsync(root, root.Receipt().Sha256, null, null, default);
        var fill = await Measure.SecondsAsync(() => Parallel.ForEachAsync(Enumerable.Range(1, o.Thread), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var at = start.AddMilliseconds(i);
            var reply = Comment.Create(bill.Id, target, root, new CommentInput { Text = $"Respuesta número {i} en un hilo largo de comentarios." }, Ids.New(at), at, new Errors())!;
            await comments.AddAsync(reply, reply.Receipt().Sha256, null, null, ct);
        }));
        Console.WriteLine($"  (a thread of {o.Thread:N0} replies written in {fill:F0} s, outside the timings)");
        var lastPage = Math.Max(1, o.Thread / 100);
        string? token = null;
        for (var p = 1; p < lastPage; p++) token = (await comments.RepliesAsync(bill.Id, root.Id, token, 100, default)).ContinuationToken;
        var url = $"/api/processes/{bill.Id}/comments/{root.Id}?pageSize=100";
        await GetAsync(client, url); // fills the count cache, as any earlier reader would have
        var first = await Measure.RunAsync(o.Reads, 1, _ => GetAsync(client, url, replies: 100));
        var last = await Measure.RunAsync(o.Reads, 1, _ => GetAsync(client, url + "&continuationToken=" + token, replies: 100));
        // The floor of a page: the storage work it needs, as it does it (the root's point read beside the first 101
        // rows of the range), straight to Azurite.
        var tables = app.Service<Tables>();
        var range = TableClient.CreateQueryFilter($"PartitionKey eq {bill.Id} and RowKey ge {"r|" + root.Id + "|"} and RowKey lt {Keys.End("r|" + root.Id + "|")}") + " and Hidden eq false";
        async Task<bool> FirstPageAsync()
        {
            await foreach (var page in tables.Submissions.QueryAsync<TableEntity>(range, maxPerPage: 101).AsPages())
                return page.Values.Count == 101 ? true : throw new InvalidOperationException("a short page");
            return false;
        }
        var floorPage = await Measure.RunAsync(o.Reads, 1, async _ =>
        {
            var point = tables.Submissions.GetEntityAsync<TableEntity>(bill.Id, "ci|" + root.Id);
            var rows = FirstPageAsync();
            await point;
            return await rows;
        });
        r.Add("reads", "floor_thread_page_p50_ms", $"floor: the root's point read beside 101 rows of the range, straight to Azurite ({TableRows(tables):N0} rows in its table), p50", floorPage.P(50), "ms");
        r.Add("reads", "floor_thread_page_p99_ms", "  p99", floorPage.P(99), "ms");
        r.Add("reads", "thread_page1_p50_ms", $"thread page 1 (100 of {o.Thread:N0} replies), p50", first.P(50), "ms");
        r.Add("reads", "thread_page1_p99_ms", "  p99 (target < 50 ms)", first.P(99), "ms");
        r.Add("reads", $"thread_page{lastPage}_p50_ms", $"thread page {lastPage}, p50", last.P(50), "ms");
        r.Add("reads", $"thread_page{lastPage}_p99_ms", "  p99 (target < 50 ms)", last.P(99), "ms");
        r.Add("reads", "thread_page1_p50_ratio_to_floor", "  page 1 p50 as a ratio to the floor's", first.P(50) / floorPage.P(50), "");
        await GetAsync(client, $"/processes/{bill.Id}");
        var page = await Measure.RunAsync(o.Reads, 1, _ => GetAsync(client, $"/processes/{bill.Id}"));
        r.Add("reads", "process_page_p50_ms", "process page /processes/{id} (HTML), p50", page.P(50), "ms");
        r.Add("reads", "process_page_p99_ms", "  p99", page.P(99), "ms");

        r.Add("start", "worker_peak_rss_reads_mib", "worker peak RSS after the burst and the reads", Measure.PeakRssMiB(worker), "MiB");
        await floor.DeleteAsync();
        await app.DisposeAsync();

        // 3 + 4. Read floor and aggregation, size by size on one growing bill, in an app of its own: the statistics
        // timers go through every process, and the ones above would be counted too.
        await using var statistics = await BenchApp.StartAsync();
        await AggregationAsync(statistics, o, r);
        await CampaignsAsync(statistics, o, r);
        r.Add("start", "worker_peak_rss_statistics_mib", "worker peak RSS of the statistics app (a full run holds every receipt)", Measure.PeakRssMiB(statistics.Host.WorkerProcessId), "MiB");

        var seconds = whole.Elapsed.TotalSeconds;
        Section("Summary");
        r.Add("run", "run_seconds", $"this {(o.Quick ? "quick" : "full")} run took", seconds, "s");
        await WriteJsonAsync(o, r, seconds, load);
        return 0;
    }

    /// <summary>Host and worker started <paramref name="count"/> times, each until its first answer; sorted.</summary>
    static async Task<List<(double First, double Ready)>> ColdStartTimesAsync(int count)
    {
        // A deployed app starts on tables and containers that exist: one start (not timed) makes them.
        var prefix = "cold" + Guid.NewGuid().ToString("N")[..8];
        await using (var first = await BenchApp.StartAsync(prefix, ownsStorage: false))
        {
            using var c = first.CreateClient();
            (await c.GetAsync("/api/processes")).EnsureSuccessStatusCode();
        }
        var colds = new List<(double First, double Ready)>();
        for (var i = 0; i < count; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            await using var cold = await BenchApp.StartAsync(prefix, ownsStorage: i < count - 1 ? false : true);
            var ready = stopwatch.Elapsed.TotalMilliseconds;
            using var c = cold.CreateClient();
            (await c.GetAsync("/api/processes")).EnsureSuccessStatusCode();
            colds.Add((stopwatch.Elapsed.TotalMilliseconds, ready));
        }
        colds.Sort();
        return colds;
    }

    /// <summary>scripts/bench.sh start [n]: cold starts alone, of the app in PARTICIPA_APP (or the build output).</summary>
    public static async Task<int> ColdStartsAsync(int count)
    {
        await Azurite.ConnectionStringAsync();
        var colds = await ColdStartTimesAsync(count);
        Console.WriteLine($"{FunctionApp.Directory}: {count} cold starts, first answer (worker ready) in ms: " +
                          string.Join(", ", colds.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.First:F0} ({c.Ready:F0})"))));
        return 0;
    }

    /// <summary>
    /// Opinions at a steady concurrency for a while, for a profiler attached to the worker (scripts/profile.sh):
    /// prints the worker's process id, then the rate.
    /// </summary>
    public static async Task<int> LoadAsync(int seconds, int concurrency)
    {
        await using var app = await BenchApp.StartAsync();
        using var client = app.CreateClient();
        var bill = await app.AddBillProcessAsync();
        await Measure.RunAsync(200, concurrency, i => PostAsync(client, $"/api/processes/{bill.Id}/opinions", Opinion(i)));
        Console.WriteLine($"WORKER_PID={app.Host.WorkerProcessId}");
        var until = Stopwatch.StartNew();
        var total = 0;
        while (until.Elapsed.TotalSeconds < seconds)
        {
            var run = await Measure.RunAsync(500, concurrency, i => PostAsync(client, $"/api/processes/{bill.Id}/opinions", Opinion(i)));
            total += run.Succeeded;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {run.PerSecond:F0} opinions/s, p50 {run.P(50):F1} ms"));
        }
        Console.WriteLine($"{total} opinions in {until.Elapsed.TotalSeconds:F0} s");
        return 0;
    }

    static async Task AggregationAsync(ParticipaApp app, Options o, Results r)
    {
        var tables = app.Service<Tables>();
        var process = await app.AddBillProcessAsync();
        Section($"Aggregation on one bill: {string.Join(", ", o.Sizes.Select(s => s.ToString("N0", CultureInfo.InvariantCulture)))} items");
        // Items start a day back and come 40 ms apart: all before "now", so every run counts them all.
        var origin = DateTimeOffset.UtcNow.AddDays(-2);
        var written = 0;
        var writing = TimeSpan.Zero;
        async Task WriteAsync(int count, bool journal)
        {
            var stopwatch = Stopwatch.StartNew();
            // In slices, so the bench process never holds a million rows at once.
            for (var left = count; left > 0; left -= 100_000)
            {
                await StatisticsBenchmark.WriteAsync(tables, process.Id, origin, written, Math.Min(left, 100_000), journal, TimeSpan.FromMilliseconds(40));
                written += Math.Min(left, 100_000);
            }
            writing += stopwatch.Elapsed;
        }
        await Timer(app, "PublishStatistics");
        await WriteAsync(1_000, journal: true);
        var empty = await Timer(app, "PublishStatistics");
        r.Add("aggregation", "incremental_1000_on_0_s", "incremental run, 1,000 new items on an empty history", empty, "s");
        foreach (var size in o.Sizes)
        {
            // Receipts alone for the bulk (no journal rows): the full run reads receipts; the incremental one reads the journal.
            await WriteAsync(size - written, journal: false);
            var n = written;
            if (size > o.FullRunsUpTo)
            {
                await WriteAsync(1_000, journal: true);
                var alone = await Timer(app, "PublishStatistics");
                r.Add("aggregation", $"incremental_1000_on_{size}_s", $"incremental run, 1,000 new items on {n:N0} (no full run or scan at this size)", alone, "s");
                r.Add("aggregation", $"incremental_1000_on_{size}_ratio_to_empty", "  ratio to the same on an empty history (target <= 2)", alone / empty, "");
                continue;
            }
            var full = await Timer(app, "RecomputeStatistics");
            var scanAll = await ScanAsync(tables, process.Id, null);
            var scanProjected = await ScanAsync(tables, process.Id, ["RowKey", "Stat", "State", "Sha256"]);
            r.Add("aggregation", $"scan_full_{size}_per_s", $"floor: full scan of {n:N0} receipts", n / scanAll, "rows/s");
            r.Add("aggregation", $"scan_projected_{size}_per_s", "floor: projected scan (the 4 columns the statistics read)", n / scanProjected, "rows/s");
            r.Add("aggregation", $"statistics_full_{size}_s", $"full statistics run (RecomputeStatistics) over {n:N0}", full, "s");
            r.Add("aggregation", $"statistics_full_{size}_ratio_to_projected_scan", "  items/s as a ratio to the projected scan (target >= 0.8)", n / full / (n / scanProjected), "");
            await WriteAsync(1_000, journal: true);
            var incremental = await Timer(app, "PublishStatistics");
            r.Add("aggregation", $"incremental_1000_on_{size}_s", $"incremental run, 1,000 new items on {n:N0}", incremental, "s");
            r.Add("aggregation", $"incremental_1000_on_{size}_ratio_to_empty", "  ratio to the same on an empty history (target <= 2)", incremental / empty, "");
        }
        Console.WriteLine($"  (writing {written:N0} receipts in bulk, outside the timings, took {writing.TotalSeconds:F0} s)");
    }

    static async Task CampaignsAsync(ParticipaApp app, Options o, Results r)
    {
        Section($"Campaign grouping of {o.Campaign:N0} opinions");
        var tables = app.Service<Tables>();
        var process = await app.AddBillProcessAsync();
        // Two more thousands than the size: one for the timer's incremental run, one left in the journal for the reader.
        var (texts, members, ids) = CampaignBenchmark.Generate(o.Campaign + 2_000);
        await CampaignBenchmark.WriteRowsAsync(tables, process.Id, texts, members, ids, journal: true, to: o.Campaign);
        var scan = await ScanAsync(tables, process.Id, ["Id", "Position", "SubmittedAt", "TextHash", "Sketch"], "o|");
        var review = app.Service<ReviewStore>();
        var rows = await Measure.SecondsAsync(() => review.CampaignsAsync(process.Id, fresh: true, default));
        r.Add("aggregation", $"campaigns_from_rows_{o.Campaign}_s", "campaign groups before the timer kept any state: projected scan + grouping", rows, "s");
        r.Add("aggregation", $"campaigns_scan_{o.Campaign}_s", "  floor: the same projected scan alone", scan, "s");
        var build = await Timer(app, "PublishStatistics");
        r.Add("aggregation", $"campaigns_first_timer_{o.Campaign}_s", "  the timer's first run on the bill (statistics of every item, and the state built from the rows)", build, "s");
        // Submissions take their ids when they arrive: the later opinions are minted now, after the timer's watermark.
        void Mint(int from, int to)
        {
            // All in this millisecond (the ids' random part orders them): later than anything the timer has passed.
            var at = DateTimeOffset.UtcNow;
            for (var i = from; i < to; i++)
            {
                ids[i] = Ids.New(at);
                members[i] = members[i] with { Id = ids[i], SubmittedAt = at };
            }
        }
        Mint(o.Campaign, o.Campaign + 1_000);
        await CampaignBenchmark.WriteRowsAsync(tables, process.Id, texts, members, ids, journal: true, from: o.Campaign, to: o.Campaign + 1_000);
        var incremental = await Timer(app, "PublishStatistics");
        r.Add("aggregation", $"campaigns_incremental_1000_on_{o.Campaign}_s", "  the timer's next run: 1,000 new opinions (statistics and campaign state)", incremental, "s");
        Mint(o.Campaign + 1_000, o.Campaign + 2_000);
        await CampaignBenchmark.WriteRowsAsync(tables, process.Id, texts, members, ids, journal: true, from: o.Campaign + 1_000);
        CampaignIndex index = null!;
        var cold = await Measure.SecondsAsync(async () => index = await review.CampaignsAsync(process.Id, fresh: true, default));
        r.Add("aggregation", $"campaigns_cold_{o.Campaign}_s", $"campaign groups, cold: the kept state + 1,000 journal rows since + grouping ({index.Groups.Count:N0} groups, {index.Opinions:N0} opinions)", cold, "s");
        r.Add("aggregation", $"campaigns_cold_{o.Campaign}_ratio_to_projected_scan", "  items/s as a ratio to the projected scan of the rows", scan / cold, "");
        if (index.Opinions != o.Campaign + 2_000) throw new InvalidOperationException($"campaign state holds {index.Opinions} opinions, not {o.Campaign + 2_000}");
    }

    /// <summary>Seconds to read every row of a prefix of the bill's partition, all columns or only <paramref name="select"/>.</summary>
    static async Task<double> ScanAsync(Tables tables, string processId, string[]? select, string? prefix = null)
    {
        prefix ??= Keys.Receipt("");
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {processId} and RowKey ge {prefix} and RowKey lt {Keys.End(prefix)}");
        var stopwatch = Stopwatch.StartNew();
        var rows = 0;
        await foreach (var _ in tables.Submissions.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: select)) rows++;
        return rows == 0 ? throw new InvalidOperationException($"nothing under {prefix}") : stopwatch.Elapsed.TotalSeconds;
    }

    static async Task<double> Timer(ParticipaApp app, string name)
    {
        var stopwatch = Stopwatch.StartNew();
        var outcome = await app.RunTimerAsync(name);
        if (!outcome.Succeeded) throw new InvalidOperationException($"{name}: {outcome.Error}");
        return stopwatch.Elapsed.TotalSeconds;
    }

    static object Opinion(int i) => new
    {
        position = Positions.All[i % 3], article = $"art-{i % 8 + 1}", department = Departments.All[i % 22].Id,
        reasons = $"Una razón de longitud típica para una opinión ciudadana sobre la iniciativa, número {i}.",
    };

    static object Proposal(Process plan, int i) => new
    {
        title = $"Datos abiertos de salud por municipio {i}", theme = plan.Themes[i % plan.Themes.Count].Id, department = Departments.All[i % 22].Id,
        problem = "Los datos de salud no se publican por municipio y nadie puede comparar la atención entre comunidades.",
        proposedSolution = "Publicar cada mes los datos de atención por municipio en formato abierto, con su diccionario de datos.",
    };

    static async Task<bool> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        await response.Content.ReadAsByteArrayAsync();
        return (int)response.StatusCode == 201;
    }

    static async Task<bool> GetAsync(HttpClient client, string path, int? replies = null)
    {
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsByteArrayAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode}");
        if (replies is { } n && JsonDocument.Parse(body).RootElement.GetProperty("replies").GetProperty("items").GetArrayLength() != n)
            throw new InvalidOperationException("a short page");
        return true;
    }

    sealed record Template(string ItemId, List<TableEntity> Rows);

    /// <summary>Submits one item through the API and reads back every row it wrote (each row's key names the item).</summary>
    static async Task<Template> TemplateAsync(ParticipaApp app, HttpClient client, string processId, object body)
    {
        var kind = processId.StartsWith("bill", StringComparison.Ordinal) ? "opinions" : "proposals";
        using var response = await client.PostAsJsonAsync($"/api/processes/{processId}/{kind}", body);
        if ((int)response.StatusCode != 201) throw new InvalidOperationException($"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var rows = new List<TableEntity>();
        await foreach (var e in app.Service<Tables>().Submissions.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {processId}")))
            if (e.RowKey.Contains(id, StringComparison.Ordinal)) rows.Add(e);
        return new(id, rows);
    }

    /// <summary>The template's rows with a new item id, in one entity-group transaction (or the item's own row alone).</summary>
    static async Task<bool> InsertAsync(TableClient floor, string partition, Template template, int i, bool onlyItemRow = false)
    {
        var id = Ids.New(DateTimeOffset.UtcNow);
        var rows = template.Rows.Select(t =>
        {
            var e = new TableEntity(partition, t.RowKey.Replace(template.ItemId, id, StringComparison.Ordinal));
            foreach (var (k, v) in t)
                if (k is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag"))
                    e[k] = v is string s ? s.Replace(template.ItemId, id, StringComparison.Ordinal) : v;
            return e;
        }).ToList();
        if (onlyItemRow)
            await floor.AddEntityAsync(rows.First(e => e.RowKey.Split('|') is [var p, _] && p is "o" or "p"));
        else
            await floor.SubmitTransactionAsync(rows.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)));
        return true;
    }

    /// <summary>How many rows the table holds: Azurite filters every row of a table for any query (its LokiJS "where").</summary>
    static int TableRows(Tables tables)
    {
        var rows = 0;
        foreach (var _ in tables.Submissions.Query<TableEntity>(select: ["RowKey"], maxPerPage: 1000)) rows++;
        return rows;
    }

        static void Section(string title) => Console.WriteLine($"{title}:");

    static async Task WriteJsonAsync(Options o, Results r, double seconds, string loadAtStart)
    {
        var root = Azurite.RepositoryRoot;
        string Git(string args)
        {
            var git = System.Diagnostics.Process.Start(new ProcessStartInfo("git", args) { WorkingDirectory = root, RedirectStandardOutput = true })!;
            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return output;
        }
        var document = new Dictionary<string, object?>
        {
            ["mode"] = o.Quick ? "quick" : "full",
            ["started"] = DateTimeOffset.UtcNow.AddSeconds(-seconds).ToString("O", CultureInfo.InvariantCulture),
            ["run_seconds"] = Math.Round(seconds, 1),
            ["git"] = new { commit = Git("rev-parse HEAD"), branch = Git("rev-parse --abbrev-ref HEAD"), dirty = Git("status --porcelain -- functions tests tools scripts").Length > 0 },
            ["machine"] = new
            {
                cores = Environment.ProcessorCount,
                os = RuntimeInformation.OSDescription,
                runtime = RuntimeInformation.FrameworkDescription,
                memory_gib = Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024), 1),
                cpu = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':')[1].Trim() : null,
                load_at_start = loadAtStart,
                load_at_end = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "",
                storage = "Azurite 3.37 in memory, same machine",
            },
            ["parameters"] = new { o.Writes, o.Concurrencies, o.Burst, o.Thread, o.Sizes, o.Campaign, o.Reads, o.ColdStarts, IncrementalOnlyAbove = o.FullRunsUpTo == int.MaxValue ? (int?)null : o.FullRunsUpTo },
            ["figures"] = r.Figures.Where(f => !f.Key.Contains("ratio", StringComparison.Ordinal)).ToDictionary(),
            ["ratios"] = r.Figures.Where(f => f.Key.Contains("ratio", StringComparison.Ordinal)).ToDictionary(),
        };
        var directory = Path.Combine(root, o.Out);
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, $"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH-mm}Z-{document["mode"]}.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }) + "\n");
        Console.WriteLine($"  written {Path.GetRelativePath(root, file)}");
    }
}
