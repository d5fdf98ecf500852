using System.Net;
using System.Text.Json;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Participation;

public class CommentsTests
{
    static object Comment(string text) => new { text, department = "quiche", sector = "citizen" };

    [Fact]
    public async Task Comments_on_a_section_are_listed_there_and_counted_in_the_document()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddCoCreationWithDraftAsync();
        using var client = app.CreateClient();
        var version = $"/api/processes/{process.Id}/documents/borrador-pan5/versions/2";

        var created = await client.PostAsync($"{version}/sections/c3-h1/comments", Http.Json(Comment("Falta el presupuesto del hito.")));
        await client.PostAsync($"{version}/sections/c3-h1/comments", Http.Json(Comment("De acuerdo con el hito.")));
        await client.PostAsync($"{version}/sections/c5/comments", Http.Json(Comment("¿Quién verifica el avance?")));
        await client.PostAsync($"{version}/comments", Http.Json(Comment("Comentario general al borrador.")));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var comment = await created.ReadJsonAsync();
        Assert.Equal("section", comment.GetProperty("target").GetProperty("kind").GetString());
        Assert.Equal("c3-h1", comment.GetProperty("target").GetProperty("sectionId").GetString());
        Assert.Equal(2, comment.GetProperty("target").GetProperty("version").GetInt32());

        var section = await (await client.GetAsync($"{version}/sections/c3-h1/comments")).ReadJsonAsync();
        Assert.Equal(2, section.GetProperty("count").GetInt64());
        Assert.Equal("Falta el presupuesto del hito.", section.GetProperty("items")[0].GetProperty("text").GetString());

        var document = await (await client.GetAsync($"/api/processes/{process.Id}/documents/borrador-pan5")).ReadJsonAsync();
        Assert.Equal(2, document.GetProperty("version").GetInt32());
        Assert.Equal(1, document.GetProperty("commentCount").GetInt32());
        int CountOf(string id) => document.GetProperty("sections").EnumerateArray().Single(s => s.GetProperty("id").GetString() == id).GetProperty("commentCount").GetInt32();
        Assert.Equal(2, CountOf("c3-h1"));
        Assert.Equal(1, CountOf("c5"));
        Assert.Equal(0, CountOf("c1"));
    }

    [Fact]
    public async Task An_old_version_stays_readable_with_its_own_comments_but_takes_no_new_ones()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddCoCreationWithDraftAsync();
        using var client = app.CreateClient();
        // A comment made while version 1 was current, stored as the API stored it then.
        var now = DateTimeOffset.UtcNow;
        var old = Participa.Domain.Comment.Create(process.Id, new(Participa.Domain.CommentTargetKind.Section, "borrador-pan5", 1, "c1"), null,
            new Participa.Domain.CommentInput { Text = "Sobre la versión 1" }, Participa.Domain.Ids.New(now), now, new())!;
        await app.Service<Participa.Storage.CommentStore>().AddAsync(old, old.Receipt().Sha256, null, null, CancellationToken.None);

        var v1 = await (await client.GetAsync($"/api/processes/{process.Id}/documents/borrador-pan5/versions/1")).ReadJsonAsync();
        var v2 = await (await client.GetAsync($"/api/processes/{process.Id}/documents/borrador-pan5/versions/2")).ReadJsonAsync();
        var refused = await client.PostAsync($"/api/processes/{process.Id}/documents/borrador-pan5/versions/1/sections/c1/comments", Http.Json(Comment("tarde")));

        Assert.Equal(1, v1.GetProperty("sections")[0].GetProperty("commentCount").GetInt32());
        Assert.Equal(0, v2.GetProperty("sections")[0].GetProperty("commentCount").GetInt32());
        Assert.True(v2.GetProperty("changes").GetArrayLength() > 0);
        Assert.NotEqual(v1.GetProperty("sections").GetArrayLength(), v2.GetProperty("sections").GetArrayLength());
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("version 2", (await refused.ReadJsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Replies_form_threads_of_several_levels_that_page_in_order()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var proposal = await (await client.PostAsync($"/api/processes/{process.Id}/proposals", Http.Json(Http.Proposal()))).ReadJsonAsync();
        var onProposal = $"/api/processes/{process.Id}/proposals/{proposal.GetProperty("id").GetString()}/comments";

        var root = await (await client.PostAsync(onProposal, Http.Json(Comment("Raíz")))).ReadJsonAsync();
        var rootId = root.GetProperty("id").GetString()!;
        var level1 = await (await client.PostAsync($"/api/processes/{process.Id}/comments/{rootId}/replies", Http.Json(Comment("Nivel 1")))).ReadJsonAsync();
        var level2 = await (await client.PostAsync($"/api/processes/{process.Id}/comments/{level1.GetProperty("id").GetString()}/replies", Http.Json(Comment("Nivel 2")))).ReadJsonAsync();
        for (var i = 0; i < 5; i++)
            await client.PostAsync($"/api/processes/{process.Id}/comments/{rootId}/replies", Http.Json(Comment($"Otra respuesta {i}")));

        Assert.Equal(2, level2.GetProperty("depth").GetInt32());
        Assert.Equal(rootId, level2.GetProperty("rootId").GetString());
        Assert.Equal(level1.GetProperty("id").GetString(), level2.GetProperty("parentId").GetString());
        Assert.Equal("proposal", level2.GetProperty("target").GetProperty("kind").GetString());

        var texts = new List<string>();
        string? token = null;
        do
        {
            var thread = await (await client.GetAsync($"/api/processes/{process.Id}/comments/{level2.GetProperty("id").GetString()}?pageSize=3" + (token is null ? "" : "&continuationToken=" + token))).ReadJsonAsync();
            Assert.Equal("Raíz", thread.GetProperty("root").GetProperty("text").GetString());
            Assert.Equal(7, thread.GetProperty("replies").GetProperty("count").GetInt64());
            texts.AddRange(thread.GetProperty("replies").GetProperty("items").EnumerateArray().Select(r => r.GetProperty("text").GetString()!));
            token = thread.GetProperty("replies").GetProperty("continuationToken").GetString();
        } while (token is not null);
        Assert.Equal(["Nivel 1", "Nivel 2", "Otra respuesta 0", "Otra respuesta 1", "Otra respuesta 2", "Otra respuesta 3", "Otra respuesta 4"], texts);

        // Only the root appears in the proposal's list; replies live in the thread.
        Assert.Equal(1, (await (await client.GetAsync(onProposal)).ReadJsonAsync()).GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task Replies_stop_at_the_maximum_depth()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddCoCreationWithDraftAsync();
        using var client = app.CreateClient();
        var parent = await (await client.PostAsync($"/api/processes/{process.Id}/documents/borrador-pan5/versions/2/comments", Http.Json(Comment("0")))).ReadJsonAsync();
        HttpResponseMessage response;
        var depth = 0;
        while (true)
        {
            response = await client.PostAsync($"/api/processes/{process.Id}/comments/{parent.GetProperty("id").GetString()}/replies", Http.Json(Comment($"{depth + 1}")));
            if (response.StatusCode != HttpStatusCode.Created) break;
            parent = await response.ReadJsonAsync();
            depth = parent.GetProperty("depth").GetInt32();
        }
        Assert.Equal(Participa.Domain.Comment.MaxDepth, depth);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty("parentId", out _));
    }

    [Fact]
    public async Task Unknown_documents_versions_sections_and_comments_are_404()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddCoCreationWithDraftAsync();
        using var client = app.CreateClient();
        var root = $"/api/processes/{process.Id}";
        foreach (var url in new[]
        {
            $"{root}/documents/nada/versions/1/comments",
            $"{root}/documents/borrador-pan5/versions/3/comments",
            $"{root}/documents/borrador-pan5/versions/0/comments",
            $"{root}/documents/borrador-pan5/versions/uno/comments",
            $"{root}/documents/borrador-pan5/versions/2/sections/c99/comments",
            $"{root}/documents/borrador-pan5/versions/2/sections/C1'%20or%20'1'='1/comments",
            $"{root}/proposals/01a2036e4bff7894913c2bf784aa0d94/comments",
            $"{root}/comments/01a2036e4bff7894913c2bf784aa0d94/replies",
        })
        {
            var post = await client.PostAsync(url, Http.Json(Comment("x")));
            Assert.True(post.StatusCode == HttpStatusCode.NotFound, $"POST {url}: {post.StatusCode}");
        }
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"{root}/comments/01a2036e4bff7894913c2bf784aa0d94")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"{root}/documents/borrador-pan5/versions/9")).StatusCode);
    }

    [Fact]
    public async Task Comment_text_round_trips_exactly()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddBillProcessAsync();
        using var client = app.CreateClient();
        const string text = "Artículo 3: ¿y las municipalidades? Xe'ij ri q'ij 🙏\n<b>no es HTML</b> & \"comillas\"";

        var created = await client.PostAsync($"/api/processes/{process.Id}/documents/iniciativa-5210/versions/1/sections/art-3/comments", Http.Json(new { text }));
        var listed = await (await client.GetAsync($"/api/processes/{process.Id}/documents/iniciativa-5210/versions/1/sections/art-3/comments")).ReadJsonAsync();

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(text, listed.GetProperty("items")[0].GetProperty("text").GetString());
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("continuationToken").ValueKind);
    }
}
