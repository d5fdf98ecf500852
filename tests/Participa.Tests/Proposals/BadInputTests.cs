using System.Net;
using System.Text;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Proposals;

/// <summary>Client mistakes get a problem+json 4xx naming what is wrong, never a 500, and nothing is stored.</summary>
public class BadInputTests : IAsyncLifetime
{
    ParticipaApp _app = null!;
    HttpClient _client = null!;
    string _url = null!;

    public async Task InitializeAsync()
    {
        _app = await ParticipaApp.StartAsync();
        var process = await _app.AddProcessAsync();
        _client = _app.CreateClient();
        _url = $"/api/processes/{process.Id}/proposals";
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    [Theory]
    [InlineData("{\"title\": ", null)]                          // truncated JSON
    [InlineData("not json at all", null)]
    [InlineData("[1,2,3]", null)]                               // not an object
    [InlineData("null", null)]
    [InlineData("{\"title\": 42}", "title")]                    // wrong types
    [InlineData("{\"problem\": true}", "problem")]
    [InlineData("{\"theme\": [\"a\"]}", "theme")]
    [InlineData("{\"department\": {\"id\": \"peten\"}}", "department")]
    [InlineData("{}", "title")]                                 // missing fields
    [InlineData("{\"title\":\"T\",\"problem\":\"P\",\"proposedSolution\":\"S\",\"theme\":\"ambiente-clima\"}", "department")]
    [InlineData("{\"title\":\"T\",\"problem\":\"P\",\"proposedSolution\":\"S\",\"theme\":\"nope\",\"department\":\"peten\"}", "theme")]
    [InlineData("{\"title\":\"T\",\"problem\":\"P\",\"proposedSolution\":\"S\",\"theme\":\"ambiente-clima\",\"department\":\"Petén' or true\"}", "department")]
    [InlineData("{\"title\":\"\\ud800\",\"problem\":\"P\",\"proposedSolution\":\"S\",\"theme\":\"ambiente-clima\",\"department\":\"peten\"}", "title")]
    [InlineData("{\"title\":\"T\",\"problem\":\"\\ufdd0\",\"proposedSolution\":\"S\",\"theme\":\"ambiente-clima\",\"department\":\"peten\"}", "problem")]
    [InlineData("{\"title\":\"T\",\"problem\":\"P\",\"proposedSolution\":\"\\ud83f\\udfff\",\"theme\":\"ambiente-clima\",\"department\":\"peten\"}", "proposedSolution")]
    public async Task Malformed_or_invalid_bodies_are_400_naming_the_field(string body, string? field)
    {
        var response = await _client.PostAsync(_url, Http.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.ReadJsonAsync();
        if (field is not null)
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task An_oversized_field_is_400_with_the_limit()
    {
        var proposal = Http.Proposal();
        proposal["problem"] = new string('x', 4001);
        var response = await _client.PostAsync(_url, Http.Json(proposal));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("4000", (await response.ReadJsonAsync()).GetProperty("errors").GetProperty("problem")[0].GetString());
    }

    [Fact]
    public async Task An_oversized_body_is_413()
    {
        var proposal = Http.Proposal();
        proposal["padding"] = new string('x', 70_000);
        var response = await _client.PostAsync(_url, Http.Json(proposal));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task An_oversized_chunked_body_is_413()
    {
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"title\":\"" + new string('x', 70_000) + "\"}")));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/xml")]
    public async Task Other_media_types_are_415(string mediaType)
    {
        var response = await _client.PostAsync(_url, new StringContent("{}", Encoding.UTF8, mediaType));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task A_missing_content_type_is_415()
    {
        var response = await _client.PostAsync(_url, new ByteArrayContent("{}"u8.ToArray()));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/processes/no-such-process/proposals")]
    [InlineData("/api/processes/UPPER/proposals")]
    [InlineData("/api/processes/a'%20or%20'1'%20eq%20'1/proposals")]
    [InlineData("/api/processes/%23hash/proposals")]
    public async Task Unknown_or_malformed_processes_are_404(string url)
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _client.PostAsync(url, Http.Json(Http.Proposal()))).StatusCode);
        var listed = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.NotFound, listed.StatusCode);
        Assert.Equal("application/problem+json", listed.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("pageSize=ten", "pageSize")]
    [InlineData("pageSize=-5", "pageSize")]
    [InlineData("pageSize=1e3", "pageSize")]
    [InlineData("continuationToken=garbage", "continuationToken")]
    [InlineData("continuationToken=01A2036E4BFF7894913C2BF784AA0D94", "continuationToken")]
    [InlineData("continuationToken=%27%20or%20RowKey%20gt%20%27", "continuationToken")]
    public async Task Bad_paging_parameters_are_400_naming_the_parameter(string query, string field)
    {
        var response = await _client.GetAsync($"{_url}?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Theory]
    [InlineData("not-an-id")]
    [InlineData("01a2036e4bff7894913c2bf784aa0d94")]
    public async Task Unknown_proposals_are_404(string id)
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"{_url}/{id}")).StatusCode);
    }

    [Fact]
    public async Task Unknown_routes_are_404_problem_json()
    {
        var response = await _client.GetAsync("/api/no-such-thing");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    async Task AssertNothingStoredAsync()
    {
        var listed = await (await _client.GetAsync(_url)).ReadJsonAsync();
        Assert.Equal(0, listed.GetProperty("items").GetArrayLength());
    }
}
