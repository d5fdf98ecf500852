using System.Net;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Participation;

public class IdempotencyTests
{
    static HttpRequestMessage Post(string url, object body, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = Http.Json(body) };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    [Fact]
    public async Task A_retry_with_the_same_key_returns_the_first_answer_and_stores_nothing_new()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var url = $"/api/processes/{process.Id}/proposals";
        var key = Guid.NewGuid().ToString();

        var first = await client.SendAsync(Post(url, Http.Proposal(), key));
        var retry = await client.SendAsync(Post(url, Http.Proposal(), key));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        var a = await first.ReadJsonAsync();
        var b = await retry.ReadJsonAsync();
        Assert.Equal(a.GetProperty("id").GetString(), b.GetProperty("id").GetString());
        Assert.Equal(a.GetProperty("receipt").GetProperty("sha256").GetString(), b.GetProperty("receipt").GetProperty("sha256").GetString());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(1, (await (await client.GetAsync(url)).ReadJsonAsync()).GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task A_body_with_a_utf8_byte_order_mark_is_accepted_and_is_the_same_request_as_without()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var url = $"/api/processes/{process.Id}/proposals";
        var json = System.Text.Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(Http.Proposal(title: "Con marca de orden")));
        HttpRequestMessage Raw(byte[] bytes, string key)
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
            request.Headers.Add("Idempotency-Key", key);
            return request;
        }
        byte[] bom = [0xEF, 0xBB, 0xBF, .. json];

        var key = Guid.NewGuid().ToString();
        var withBom = await client.SendAsync(Raw(bom, key));
        var without = await client.SendAsync(Raw(json, key));
        var bomAgain = await client.SendAsync(Raw(bom, Guid.NewGuid().ToString()));

        Assert.Equal(HttpStatusCode.Created, withBom.StatusCode);
        var first = await withBom.ReadJsonAsync();
        Assert.Equal("Con marca de orden", first.GetProperty("title").GetString());
        // The same key with the same JSON, BOM or not, is a retry of the first request (not a 422).
        Assert.Equal(HttpStatusCode.Created, without.StatusCode);
        Assert.Equal("true", without.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.GetProperty("id").GetString(), (await without.ReadJsonAsync()).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.Created, bomAgain.StatusCode);
        Assert.Equal(2, (await (await client.GetAsync(url)).ReadJsonAsync()).GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task Concurrent_retries_with_one_key_store_one_item()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var url = $"/api/processes/{process.Id}/proposals";
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.SendAsync(Post(url, Http.Proposal(), key))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.ReadJsonAsync()).GetProperty("id").GetString()));
        Assert.Single(ids.Distinct());
        var listed = await (await client.GetAsync(url)).ReadJsonAsync();
        Assert.Equal(1, listed.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_422_and_stores_nothing()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var url = $"/api/processes/{process.Id}/proposals";

        await client.SendAsync(Post(url, Http.Proposal(title: "Primera"), "clave-1"));
        var other = await client.SendAsync(Post(url, Http.Proposal(title: "Otra distinta"), "clave-1"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType!.MediaType);
        Assert.Equal(1, (await (await client.GetAsync(url)).ReadJsonAsync()).GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task Without_a_key_or_with_different_keys_each_request_is_a_new_submission()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var url = $"/api/processes/{process.Id}/proposals";

        await client.SendAsync(Post(url, Http.Proposal(), null));
        await client.SendAsync(Post(url, Http.Proposal(), null));
        await client.SendAsync(Post(url, Http.Proposal(), "a"));
        await client.SendAsync(Post(url, Http.Proposal(), "b"));

        Assert.Equal(4, (await (await client.GetAsync(url)).ReadJsonAsync()).GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task A_key_is_scoped_to_its_endpoint()
    {
        await using var app = await ParticipaApp.StartAsync();
        var a = await app.AddProcessAsync();
        var b = await app.AddProcessAsync();
        using var client = app.CreateClient();

        var first = await client.SendAsync(Post($"/api/processes/{a.Id}/proposals", Http.Proposal(), "shared"));
        var second = await client.SendAsync(Post($"/api/processes/{b.Id}/proposals", Http.Proposal(), "shared"));

        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.NotEqual((await first.ReadJsonAsync()).GetProperty("id").GetString(), (await second.ReadJsonAsync()).GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("tiene espacios")]
    [InlineData("ñandú")]
    public async Task A_malformed_key_is_400(string key)
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/processes/{process.Id}/proposals") { Content = Http.Json(Http.Proposal()) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
    }

    [Fact]
    public async Task An_overlong_key_is_400()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var response = await client.SendAsync(Post($"/api/processes/{process.Id}/proposals", Http.Proposal(), new string('k', 129)));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
    /// <summary>
    /// Each kind of submission, not only proposals: a retry with the key is the first answer again (same id and
    /// receipt, Idempotent-Replayed), the key with another body is 422, and one item is stored.
    /// </summary>
    static async Task AssertIdempotentAsync(HttpClient client, string url, object body, object otherBody, string listUrl, string countPath = "count")
    {
        var key = Guid.NewGuid().ToString();
        var first = await client.SendAsync(Post(url, body, key));
        var retry = await client.SendAsync(Post(url, body, key));
        var reused = await client.SendAsync(Post(url, otherBody, key));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        var (a, b) = (await first.ReadJsonAsync(), await retry.ReadJsonAsync());
        Assert.Equal(a.GetProperty("id").GetString(), b.GetProperty("id").GetString());
        Assert.Equal(a.GetProperty("receipt").GetProperty("sha256").GetString(), b.GetProperty("receipt").GetProperty("sha256").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        var listed = await (await client.GetAsync(listUrl)).ReadJsonAsync();
        foreach (var name in countPath.Split('.')) listed = listed.GetProperty(name);
        Assert.Equal(1, listed.GetInt64());
    }

    [Fact]
    public async Task Opinions_comments_and_replies_replay_a_retry_and_refuse_a_reused_key()
    {
        await using var app = await ParticipaApp.StartAsync();
        var bill = await app.AddBillProcessAsync();
        var plan = await app.AddCoCreationWithDraftAsync();
        using var client = app.CreateClient();

        await AssertIdempotentAsync(client, $"/api/processes/{bill.Id}/opinions",
            new { position = "for", article = "art-2", reasons = "Mejora la transparencia." },
            new { position = "against", article = "art-2", reasons = "Otra cosa." },
            $"/api/processes/{bill.Id}/opinions");

        var section = $"/api/processes/{plan.Id}/documents/borrador-pan5/versions/2/sections/c3-h1/comments";
        await AssertIdempotentAsync(client, section,
            new { text = "Falta el presupuesto del hito.", department = "quiche", sector = "citizen" },
            new { text = "Otro comentario.", department = "quiche", sector = "citizen" },
            section);

        var root = (await (await client.PostAsync(section, Http.Json(new { text = "Raíz del hilo.", department = "quiche", sector = "citizen" }))).ReadJsonAsync()).GetProperty("id").GetString();
        var thread = $"/api/processes/{plan.Id}/comments/{root}";
        await AssertIdempotentAsync(client, thread + "/replies", new { text = "Una respuesta." }, new { text = "Otra respuesta." }, thread, "replies.count");
    }

    [Fact]
    public async Task A_support_retried_with_its_key_is_replayed_with_the_first_receipt_and_counted_once()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var proposal = await (await client.PostAsync($"/api/processes/{process.Id}/proposals", Http.Json(Http.Proposal()))).ReadJsonAsync();
        var url = $"/api/processes/{process.Id}/proposals/{proposal.GetProperty("id").GetString()}";
        var token = (await (await client.PostAsync("/api/participants", null)).ReadJsonAsync()).GetProperty("token").GetString()!;
        HttpRequestMessage Support(string? key)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, url + "/supports");
            request.Headers.Add("Participant-Token", token);
            if (key is not null) request.Headers.Add("Idempotency-Key", key);
            return request;
        }

        var key = Guid.NewGuid().ToString();
        var first = await client.SendAsync(Support(key));
        var retry = await client.SendAsync(Support(key));
        var pressedAgain = await client.SendAsync(Support(null));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal((await first.ReadJsonAsync()).GetProperty("receipt").GetProperty("id").GetString(),
            (await retry.ReadJsonAsync()).GetProperty("receipt").GetProperty("id").GetString());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        // Without the key, the same participant again is the 409 "already supported", not a replay.
        Assert.Equal(HttpStatusCode.Conflict, pressedAgain.StatusCode);
        Assert.Equal(1, (await (await client.GetAsync(url)).ReadJsonAsync()).GetProperty("supports").GetInt64());
    }
    static HttpRequestMessage Staff(HttpMethod method, string url, object? body, string? key, string role)
    {
        var request = new HttpRequestMessage(method, url) { Content = body is null ? null : Http.Json(body) }.WithToken(StaffTokens.For(role));
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    [Fact]
    public async Task A_report_retried_with_its_key_is_one_report()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var item = (await (await client.PostAsync($"/api/processes/{process.Id}/proposals", Http.Json(Http.Proposal()))).ReadJsonAsync()).GetProperty("id").GetString()!;
        var url = $"/api/processes/{process.Id}/reports";
        var key = Guid.NewGuid().ToString();

        var first = await client.SendAsync(Post(url, new { itemId = item, reason = "spam" }, key));
        var retry = await client.SendAsync(Post(url, new { itemId = item, reason = "spam" }, key));
        var reused = await client.SendAsync(Post(url, new { itemId = item, reason = "insult" }, key));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal((await first.ReadJsonAsync()).GetProperty("id").GetString(), (await retry.ReadJsonAsync()).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        var detail = await (await client.SendAsync(Staff(HttpMethod.Get, $"/api/processes/{process.Id}/moderation/{item}", null, null, Participa.Api.Hosting.StaffRoles.Moderator))).ReadJsonAsync();
        Assert.Equal(1, detail.GetProperty("item").GetProperty("totalReports").GetInt32());
        Assert.Equal(1, detail.GetProperty("reports").GetArrayLength());
    }

    [Fact]
    public async Task An_attendance_batch_retried_with_its_key_counts_its_people_once()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var (meeting, _) = await Participa.Tests.Roundtables.MeetingsTests.CreateAsync(client, process.Id);
        var url = $"/api/processes/{process.Id}/meetings/{meeting}/attendance";
        var batch = new { attendees = new[] { new { name = "Rosa Inventada", sector = "citizen" }, new { name = "Luis Inventado", sector = "citizen" } } };
        var key = Guid.NewGuid().ToString();
        const string facilitator = Participa.Api.Hosting.StaffRoles.Facilitator;

        var first = await client.SendAsync(Staff(HttpMethod.Post, url, batch, key, facilitator));
        var retry = await client.SendAsync(Staff(HttpMethod.Post, url, batch, key, facilitator));
        var reused = await client.SendAsync(Staff(HttpMethod.Post, url, new { name = "Otra Persona", sector = "citizen" }, key, facilitator));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        var (a, b) = (await first.ReadJsonAsync(), await retry.ReadJsonAsync());
        Assert.Equal(a.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()), b.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        Assert.Equal(2, b.GetProperty("attendance").GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        var listed = await (await client.SendAsync(Staff(HttpMethod.Get, url, null, null, facilitator))).ReadJsonAsync();
        Assert.Equal(2, listed.GetProperty("count").GetInt64());
    }
}
