using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Participa.Domain;
using Participa.Storage;
using Participa.Tests.Infrastructure;

// Figures for the participation core against the storage floor, measured in one run so that ratios mean something.
// Usage: scripts/bench.sh [submissions] [thread size]
static class Benchmarks
{
    static async Task<int> Main(string[] args)
    {
        if (args is ["statistics", ..])
            return await StatisticsBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000);
        if (args is ["backup", ..])
            return await BackupBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000);
        if (args is ["bulk", ..]) return await BulkBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5000);
        if (args is ["campaigns", ..])
            return await CampaignBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000);
        var submissions = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
        var threadSize = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
        const int concurrency = 16;

        var connection = await Azurite.ConnectionStringAsync();
        await using var app = await BenchApp.StartAsync();
        var prefix = app.Prefix;
        var bill = SampleData.Bill5210 with { Id = "bench-bill" };
        await app.Service<DocumentStore>().PublishAsync(SampleDocuments.Bill5210 with { ProcessId = bill.Id }, SampleDocuments.Bill5210V1, default);
        await app.Service<ProcessStore>().UpsertAsync(bill, default);
        using var client = app.CreateClient();

        Console.WriteLine($"Participa benchmarks: {Environment.ProcessorCount} cores, in-memory Azurite, {concurrency} concurrent requests");

        // 1. The floor: single-entity inserts straight to Table Storage.
        var raw = new TableClient(connection, prefix + "Raw");
        await raw.CreateIfNotExistsAsync();
        // Warm both paths first (JIT, connections, Azurite's own start), so neither figure pays for it.
        await RateAsync(200, i => raw.AddEntityAsync(new TableEntity("warm", i.ToString("D8", CultureInfo.InvariantCulture))));
        await RateAsync(50, i => client.PostAsJsonAsync($"/api/processes/{bill.Id}/opinions", new { position = "for" }));
        var rawRate = await RateAsync(submissions, i => raw.AddEntityAsync(new TableEntity("p", i.ToString("D8", CultureInfo.InvariantCulture))
        {
            ["Position"] = "for", ["Reasons"] = "Una razón de longitud típica para una opinión ciudadana.", ["Department"] = "peten",
        }));
        Print("raw single-entity inserts", rawRate, "entities/s");

        // 2. Opinions through the whole API: HTTP pipeline, validation, one 5-row transaction each.
        var apiRate = await RateAsync(submissions, async i =>
        {
            var response = await client.PostAsJsonAsync($"/api/processes/{bill.Id}/opinions",
        new { position = Positions.All[i % 3], article = $"art-{i % 8 + 1}", reasons = "Una razón de longitud típica para una opinión ciudadana.", department = "peten" });
            if ((int)response.StatusCode != 201) throw new InvalidOperationException($"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        });
        Print("opinions through the API", apiRate, "submissions/s");
        Print("  ratio to raw inserts", apiRate / rawRate, "");
        Console.WriteLine($"  = {apiRate * 5:F0} rows/s; 100,000 opinions an hour need {100_000 / 3600.0:F0} submissions/s");

        // 3. A thread of threadSize replies: page 1 against page 100, and the count scan.
        var comments = app.Service<CommentStore>();
        var target = new CommentTarget(CommentTargetKind.Document, "iniciativa-5210", 1);
        var start = DateTimeOffset.UtcNow;
        var root = Comment.Create(bill.Id, target, null, new CommentInput { Text = "Raíz" }, Ids.New(start), start, new Errors())!;
        await comments.AddAsync(root, root.Receipt().Sha256, null, null, default);
        var fill = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(1, threadSize), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
        {
            var at = start.AddMilliseconds(i);
            var reply = Comment.Create(bill.Id, target, root, new CommentInput { Text = $"Respuesta {i}" }, Ids.New(at), at, new Errors())!;
            await comments.AddAsync(reply, reply.Receipt().Sha256, null, null, ct);
        });
        Console.WriteLine($"thread of {threadSize:N0} replies written in {fill.Elapsed.TotalSeconds:F1} s");

        var tokens = new List<string?> { null };
        while (tokens.Count < 100)
        {
            var page = await comments.RepliesAsync(bill.Id, root.Id, tokens[^1], 100, default);
            tokens.Add(page.ContinuationToken);
        }
        var url = $"/api/processes/{bill.Id}/comments/{root.Id}?pageSize=100";
        await client.GetAsync(url); // warms the count cache, so the pages below measure the page read alone
        var first = await MedianAsync(() => client.GetAsync(url));
        var hundredth = await MedianAsync(() => client.GetAsync(url + "&continuationToken=" + tokens[99]));
        Print("thread page 1 (100 replies), median", first, "ms");
        Print("thread page 100 (100 replies), median", hundredth, "ms");
        var count = Stopwatch.StartNew();
        var counted = 0;
        await foreach (var _ in app.Service<SubmissionStore>().ScanAsync(bill.Id, $"r|{root.Id}|", null, ["RowKey"], default)) counted++;
        Print($"count scan of {counted:N0} replies", count.Elapsed.TotalMilliseconds, "ms");

        await raw.DeleteAsync();
        foreach (var table in app.Service<Tables>().All) await table.DeleteAsync();
        return 0;

        async Task<double> RateAsync(int n, Func<int, Task> work)
        {
            var stopwatch = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, _) => await work(i));
            return n / stopwatch.Elapsed.TotalSeconds;
        }

        async Task<double> MedianAsync(Func<Task<HttpResponseMessage>> read)
        {
            var times = new List<double>();
            for (var i = 0; i < 21; i++)
            {
        var stopwatch = Stopwatch.StartNew();
        var response = await read();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        times.Add(stopwatch.Elapsed.TotalMilliseconds);
        if (body.RootElement.GetProperty("replies").GetProperty("items").GetArrayLength() != 100) throw new InvalidOperationException("short page");
            }
            times.Sort();
            return times[times.Count / 2];
        }

        static void Print(string what, double value, string unit) =>
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what,-44} {value,10:F2} {unit}"));

    }
}
