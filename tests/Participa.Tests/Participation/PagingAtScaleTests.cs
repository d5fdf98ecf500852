using Participa.Domain;
using Participa.Storage;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Participation;

public class PagingAtScaleTests
{
    [Fact]
    public async Task Thousands_of_comments_on_one_section_page_completely_in_order_without_duplicates()
    {
        const int total = 2500;
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddBillProcessAsync();
        var store = app.Service<CommentStore>();
        var target = new CommentTarget(CommentTargetKind.Section, "iniciativa-5210", 1, "art-1");
        var start = DateTimeOffset.UtcNow;
        var ids = new string[total];
        // Written through the store, several at a time: the API path is tested elsewhere; this is about reading.
        await Parallel.ForEachAsync(Enumerable.Range(0, total), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var at = start.AddMilliseconds(i);
            var comment = Comment.Create(process.Id, target, null, new CommentInput { Text = $"Comentario {i}" }, Ids.New(at), at, new Errors())!;
            ids[i] = comment.Id;
            await store.AddAsync(comment, comment.Receipt().Sha256, null, null, ct);
        });
        using var client = app.CreateClient();

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await (await client.GetAsync($"/api/processes/{process.Id}/documents/iniciativa-5210/versions/1/sections/art-1/comments?pageSize=100"
                + (token is null ? "" : "&continuationToken=" + token))).ReadJsonAsync();
            Assert.Equal(total, page.GetProperty("count").GetInt64());
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()!));
            token = page.GetProperty("continuationToken").GetString();
            pages++;
        } while (token is not null);

        Assert.Equal(total / 100, pages);
        Assert.Equal(ids.Order(StringComparer.Ordinal), seen);
    }

    [Fact]
    public async Task A_continuation_token_from_one_list_is_refused_by_another()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddBillProcessAsync();
        using var client = app.CreateClient();
        for (var i = 0; i < 3; i++)
            await client.PostAsync($"/api/processes/{process.Id}/opinions", Http.Json(new { position = "for", article = "art-1" }));
        var token = (await (await client.GetAsync($"/api/processes/{process.Id}/opinions?article=art-1&pageSize=1")).ReadJsonAsync()).GetProperty("continuationToken").GetString();

        var elsewhere = await client.GetAsync($"/api/processes/{process.Id}/opinions?position=for&pageSize=1&continuationToken={token}");

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, elsewhere.StatusCode);
    }
}
