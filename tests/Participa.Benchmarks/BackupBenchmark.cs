using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Participa.Domain;
using Participa.Storage;
using Participa.Tests.Infrastructure;

// Backups at a measurable size: scripts/bench.sh backup [submissions] (default 20,000 opinions through the API).
// Times the nightly export (full, then incremental over 1,000 more) and the restore into empty tables;
// docs/deploy.md extrapolates the figures to 1,000,000 submissions.
static class BackupBenchmark
{
    public static async Task<int> RunAsync(int submissions)
    {
        var connection = await Azurite.ConnectionStringAsync();
        await using var app = await BenchApp.StartAsync();
        var bill = SampleData.Bill5210 with { Id = "bench-backup" };
        await app.Service<DocumentStore>().PublishAsync(SampleDocuments.Bill5210 with { ProcessId = bill.Id }, SampleDocuments.Bill5210V1, default);
        await app.Service<ProcessStore>().UpsertAsync(bill, default);
        using var client = app.CreateClient();
        Console.WriteLine($"Backups: {submissions:N0} opinions through the API; {Environment.ProcessorCount} cores, in-memory Azurite");

        var writing = Stopwatch.StartNew();
        await SubmitAsync(client, bill.Id, 0, submissions);
        Console.WriteLine($"  (submitting took {writing.Elapsed.TotalSeconds:F0} s, outside the timings)");
        var rows = 0L;
        foreach (var table in app.Service<Tables>().All)
            await foreach (var _ in table.QueryAsync<TableEntity>(select: ["PartitionKey"])) rows++;
        Console.WriteLine($"  {rows:N0} rows in the app's tables ({rows / (double)submissions:F2} per submission)");

        var backups = new BlobServiceClient(connection).GetBlobContainerClient(app.Prefix + "backups");
        var full = await TimeAsync(app, backups);
        Print($"full export of {rows:N0} rows", full.Seconds, "s");
        Print("  compressed size", full.Manifest.Tables.Sum(t => t.Bytes) / 1024.0 / 1024.0, "MiB");
        Print("  bytes per submission", full.Manifest.Tables.Sum(t => t.Bytes) / (double)submissions, "B");

        await SubmitAsync(client, bill.Id, submissions, 1_000);
        var incremental = await TimeAsync(app, backups);
        Print($"incremental export, 1,000 new on {submissions:N0}", incremental.Seconds, "s");
        Print("  rows / keys written", incremental.Manifest.Tables.Sum(t => t.Rows), $"rows, {incremental.Manifest.Tables.Sum(t => t.Keys):N0} keys");
        Print("  compressed size", incremental.Manifest.Tables.Sum(t => t.Bytes + 0) / 1024.0 / 1024.0, "MiB (rows only)");

        var target = "r" + Guid.NewGuid().ToString("N")[..10];
        var restore = Stopwatch.StartNew();
        var result = await TableRestore.RestoreAsync(backups, new TableServiceClient(connection), target, null, _ => { }, default);
        Print($"restore of {result.RowsByTable.Values.Sum():N0} rows (full + 1 incremental)", restore.Elapsed.TotalSeconds, "s");
        Print("  rows/s", result.RowsByTable.Values.Sum() / restore.Elapsed.TotalSeconds, "");
        foreach (var name in result.RowsByTable.Keys) await new TableServiceClient(connection).DeleteTableAsync(target + name);
        return 0;
    }

    static async Task SubmitAsync(HttpClient client, string processId, int from, int count) =>
        await Parallel.ForEachAsync(Enumerable.Range(from, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var response = await client.PostAsJsonAsync($"/api/processes/{processId}/opinions", new
            {
                position = Positions.All[i % 3], article = $"art-{i % 8 + 1}", department = Departments.All[i % 22].Id,
                reasons = $"Una razón de longitud típica para una opinión ciudadana, número {i}.", authorEmail = $"persona{i}@example.org",
            }, ct);
            if ((int)response.StatusCode != 201) throw new InvalidOperationException($"{response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        });

    static async Task<(double Seconds, BackupManifest Manifest)> TimeAsync(ParticipaApp app, BlobContainerClient backups)
    {
        var stopwatch = Stopwatch.StartNew();
        var outcome = await app.RunTimerAsync("Backup");
        if (!outcome.Succeeded) throw new InvalidOperationException(outcome.Error);
        var seconds = stopwatch.Elapsed.TotalSeconds;
        Console.WriteLine("  " + outcome.Log.Trim());
        return (seconds, (await TableRestore.ListRunsAsync(backups, default))[^1]);
    }

    static void Print(string what, double value, string unit) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what,-52} {value,10:F2} {unit}"));
}
