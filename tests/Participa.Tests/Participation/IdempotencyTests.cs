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
}
