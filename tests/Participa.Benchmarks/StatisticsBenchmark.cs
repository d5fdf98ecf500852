using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
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
        var (factory, prefix) = await BenchApp.StartAsync("s");
        await using var _factory = factory;
        var services = factory.Services;
        var bill = SampleData.Bill5210 with { Id = "bench-stats" };
        await services.GetRequiredService<ProcessStore>().UpsertAsync(bill, default);
        var tables = services.GetRequiredService<Tables>();
        using var client = factory.CreateClient();
        Console.WriteLine($"Statistics: {items:N0} opinions on one bill; {Environment.ProcessorCount} cores, in-memory Azurite");

        var start = DateTimeOffset.UtcNow.AddHours(-2);
        var write = Stopwatch.StartNew();
        await WriteAsync(tables, bill.Id, start, 0, items);
        Print($"writing {items:N0} receipts + journal rows (bulk)", write.Elapsed.TotalSeconds, "s");

        Print($"first run: catch up {items:N0} journal rows", await TimeAsync(client, "PublishStatistics"), "s");
        Print($"full recompute over {items:N0} receipts", await TimeAsync(client, "RecomputeStatistics"), "s");
        await WriteAsync(tables, bill.Id, start, items, 1_000);
        Print("incremental run over 1,000 new items", await TimeAsync(client, "PublishStatistics"), "s");
        Print("idle run (nothing new)", await TimeAsync(client, "PublishStatistics"), "s");

        foreach (var table in tables.All) await table.DeleteAsync();
        return 0;
    }

    static async Task WriteAsync(Tables tables, string processId, DateTimeOffset start, int from, int count)
    {
        var random = new Random(from + 5210);
        var rows = Enumerable.Range(from, count).Select(i =>
        {
            var at = start.AddMilliseconds(i * 36);
            var id = Ids.New(at);
            var stat = Journal.Serialize(new StatRecord(StatKind.Opinion, id, at, null, Departments.All[random.Next(22)].Id, null,
                Profile.Genders[random.Next(4)].Id, null, "iniciativa-5210", 1, Article: $"art-{random.Next(8) + 1}", Position: Positions.All[random.Next(3)]));
            var sha = Convert.ToHexStringLower(Ledger.Hash(BitConverter.GetBytes(i)));
            return (Receipt: new TableEntity(processId, Keys.Receipt(id)) { ["Kind"] = "opinion", ["State"] = "published", ["Stat"] = stat, ["Sha256"] = sha },
                    Journal: Journal.Row(processId, id, stat, +1, sha));
        }).ToList();
        var batches = rows.Select(r => r.Receipt).Chunk(100).Concat(rows.Select(r => r.Journal).Chunk(100));
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (batch, ct) =>
            await tables.Submissions.SubmitTransactionAsync(batch.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)), ct));
    }

    static async Task<double> TimeAsync(HttpClient client, string timer)
    {
        var stopwatch = Stopwatch.StartNew();
        var response = await client.PostAsync("/" + timer, new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException(body);
        Console.WriteLine("  " + body);
        return stopwatch.Elapsed.TotalSeconds;
    }

    static void Print(string what, double value, string unit) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what,-52} {value,10:F2} {unit}"));
}
