using System.Net;
using System.Text.Json;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Statistics;

public class PublishStatisticsTests
{
    [Fact]
    public async Task Submit_list_run_the_timer_and_read_the_published_blob()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        (string Theme, string Department)[] submissions =
        [
            ("ambiente-clima", "peten"), ("ambiente-clima", "peten"), ("ambiente-clima", "solola"),
            ("gobierno-digital", "guatemala"), ("inclusion-social", "huehuetenango"),
        ];
        foreach (var (theme, department) in submissions)
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"/api/processes/{process.Id}/proposals", Http.Json(Http.Proposal(theme, department)))).StatusCode);
        var listed = await (await client.GetAsync($"/api/processes/{process.Id}/proposals")).ReadJsonAsync();
        Assert.Equal(submissions.Length, listed.GetProperty("items").GetArrayLength());

        var run = await app.RunTimerAsync();

        Assert.True(run.Succeeded, run.Error);
        var stats = await ReadPublishedAsync(app, process.Id);
        Assert.Equal(5, stats.GetProperty("totals").GetProperty("proposals").GetInt32());
        Assert.Equal(3, Count(stats, "proposals-by-theme", "theme", "ambiente-clima"));
        Assert.Equal(1, Count(stats, "proposals-by-theme", "theme", "gobierno-digital"));
        Assert.Equal(0, Count(stats, "proposals-by-theme", "theme", "migracion-pobreza"));
        Assert.Equal(2, Count(stats, "proposals-by-department", "department", "peten"));
        Assert.Equal(0, Count(stats, "proposals-by-department", "department", "zacapa"));
        Assert.Equal(22, stats.GetProperty("breakdowns").GetProperty("proposals-by-department").GetArrayLength());
    }

    [Fact]
    public async Task A_new_submission_shows_after_the_next_run_and_an_idle_run_rewrites_nothing()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        await client.PostAsync($"/api/processes/{process.Id}/proposals", Http.Json(Http.Proposal()));
        await app.RunTimerAsync();
        var blob = app.PublishedContainer().GetBlobClient($"processes/{process.Id}/statistics.json");
        var firstETag = (await blob.GetPropertiesAsync()).Value.ETag;

        await app.RunTimerAsync();
        Assert.Equal(firstETag, (await blob.GetPropertiesAsync()).Value.ETag);

        await client.PostAsync($"/api/processes/{process.Id}/proposals", Http.Json(Http.Proposal()));
        await app.RunTimerAsync();
        Assert.NotEqual(firstETag, (await blob.GetPropertiesAsync()).Value.ETag);
        Assert.Equal(2, (await ReadPublishedAsync(app, process.Id)).GetProperty("totals").GetProperty("proposals").GetInt32());
    }

    [Fact]
    public async Task The_app_gives_a_stable_link_to_each_published_file_and_nothing_else()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        await app.RunTimerAsync();

        var link = await client.GetAsync($"/api/open-data/processes/{process.Id}/statistics.json");
        Assert.Equal(HttpStatusCode.Redirect, link.StatusCode);
        var target = app.PublishedContainer().GetBlobClient($"processes/{process.Id}/statistics.json").Uri;
        Assert.Equal(target, link.Headers.Location);
        using var anonymous = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(link.Headers.Location)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/api/open-data/index.json")).StatusCode);

        foreach (var bad in new[] { "processes/../state/x", "processes/%2e%2e/x", "PROCESSES/x/y", "processes/x" })
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/open-data/" + bad)).StatusCode);
    }

    [Fact]
    public async Task Published_blobs_are_json_cacheable_and_readable_without_credentials()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        await app.RunTimerAsync();

        // An anonymous HTTP GET, as a journalist's browser would make it.
        var uri = app.PublishedContainer().GetBlobClient($"processes/{process.Id}/statistics.json").Uri;
        using var anonymous = new HttpClient();
        var response = await anonymous.GetAsync(uri);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("max-age", response.Headers.CacheControl!.ToString());
        var stats = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(0, stats.GetProperty("totals").GetProperty("proposals").GetInt32());
        Assert.Equal("CC-BY-4.0", stats.GetProperty("licence").GetString());
    }

    static int Count(JsonElement stats, string breakdown, string key, string value) =>
        stats.GetProperty("breakdowns").GetProperty(breakdown).EnumerateArray().Single(e => e.GetProperty("value").GetString() == value).GetProperty("count").GetInt32();

    static async Task<JsonElement> ReadPublishedAsync(ParticipaApp app, string processId)
    {
        var content = await app.PublishedContainer().GetBlobClient($"processes/{processId}/statistics.json").DownloadContentAsync();
        return JsonDocument.Parse(content.Value.Content.ToString()).RootElement.Clone();
    }
}
