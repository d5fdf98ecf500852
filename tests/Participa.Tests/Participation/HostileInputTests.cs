using System.Net;
using System.Text;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Participation;

/// <summary>Every write endpoint, every kind of bad body: always a 4xx problem+json, never a 5xx, nothing stored.</summary>
public class HostileInputTests
{
    public static readonly TheoryData<string> Bodies = new()
    {
        "",
        "{",
        "[]",
        "null",
        "\"text\"",
        "{\"text\": 42, \"title\": [], \"position\": {}, \"department\": true}",
        "{\"text\": \"\\u0000\"}",
        "{\"text\": \"\\ud800\"}",
        "{\"text\": \"\\ufffe\", \"reasons\": \"\\ufffe\", \"position\": \"for\"}",
        "{\"reasons\": \"x\", \"position\": \"for' or 'a' eq 'a\"}",
        "{\"showName\": \"yes\"}",
        "{\"department\": \"guatemala\", \"municipality\": \"" + new string('m', 101) + "\"}",
        "{\"text\": \"" + new string('x', 4001) + "\", \"reasons\": \"" + new string('y', 4001) + "\"}",
        "{\"authorEmail\": \"<script>@x\"}",
        "{\"article\": \"art-1' or RowKey gt '\", \"position\": \"for\"}",
        "{\"" + new string('k', 1000) + "\": 1}",
        "{\"a\":" + string.Concat(Enumerable.Repeat("[", 200)) + string.Concat(Enumerable.Repeat("]", 200)) + "}",
    };

    static IEnumerable<string> WriteUrls(string coCreation, string bill, string proposal, string comment) =>
    [
        $"/api/processes/{coCreation}/proposals",
        $"/api/processes/{coCreation}/proposals/{proposal}/comments",
        $"/api/processes/{coCreation}/documents/borrador-pan5/versions/2/comments",
        $"/api/processes/{coCreation}/documents/borrador-pan5/versions/2/sections/c1/comments",
        $"/api/processes/{coCreation}/comments/{comment}/replies",
        $"/api/processes/{bill}/opinions",
    ];

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Bad_bodies_get_a_4xx_problem_on_every_write_endpoint(string body)
    {
        await using var app = await ParticipaApp.StartAsync();
        var plan = await app.AddCoCreationWithDraftAsync();
        var bill = await app.AddBillProcessAsync();
        using var client = app.CreateClient();
        var proposal = (await (await client.PostAsync($"/api/processes/{plan.Id}/proposals", Http.Json(Http.Proposal()))).ReadJsonAsync()).GetProperty("id").GetString()!;
        var comment = (await (await client.PostAsync($"/api/processes/{plan.Id}/proposals/{proposal}/comments", Http.Json(new { text = "raíz" }))).ReadJsonAsync()).GetProperty("id").GetString()!;

        foreach (var url in WriteUrls(plan.Id, bill.Id, proposal, comment))
        {
            var response = await client.PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json"));
            var status = (int)response.StatusCode;
            Assert.True(status is >= 400 and < 500, $"{url} answered {status} to {body[..Math.Min(body.Length, 60)]}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        // Nothing but the two valid setup items was stored.
        Assert.Equal(1, (await (await client.GetAsync($"/api/processes/{plan.Id}/proposals")).ReadJsonAsync()).GetProperty("count").GetInt64());
        Assert.Equal(0, (await (await client.GetAsync($"/api/processes/{bill.Id}/opinions")).ReadJsonAsync()).GetProperty("count").GetInt64());
    }

    [Theory]
    [InlineData("theme=x'%20or%20'1'%20eq%20'1")]
    [InlineData("department=guatemala'%20or%20PartitionKey%20ne%20'")]
    [InlineData("theme=%00")]
    [InlineData("pageSize=99999999999999999999")]
    [InlineData("continuationToken=cHxub3Q")]
    [InlineData("continuationToken=%2F%2F%2F%2F")]
    [InlineData("continuationToken=____")]
    public async Task Hostile_list_queries_are_400(string query)
    {
        await using var app = await ParticipaApp.StartAsync();
        var plan = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var response = await client.GetAsync($"/api/processes/{plan.Id}/proposals?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("article=art-1'%20or%20'a'%20eq%20'a")]
    [InlineData("position=for'%20or%20'1'%20eq%20'1")]
    [InlineData("department=x%27")]
    [InlineData("continuationToken=b3xub3Q")]
    public async Task Hostile_opinion_queries_are_400(string query)
    {
        await using var app = await ParticipaApp.StartAsync();
        var bill = await app.AddBillProcessAsync();
        using var client = app.CreateClient();
        var response = await client.GetAsync($"/api/processes/{bill.Id}/opinions?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
