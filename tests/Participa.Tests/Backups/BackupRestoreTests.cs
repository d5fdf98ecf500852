using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Participa.Api.Hosting;
using Participa.Storage;
using Participa.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Participa.Tests.Backups;

/// <summary>
/// The nightly backup and the restore tool against Azurite: records made through the API are exported (a full run,
/// then an incremental one after more submissions and a hide), the tables and containers are wiped, the tables are
/// rebuilt by the restore command into the empty account, and the records, the recomputed statistics and the ledger
/// root equal what was there and published before the wipe.
/// </summary>
public sealed class BackupRestoreTests(ITestOutputHelper output)
{
    static readonly string Moderator = StaffTokens.For(StaffRoles.Moderator);

    [Fact]
    public async Task Exported_wiped_and_restored_records_are_the_same_and_republish_the_same_statistics_and_ledger_root()
    {
        var connection = await Azurite.ConnectionStringAsync();
        var backupContainer = "bk" + Guid.NewGuid().ToString("N")[..12];
        // The backups outlive the first app: its disposal is the wipe.
        var settings = new Dictionary<string, string?> { ["Participa:BackupContainer"] = backupContainer, ["Backup:OverlapSeconds"] = "0" };
        var backups = new BlobServiceClient(connection).GetBlobContainerClient(backupContainer);
        try
        {
            string prefix;
            Dictionary<string, string> records, published;
            List<string> processIds;
            await using (var app = await ParticipaApp.StartAsync(settings: settings))
            {
                prefix = app.Prefix;
                var bill = await app.AddBillProcessAsync();
                var plan = await app.AddCoCreationWithDraftAsync();
                processIds = [bill.Id, plan.Id];
                using var client = app.CreateClient();
                await SubmitAsync(client, bill.Id, plan.Id, "primera");
                var reported = await ProposeAsync(client, plan.Id, "Propuesta denunciada");
                Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"/api/processes/{plan.Id}/reports", Http.Json(new { itemId = reported, reason = "spam" }))).StatusCode);

                var full = await RunBackupAsync(app, backups);
                Assert.Equal("full", full.Kind);

                // After the full run: new rows, changed rows (a hide), and deleted rows (the report leaves the queue).
                await SubmitAsync(client, bill.Id, plan.Id, "segunda");
                var queue = await (await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/processes/{plan.Id}/moderation-queue").WithToken(Moderator))).ReadJsonAsync();
                var etag = queue.GetProperty("items")[0].GetProperty("item").GetProperty("etag").GetString()!;
                var hide = new HttpRequestMessage(HttpMethod.Post, $"/api/processes/{plan.Id}/moderation/{reported}/decisions")
                {
                    Content = Http.Json(new { action = "hide", reasonCategory = "spam" }),
                }.WithToken(Moderator);
                hide.Headers.TryAddWithoutValidation("If-Match", etag);
                Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(hide)).StatusCode);
                var published1 = await app.RunTimerAsync("PublishStatistics");
                Assert.True(published1.Succeeded, published1.Error);

                var incremental = await RunBackupAsync(app, backups);
                Assert.Equal("incremental", incremental.Kind);
                var totalRows = 0L;
                await foreach (var table in AsyncTables(app.Service<Tables>()))
                    totalRows += table.Count;
                // Only what changed since the full run, while its key list names every row.
                Assert.InRange(incremental.Tables.Sum(t => t.Rows), 1, totalRows - 1);
                Assert.Equal(totalRows, incremental.Tables.Sum(t => t.Keys));

                records = await RecordsAsync(app.Service<Tables>());
                published = await BlobsAsync(app.PublishedContainer(), "processes/");
                Assert.Contains(records.Values, r => r.Contains("Propuesta denunciada"));
            }

            // Wiped: the app's tables and its state and published containers are gone.
            var service = new TableServiceClient(connection);
            await foreach (var _ in service.QueryAsync(t => t.Name == prefix + "Submissions"))
                Assert.Fail("the tables were not wiped");

            var log = new StringWriter();
            var exit = await RestoreCommand.RunAsync(["--from", connection, "--container", backupContainer, "--to", connection, "--prefix", prefix], log, log);
            output.WriteLine(log.ToString());
            Assert.Equal(0, exit);

            await using var restored = await ParticipaApp.StartAsync(settings: settings, prefix: prefix);
            Assert.Equal(records, await RecordsAsync(restored.Service<Tables>()));

            var recompute = await restored.RunTimerAsync("RecomputeStatistics");
            Assert.True(recompute.Succeeded, recompute.Error);
            var republished = await BlobsAsync(restored.PublishedContainer(), "processes/");
            Assert.Equal(published.Keys.Order(StringComparer.Ordinal), republished.Keys.Order(StringComparer.Ordinal));
            foreach (var (name, content) in published)
                Assert.True(content == republished[name], $"{name} differs after the restore");
            foreach (var processId in processIds)
            {
                var root = JsonDocument.Parse(published[$"processes/{processId}/statistics.json"]).RootElement.GetProperty("ledger").GetProperty("root").GetString();
                Assert.False(string.IsNullOrEmpty(root));
                Assert.Equal(root, JsonDocument.Parse(republished[$"processes/{processId}/statistics.json"]).RootElement.GetProperty("ledger").GetProperty("root").GetString());
            }

            // A second restore into the now full tables is refused rather than mixed in.
            var refused = new StringWriter();
            Assert.Equal(1, await RestoreCommand.RunAsync(["--from", connection, "--container", backupContainer, "--to", connection, "--prefix", prefix], TextWriter.Null, refused));
            Assert.Contains("is not empty", refused.ToString());
        }
        finally
        {
            await backups.DeleteIfExistsAsync();
        }
    }

    static async Task<BackupManifest> RunBackupAsync(ParticipaApp app, BlobContainerClient backups)
    {
        var before = await backups.ExistsAsync() ? (await TableRestore.ListRunsAsync(backups, CancellationToken.None)).Count : 0;
        var outcome = await app.RunTimerAsync("Backup");
        Assert.True(outcome.Succeeded, outcome.Error);
        var runs = await TableRestore.ListRunsAsync(backups, CancellationToken.None);
        Assert.Equal(before + 1, runs.Count);
        // Written in a few large blocks, not one per row (a block blob takes at most 50,000 blocks).
        foreach (var file in runs[^1].Tables.SelectMany(t => new[] { t.RowsFile, t.KeysFile }).OfType<string>())
        {
            var blocks = await backups.GetBlockBlobClient(file).GetBlockListAsync();
            Assert.InRange(blocks.Value.CommittedBlocks.Count(), 0, 2);
        }
        return runs[^1];
    }

    static async Task SubmitAsync(HttpClient client, string billId, string planId, string round)
    {
        foreach (var (position, article) in new[] { ("for", "art-1"), ("against", "art-2"), ("neutral", (string?)null) })
        {
            var response = await client.PostAsync($"/api/processes/{billId}/opinions", Http.Json(new
            {
                position, article, department = "peten", reasons = $"Razón {round}", authorEmail = "privada@example.org", authorName = "Nombre Privado",
            }));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"/api/processes/{planId}/documents/borrador-pan5/versions/2/sections/c1/comments",
            Http.Json(new { text = $"Comentario {round}", department = "solola" }))).StatusCode);
        await ProposeAsync(client, planId, $"Propuesta {round}");
    }

    static async Task<string> ProposeAsync(HttpClient client, string processId, string title)
    {
        var response = await client.PostAsync($"/api/processes/{processId}/proposals", Http.Json(Http.Proposal(title: title)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("id").GetString()!;
    }

    static async IAsyncEnumerable<(string Name, long Count)> AsyncTables(Tables tables)
    {
        foreach (var (name, table) in tables.ByName)
        {
            long count = 0;
            await foreach (var _ in table.QueryAsync<TableEntity>(select: ["PartitionKey"])) count++;
            yield return (name, count);
        }
    }

    /// <summary>Every row of every table, keyed by table and keys, as its typed properties (server Timestamp and ETag aside).</summary>
    static async Task<Dictionary<string, string>> RecordsAsync(Tables tables)
    {
        var records = new Dictionary<string, string>();
        foreach (var (name, table) in tables.ByName)
            await foreach (var entity in table.QueryAsync<TableEntity>())
            {
                using var buffer = new MemoryStream();
                using (var writer = new Utf8JsonWriter(buffer)) EntityFormat.Write(writer, entity);
                records[$"{name}/{entity.PartitionKey}/{entity.RowKey}"] = Encoding.UTF8.GetString(buffer.ToArray());
            }
        return records;
    }

    static async Task<Dictionary<string, string>> BlobsAsync(BlobContainerClient container, string prefix)
    {
        var blobs = new Dictionary<string, string>();
        await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, prefix, CancellationToken.None))
            blobs[blob.Name] = (await container.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToString();
        return blobs;
    }
}
