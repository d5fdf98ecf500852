using Azure.Data.Tables;
using Participa.Storage;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Storage;

public class SubmissionStoreTests
{
    static List<TableEntity> Rows(string processId, string id) =>
    [
        new(processId, $"p|{id}") { ["Id"] = id, ["Hidden"] = false },
        new(processId, Keys.Receipt(id)) { ["Kind"] = "proposal" },
    ];

    [Fact]
    public async Task A_transaction_sent_twice_without_a_client_key_is_recognised_as_the_same_item()
    {
        // What the SDK does when a transaction committed but its answer was lost: it sends it again.
        await using var app = await ParticipaApp.StartAsync();
        var store = app.Service<SubmissionStore>();
        var id = Participa.Domain.Ids.New(DateTimeOffset.UtcNow);

        var first = await store.AddAsync("proc", id, Rows("proc", id), null, CancellationToken.None);
        var again = await store.AddAsync("proc", id, Rows("proc", id), null, CancellationToken.None);

        Assert.IsType<WriteOutcome.Stored>(first);
        var replayed = Assert.IsType<WriteOutcome.Replayed>(again);
        Assert.Equal(id, replayed.ItemId);
        Assert.True(replayed.SameRequest);
    }

    [Fact]
    public async Task A_failed_transaction_stores_none_of_its_rows()
    {
        await using var app = await ParticipaApp.StartAsync();
        var store = app.Service<SubmissionStore>();
        var existing = Participa.Domain.Ids.New(DateTimeOffset.UtcNow);
        await store.AddAsync("proc", existing, Rows("proc", existing), null, CancellationToken.None);
        var fresh = Participa.Domain.Ids.New(DateTimeOffset.UtcNow.AddMilliseconds(1));

        // The second row collides with a stored one, so the whole transaction must fail.
        var outcome = await store.AddAsync("proc", fresh, [new TableEntity("proc", $"p|{fresh}") { ["Id"] = fresh }, new TableEntity("proc", $"p|{existing}")],
            new IdempotencyKey(Guid.NewGuid().ToString("N"), "h"), CancellationToken.None);

        Assert.IsType<WriteOutcome.Duplicate>(outcome);
        Assert.Null(await store.FindAsync("proc", $"p|{fresh}", CancellationToken.None));
    }
}
