using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Participa.Domain;
using Participa.Storage;
using Participa.Tests.Infrastructure;

// Statistics at the size of a busy bill: scripts/bench.sh statistics [items] (default 100,000).
// Writes receipts and journal rows as the API would (in bulk, to save time), then times the timers.
static class StatisticsBenchmark
{
    public static async Task<int> RunAsync(int items)
    {
        await using var app = await BenchApp.StartAsync();
        var prefix = app.Prefix;
        var bill = SampleData.Bill5210 with { Id = "bench-stats" };
        await app.Service<ProcessStore>().UpsertAsync(bill, default);
        var tables = app.Service<Tables>();
        using var client = app.CreateClient();
        Console.WriteLine($"Statistics: {items:N0} opinions on one bill; {Environment.ProcessorCount} cores, in-memory Azurite");

        // The incremental run is timed twice, over 1,000 new items on a history of a tenth and of all the items:
        // its cost should follow the new items, not the history.
        var start = DateTimeOffset.UtcNow.AddHours(-2);
        var small = items / 10;
        var writing = TimeSpan.Zero;
        async Task<List<string>> Write(int from, int count)
        {
            var stopwatch = Stopwatch.StartNew();
            var written = await WriteAsync(tables, bill.Id, start, from, count);
            writing += stopwatch.Elapsed;
            return written;
        }
        var ids = await Write(0, small);
        Print($"first run: catch up {small:N0} journal rows", await TimeAsync(app, "PublishStatistics"), "s");
        ids.AddRange(await Write(small, 1_000));
        Print($"incremental run over 1,000 new items on {small:N0}", await TimeAsync(app, "PublishStatistics"), "s");
        ids.AddRange(await Write(small + 1_000, items - small - 1_000));
        Print($"catch-up run over {items - small - 1_000:N0} new items", await TimeAsync(app, "PublishStatistics"), "s");
        Print($"full recompute over {items:N0} receipts", await TimeAsync(app, "RecomputeStatistics"), "s");
        ids.AddRange(await Write(items, 1_000));
        Print($"incremental run over 1,000 new items on {items:N0}", await TimeAsync(app, "PublishStatistics"), "s");
        Print("idle run (nothing new)", await TimeAsync(app, "PublishStatistics"), "s");
        Console.WriteLine($"  (writing {ids.Count:N0} receipts + journal rows in bulk, outside the timings, took {writing.TotalSeconds:F0} s in all)");

        // A citizen checking a receipt: the proof reads the ledger's index and one page, whatever the ledger's size.
        var random = new Random(42);
        var proofs = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            var response = await client.GetAsync($"/api/processes/{bill.Id}/ledger/proofs/{ids[random.Next(ids.Count)]}");
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
            proofs.Add(stopwatch.Elapsed.TotalMilliseconds);
        }
        proofs.Sort();
        Print($"receipt proof in a ledger of {ids.Count:N0} (median of 200)", proofs[proofs.Count / 2], "ms");
        Print("receipt proof (95th percentile)", proofs[proofs.Count * 95 / 100], "ms");

        foreach (var table in tables.All) await table.DeleteAsync();
        return 0;
    }

    /// <returns>The ids of the items written.</returns>
    public static async Task<List<string>> WriteAsync(Tables tables, string processId, DateTimeOffset start, int from, int count,
        bool journal = true, TimeSpan? apart = null)
    {
        var step = (apart ?? TimeSpan.FromMilliseconds(36)).TotalMilliseconds;
        var random = new Random(from + 5210);
        var rows = Enumerable.Range(from, count).Select(i =>
        {
            var at = start.AddMilliseconds(i * step);
            var id = Ids.New(at);
            var stat = Journal.Serialize(new StatRecord(StatKind.Opinion, id, at, null, Departments.All[random.Next(22)].Id, null,
                Profile.Genders[random.Next(4)].Id, null, "iniciativa-5210", 1, Article: $"art-{random.Next(8) + 1}", Position: Positions.All[random.Next(3)]));
            var sha = Convert.ToHexStringLower(Ledger.Hash(BitConverter.GetBytes(i)));
            return (Receipt: new TableEntity(processId, Keys.Receipt(id)) { ["Kind"] = "opinion", ["State"] = "published", ["Stat"] = stat, ["Sha256"] = sha },
                    Journal: Journal.Row(processId, id, stat, +1, sha));
        }).ToList();
        var batches = rows.Select(r => r.Receipt).Chunk(100).Concat(journal ? rows.Select(r => r.Journal).Chunk(100) : []);
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (batch, ct) =>
            await tables.Submissions.SubmitTransactionAsync(batch.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)), ct));
        return rows.Select(r => r.Receipt.RowKey[Keys.Receipt("").Length..]).ToList();
    }

    /// <summary>Runs the timer through the host, as Azure's admin API does, and times it to its InvocationResponse.</summary>
    static async Task<double> TimeAsync(ParticipaApp app, string timer)
    {
        var stopwatch = Stopwatch.StartNew();
        var outcome = await app.RunTimerAsync(timer);
        if (!outcome.Succeeded) throw new InvalidOperationException(outcome.Error);
        Console.WriteLine("  " + outcome.Log.Trim());
        return stopwatch.Elapsed.TotalSeconds;
    }

    static void Print(string what, double value, string unit) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what,-52} {value,10:F2} {unit}"));
}
