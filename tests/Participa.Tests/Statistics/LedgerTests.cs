using System.Net;
using System.Text.Json;
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
        await client.PostAsync("/PublishStatistics", Http.TimerPayload());
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
        await client.PostAsync("/PublishStatistics", Http.TimerPayload());
        var root = await PublishedRootAsync(app, bill.Id);

        // Someone with storage access silently drops one receipt from the ledger.
        var states = app.Service<StatisticsStore>();
        var (book, etag) = await states.ReadLedgerAsync(bill.Id, CancellationToken.None);
        await states.SaveLedgerAsync(bill.Id, new LedgerBook(book.Entries.Where(e => e.Id != receipts[2])), etag, CancellationToken.None);

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
    public void The_stored_ledger_round_trips_and_keeps_its_order()
    {
        var t = DateTimeOffset.UtcNow;
        var book = new LedgerBook();
        foreach (var i in new[] { 3, 1, 2 })
            book.Set(new LedgerEntry(Ids.New(t.AddSeconds(i)), Convert.ToHexStringLower(Ledger.Hash([(byte)i])), "published"));
        book.Set(book.Entries[1] with { State = "hidden" });

        var copy = LedgerBook.FromBytes(book.ToBytes());

        Assert.Equal(book.Entries, copy.Entries);
        Assert.Equal(book.Root(), copy.Root());
        Assert.Equal(book.Entries.Select(e => e.Id).Order(StringComparer.Ordinal), book.Entries.Select(e => e.Id));
        Assert.Throws<InvalidDataException>(() => LedgerBook.FromBytes(new byte[50]));
    }
}
