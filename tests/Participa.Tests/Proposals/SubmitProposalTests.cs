using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Participa.Domain;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Proposals;

public class SubmitProposalTests
{
    [Fact]
    public async Task A_submission_is_stored_and_acknowledged_with_a_verifiable_receipt()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();

        var response = await client.PostAsync($"/api/processes/{process.Id}/proposals", Http.Json(Http.Proposal()));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.ReadJsonAsync();
        var id = body.GetProperty("id").GetString()!;
        Assert.Equal($"/api/processes/{process.Id}/proposals/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal(id, body.GetProperty("receipt").GetProperty("id").GetString());

        // What the API acknowledged is in storage, and the receipt's hash matches the stored content.
        var stored = await app.Service<Participa.Storage.ProposalStore>().FindAsync(process.Id, id, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(body.GetProperty("receipt").GetProperty("sha256").GetString(), stored.Sha256);
        Assert.Equal(stored.Item.Receipt().Sha256, stored.Sha256);

        // Read back, it is the same item and receipt, less the appeal code that only its author got.
        var fetched = await (await client.GetAsync(response.Headers.Location)).ReadJsonAsync();
        var code = body.GetProperty("receipt").GetProperty("appealCode").GetString()!;
        Assert.Equal(body.ToString().Replace($",\"appealCode\":\"{code}\"", ""), fetched.ToString());
        Assert.DoesNotContain(code, fetched.ToString());
    }

    [Fact]
    public async Task Anyone_can_recompute_the_receipt_hash_from_the_public_fields()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();

        var body = await (await client.PostAsync($"/api/processes/{process.Id}/proposals", Http.Json(Http.Proposal()))).ReadJsonAsync();

        string F(string name) => body.GetProperty(name).GetString()!;
        string P(string name) => body.GetProperty("participant").GetProperty(name).GetString() ?? "";
        var canonical = Receipt.Canonical([
            ("kind", "proposal"), ("processId", F("processId")), ("id", F("id")), ("title", F("title")), ("problem", F("problem")),
            ("proposedSolution", F("proposedSolution")), ("theme", F("theme")), ("submittedAt", F("submittedAt")),
            ("department", P("department")), ("municipality", P("municipality")), ("sector", P("sector")),
            ("authorName", P("name")), ("authorOrganisation", P("organisation"))]);
        Assert.Equal(body.GetProperty("receipt").GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(canonical)));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", F("submittedAt"));
    }

    [Fact]
    public async Task Spanish_mayan_and_emoji_text_round_trips_exactly_and_html_stays_text()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        const string title = "Ch'umil: agua para Nebaj, Sololá y Q'anjob'al 💧🌽 <script>alert(1)</script>";
        const string problem = "Línea uno: «información pública».\nLínea dos: kʼicheʼ, qʼeqchiʼ, mam, tzʼutujil — ñandú & 🙂";

        var proposal = Http.Proposal(title: title);
        proposal["problem"] = problem;
        var created = await (await client.PostAsync($"/api/processes/{process.Id}/proposals", Http.Json(proposal))).ReadJsonAsync();

        var listed = await (await client.GetAsync($"/api/processes/{process.Id}/proposals")).ReadJsonAsync();
        var item = listed.GetProperty("items")[0];
        Assert.Equal(title, item.GetProperty("title").GetString());
        Assert.Equal(problem, item.GetProperty("problem").GetString());
        Assert.Equal(created.GetProperty("id").GetString(), item.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Listing_pages_through_every_proposal_once_in_submission_order()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var submitted = new List<string>();
        for (var i = 0; i < 45; i++)
        {
            var response = await client.PostAsync($"/api/processes/{process.Id}/proposals", Http.Json(Http.Proposal(title: $"Propuesta {i}")));
            submitted.Add((await response.ReadJsonAsync()).GetProperty("id").GetString()!);
        }

        var seen = new List<string>();
        var pages = 0;
        string? token = null;
        do
        {
            var url = $"/api/processes/{process.Id}/proposals?pageSize=20" + (token is null ? "" : $"&continuationToken={token}");
            var page = await (await client.GetAsync(url)).ReadJsonAsync();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetString()!));
            token = page.GetProperty("continuationToken").GetString();
            pages++;
        } while (token is not null);

        Assert.Equal(3, pages);
        Assert.Equal(submitted, seen);
    }

    [Fact]
    public async Task Proposals_are_filtered_by_theme_and_department_with_counts()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        (string Theme, string Department)[] sent =
        [
            ("ambiente-clima", "peten"), ("ambiente-clima", "peten"), ("ambiente-clima", "solola"), ("gobierno-digital", "peten"),
        ];
        foreach (var (theme, department) in sent)
            await client.PostAsync($"/api/processes/{process.Id}/proposals", Http.Json(Http.Proposal(theme, department)));

        async Task<(long Count, int Items)> Query(string query)
        {
            var page = await (await client.GetAsync($"/api/processes/{process.Id}/proposals?{query}")).ReadJsonAsync();
            return (page.GetProperty("count").GetInt64(), page.GetProperty("items").GetArrayLength());
        }
        Assert.Equal((4, 4), await Query(""));
        Assert.Equal((3, 3), await Query("theme=ambiente-clima"));
        Assert.Equal((3, 3), await Query("department=peten"));
        Assert.Equal((2, 2), await Query("theme=ambiente-clima&department=peten"));
        Assert.Equal((0, 0), await Query("theme=migracion-pobreza"));
        var filtered = await (await client.GetAsync($"/api/processes/{process.Id}/proposals?theme=ambiente-clima&department=solola")).ReadJsonAsync();
        Assert.Equal("solola", filtered.GetProperty("items")[0].GetProperty("participant").GetProperty("department").GetString());
    }

    [Fact]
    public async Task Proposals_of_one_process_never_appear_in_another()
    {
        await using var app = await ParticipaApp.StartAsync();
        var a = await app.AddProcessAsync();
        var b = await app.AddProcessAsync();
        using var client = app.CreateClient();
        await client.PostAsync($"/api/processes/{a.Id}/proposals", Http.Json(Http.Proposal()));

        var listed = await (await client.GetAsync($"/api/processes/{b.Id}/proposals")).ReadJsonAsync();

        Assert.Equal(0, listed.GetProperty("items").GetArrayLength());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, listed.GetProperty("continuationToken").ValueKind);
    }

    [Fact]
    public async Task Processes_are_listed_and_described()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();

        var one = await (await client.GetAsync($"/api/processes/{process.Id}")).ReadJsonAsync();
        var all = await (await client.GetAsync("/api/processes")).ReadJsonAsync();

        Assert.Equal("coCreation", one.GetProperty("kind").GetString());
        Assert.Equal(6, one.GetProperty("themes").GetArrayLength());
        Assert.Equal("2026-01-01T00:00:00.000Z", one.GetProperty("phases")[0].GetProperty("opens").GetString());
        Assert.Contains(all.GetProperty("items").EnumerateArray(), p => p.GetProperty("id").GetString() == process.Id);
    }

    [Fact]
    public async Task Processes_are_paged_like_every_list_and_a_forged_token_is_400()
    {
        await using var app = await ParticipaApp.StartAsync();
        var ids = new List<string>();
        for (var i = 0; i < 25; i++)
            ids.Add((await app.AddProcessAsync(SampleData.CoCreation2021 with { Id = $"p{i:00}-" + Guid.NewGuid().ToString("N")[..8], IsSample = false })).Id);
        ids.Sort(StringComparer.Ordinal);
        using var client = app.CreateClient();

        var first = await (await client.GetAsync("/api/processes")).ReadJsonAsync();
        Assert.Equal(20, first.GetProperty("items").GetArrayLength());
        Assert.Equal(25, first.GetProperty("count").GetInt64());
        var rest = await (await client.GetAsync("/api/processes?continuationToken=" + first.GetProperty("continuationToken").GetString())).ReadJsonAsync();
        Assert.Equal(5, rest.GetProperty("items").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("continuationToken").ValueKind);

        // Small pages, followed to the end, give every process once, in id order.
        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await (await client.GetAsync("/api/processes?pageSize=7" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token)))).ReadJsonAsync();
            Assert.True(page.GetProperty("items").GetArrayLength() <= 7);
            Assert.Equal(25, page.GetProperty("count").GetInt64());
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetString()!));
            token = page.GetProperty("continuationToken").GetString();
        } while (token is not null);
        Assert.Equal(ids, seen);

        foreach (var (query, field) in new[]
                 {
                     ("pageSize=0", "pageSize"), ("pageSize=101", "pageSize"), ("pageSize=ten", "pageSize"),
                     ("continuationToken=garbage!", "continuationToken"), ("continuationToken=____", "continuationToken"),
                     ("continuationToken=%2F%2F%2F%2F", "continuationToken"), ("continuationToken=a", "continuationToken"),
                     ("continuationToken=" + Participa.Storage.Tokens.Encode("o|" + ids[0]), "continuationToken"),
                     ("continuationToken=" + Participa.Storage.Tokens.Encode("UPPER"), "continuationToken"),
                     ("continuationToken=" + new string('x', 401), "continuationToken"),
                 })
        {
            var response = await client.GetAsync("/api/processes?" + query);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty(field, out _), query);
        }
    }

    [Fact]
    public async Task The_sample_process_is_loaded_once_with_invented_proposals()
    {
        await using var app = await ParticipaApp.StartAsync(settings: new() { ["Participa:SeedSampleData"] = "true" });
        using var client = app.CreateClient();

        var items = await WaitForProposalsAsync(client, SampleData.Proposals.Count);
        var process = await (await client.GetAsync($"/api/processes/{SampleData.CoCreation2021.Id}")).ReadJsonAsync();

        Assert.True(process.GetProperty("isSample").GetBoolean());
        Assert.Equal(SampleData.Proposals.Count, items);
    }

    static async Task<int> WaitForProposalsAsync(HttpClient client, int expected)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var response = await client.GetAsync($"/api/processes/{SampleData.CoCreation2021.Id}/proposals?pageSize=100");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var count = (await response.ReadJsonAsync()).GetProperty("items").GetArrayLength();
                if (count >= expected) return count;
            }
            await Task.Delay(100);
        }
        return -1;
    }
}
