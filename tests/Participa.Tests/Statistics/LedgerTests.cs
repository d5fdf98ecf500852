using System.Net;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Participa.Domain;
using Participa.Storage;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Statistics;

public class LedgerTests
{
    static LedgerEntry EntryOf(JsonElement proof) =>
        new(proof.GetProperty("receiptId").GetString()!, proof.GetProperty("sha256").GetString()!, proof.GetProperty("state").GetString()!);

    static List<ProofStep> StepsOf(JsonElement proof) =>
        proof.GetProperty("proof").EnumerateArray().Select(p => new ProofStep(p.GetProperty("sibling").GetString()!, p.GetProperty("siblingOnLeft").GetBoolean())).ToList();

    static async Task<string> PublishedRootAsync(ParticipaApp app, string processId) =>
        JsonDocument.Parse((await app.PublishedContainer().GetBlobClient($"processes/{processId}/statistics.json").DownloadContentAsync()).Value.Content.ToString())
            .RootElement.GetProperty("ledger").GetProperty("root").GetString()!;

    [Fact]
    public async Task A_citizen_proves_their_receipt_is_in_the_published_ledger_hidden_or_not()
    {
        await using var app = await ParticipaApp.StartAsync();
        var bill = await app.AddBillProcessAsync();
        using var client = app.CreateClient();
        var receipts = new List<JsonElement>();
        for (var i = 0; i < 7; i++)
            receipts.Add((await (await client.PostAsync($"/api/processes/{bill.Id}/opinions", Http.Json(new { position = "for", reasons = $"Texto {i}" }))).ReadJsonAsync()).GetProperty("receipt"));
        var hiddenId = receipts[3].GetProperty("id").GetString()!;
        await app.Service<SubmissionStore>().SetStateAsync(bill.Id, hiddenId, ItemState.Hidden("spam", null, DateTimeOffset.UtcNow), null, CancellationToken.None);
        await app.RunTimerAsync();
        var root = await PublishedRootAsync(app, bill.Id);

        foreach (var receipt in receipts)
        {
            var response = await client.GetAsync($"/api/processes/{bill.Id}/ledger/proofs/{receipt.GetProperty("id").GetString()}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var proof = await response.ReadJsonAsync();
            // What the citizen checks: the hash is the one on their receipt, and the proof folds to the published root.
            Assert.Equal(receipt.GetProperty("sha256").GetString(), proof.GetProperty("sha256").GetString());
            Assert.True(Ledger.Verify(EntryOf(proof), StepsOf(proof), root));
            Assert.Equal(7, proof.GetProperty("receipts").GetInt32());
            Assert.DoesNotContain("Texto", await response.Content.ReadAsStringAsync());
        }
        var hidden = await (await client.GetAsync($"/api/processes/{bill.Id}/ledger/proofs/{hiddenId}")).ReadJsonAsync();
        Assert.Equal("hidden", hidden.GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_ledger_altered_behind_the_published_root_does_not_verify()
    {
        await using var app = await ParticipaApp.StartAsync();
        var bill = await app.AddBillProcessAsync();
        using var client = app.CreateClient();
        var receipts = new List<string>();
        for (var i = 0; i < 5; i++)
            receipts.Add((await (await client.PostAsync($"/api/processes/{bill.Id}/opinions", Http.Json(new { position = "against" }))).ReadJsonAsync()).GetProperty("receipt").GetProperty("id").GetString()!);
        await app.RunTimerAsync();
        var root = await PublishedRootAsync(app, bill.Id);

        // Someone with storage access silently drops one receipt from the stored ledger page.
        var states = app.Service<StatisticsStore>();
        var ledger = await states.ReadLedgerAsync(bill.Id, CancellationToken.None);
        var page = Assert.Single(ledger.Pages);
        var entries = await states.ReadLedgerPageAsync(bill.Id, page, CancellationToken.None);
        Assert.Equal(5, entries.Count);
        await app.StateContainer().GetBlobClient($"ledger/{bill.Id}/{page.Root}.bin")
            .UploadAsync(new BinaryData(PagedLedger.ToBytes(entries.Where(e => e.Id != receipts[2]).ToList())), overwrite: true);

        var dropped = await client.GetAsync($"/api/processes/{bill.Id}/ledger/proofs/{receipts[2]}");
        var other = await (await client.GetAsync($"/api/processes/{bill.Id}/ledger/proofs/{receipts[0]}")).ReadJsonAsync();

        Assert.Equal(HttpStatusCode.NotFound, dropped.StatusCode);
        Assert.False(Ledger.Verify(EntryOf(other), StepsOf(other), root));
    }

    [Fact]
    public async Task A_receipt_newer_than_the_last_run_is_not_in_the_ledger_yet()
    {
        await using var app = await ParticipaApp.StartAsync();
        var bill = await app.AddBillProcessAsync();
        using var client = app.CreateClient();
        var id = (await (await client.PostAsync($"/api/processes/{bill.Id}/opinions", Http.Json(new { position = "for" }))).ReadJsonAsync()).GetProperty("id").GetString();

        var response = await client.GetAsync($"/api/processes/{bill.Id}/ledger/proofs/{id}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("not in the published ledger yet", (await response.ReadJsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/processes/{bill.Id}/ledger/proofs/not-an-id")).StatusCode);
    }

    [Fact]
    public async Task A_proof_reads_one_page_of_a_ledger_of_many_and_a_later_hide_changes_only_that_page()
    {
        // Pages of 8 receipts (4,096 in production): 19 opinions make three pages, the last holding the newest three.
        await using var app = await ParticipaApp.StartAsync(settings: new() { ["Statistics:LedgerPageSize"] = "8" });
        var bill = await app.AddBillProcessAsync();
        using var client = app.CreateClient();
        var ids = new List<string>();
        for (var i = 0; i < 19; i++)
            ids.Add((await (await client.PostAsync($"/api/processes/{bill.Id}/opinions", Http.Json(new { position = "for" }))).ReadJsonAsync()).GetProperty("id").GetString()!);
        await app.RunTimerAsync();
        var states = app.Service<StatisticsStore>();
        var before = (await states.ReadLedgerAsync(bill.Id, CancellationToken.None)).Pages;
        Assert.Equal([8, 8, 3], before.Select(p => p.Count));

        var sorted = ids.Order(StringComparer.Ordinal).ToList();
        await app.Service<SubmissionStore>().SetStateAsync(bill.Id, sorted[10], ItemState.Hidden("spam", null, DateTimeOffset.UtcNow), null, CancellationToken.None);
        await app.RunTimerAsync();

        var after = (await states.ReadLedgerAsync(bill.Id, CancellationToken.None)).Pages;
        Assert.NotEqual(before[1].Root, after[1].Root);
        Assert.Equal(before[0], after[0]);
        Assert.Equal(before[2], after[2]);
        var root = await PublishedRootAsync(app, bill.Id);
        foreach (var id in new[] { sorted[10], sorted[^1] })
        {
            var proof = await (await client.GetAsync($"/api/processes/{bill.Id}/ledger/proofs/{id}")).ReadJsonAsync();
            Assert.True(Ledger.Verify(EntryOf(proof), StepsOf(proof), root));
            Assert.Equal(sorted.IndexOf(id), proof.GetProperty("leafIndex").GetInt64());
        }
        // The replaced page is gone: only the pages the index lists are stored.
        var stored = new List<string>();
        await foreach (var blob in app.StateContainer().GetBlobsAsync(new GetBlobsOptions { Prefix = $"ledger/{bill.Id}/" })) stored.Add(blob.Name);
        Assert.Equal(after.Select(p => $"ledger/{bill.Id}/{p.Root}.bin").Order(), stored.Order());
    }
}
