using System.Net;
using System.Text.Json;
using Participa.Domain;
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

    /// <summary>
    /// Every published file of a process with every kind of record (proposals, comments on a proposal and on a bill's
    /// section, opinions per article, supports, a meeting with attendance, a report and a hidden item) is downloaded
    /// and validated by the Frictionless project's own library through scripts/validate-datapackage.js; and the same
    /// files with one value broken are refused, so the validation is known to read the rows.
    /// </summary>
    [Fact]
    public async Task Every_published_data_package_validates_with_the_frictionless_library()
    {
        await using var app = await ParticipaApp.StartAsync();
        var everything = SampleData.CoCreation2021 with
        {
            Phases = [new Phase("todo", "Todo", new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new(2030, 12, 31, 0, 0, 0, TimeSpan.Zero),
                [SubmissionKind.Proposal, SubmissionKind.Comment, SubmissionKind.Opinion, SubmissionKind.Support])],
        };
        var process = await app.AddBillProcessAsync(everything);
        using var client = app.CreateClient();
        var url = $"/api/processes/{process.Id}";
        async Task<string> PostAsync(string path, object body)
        {
            var response = await client.PostAsync(path, Http.Json(body));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await response.ReadJsonAsync()).GetProperty("id").GetString()!;
        }

        var first = await PostAsync($"{url}/proposals", Http.Proposal(title: "Datos, \"abiertos\" y 💧"));
        var second = await PostAsync($"{url}/proposals", Http.Proposal(theme: "gobierno-digital", department: "peten"));
        var thread = await PostAsync($"{url}/proposals/{first}/comments", new { text = "De acuerdo, pero ¿quién mide?", department = "izabal", sector = "academia" });
        await PostAsync($"{url}/comments/{thread}/replies", new { text = "El INAB." });
        await PostAsync($"{url}/documents/iniciativa-5210/versions/1/sections/art-2/comments", new { text = "Sobre los plazos." });
        await PostAsync($"{url}/opinions", new { position = "for", article = "art-2", reasons = "Plazos más cortos.", department = "guatemala", gender = "female", ageBand = "30-44" });
        await PostAsync($"{url}/opinions", new { position = "against", reasons = "No hay personal." });
        var token = (await (await client.PostAsync("/api/participants", null)).ReadJsonAsync()).GetProperty("token").GetString()!;
        var support = new HttpRequestMessage(HttpMethod.Post, $"{url}/proposals/{first}/supports");
        support.Headers.Add("Participant-Token", token);
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(support)).StatusCode);

        var (meeting, _) = await Roundtables.MeetingsTests.CreateAsync(client, process.Id);
        var attendees = Enumerable.Range(0, 6).Select(i => new { name = $"Asistente {i}", sector = i < 4 ? "citizen" : "academia", gender = i < 3 ? "female" : "male", department = "peten" });
        await Roundtables.MeetingsTests.SendAsync(client, HttpMethod.Post, $"{url}/meetings/{meeting}/attendance", new { attendees }, HttpStatusCode.Created);
        await Roundtables.MeetingsTests.SendAsync(client, HttpMethod.Post, $"{url}/meetings/{meeting}/proposals", Http.Proposal(title: "Propuesta de la mesa"), HttpStatusCode.Created);

        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"{url}/reports", Http.Json(new { itemId = second, reason = "spam" }))).StatusCode);
        await RoundtableStatisticsTests.ModerateAsync(client, process.Id, second, new { action = "hide", reasonCategory = "spam", note = "Publicidad, \"repetida\".\nDos veces." });
        await RoundtableStatisticsTests.RunAsync(app);

        var folder = Directory.CreateTempSubdirectory("participa-datapackage-");
        try
        {
            var prefix = $"processes/{process.Id}/";
            var names = new List<string>();
            await foreach (var blob in app.PublishedContainer().GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, prefix, CancellationToken.None))
            {
                var name = blob.Name[prefix.Length..];
                names.Add(name);
                await app.PublishedContainer().GetBlobClient(blob.Name).DownloadToAsync(Path.Combine(folder.FullName, name));
            }
            foreach (var expected in new[] { "datapackage.json", "moderation-log.csv", "comments-per-section.csv", "positions-per-article.csv", "roundtables.csv", "attendance-by-gender.csv" })
                Assert.Contains(expected, names);
            // The decision's time has milliseconds, as every published time does.
            Assert.Matches(@"\n""[0-9a-f]{32}"",""\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"",", File.ReadAllText(Path.Combine(folder.FullName, "moderation-log.csv")));
            var descriptor = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.FullName, "datapackage.json"))).RootElement;
            // Every CSV published is described, and every resource described is published.
            Assert.Equal(names.Where(n => n.EndsWith(".csv", StringComparison.Ordinal)).Order(StringComparer.Ordinal),
                descriptor.GetProperty("resources").EnumerateArray().Select(r => r.GetProperty("path").GetString()!).Order(StringComparer.Ordinal));

            var (valid, output) = await ValidateAsync(folder.FullName);
            Assert.True(valid, output);
            Assert.Contains("valid (", output);

            // A broken value in a data row, a count and a time, must be refused: the rows are read, not only the descriptor.
            var log = Path.Combine(folder.FullName, "moderation-log.csv");
            var lines = File.ReadAllText(log);
            File.WriteAllText(log, System.Text.RegularExpressions.Regex.Replace(lines, @"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", "2026-13-45T99:00:00.000Z"));
            var (brokenTime, timeOutput) = await ValidateAsync(folder.FullName);
            Assert.False(brokenTime, timeOutput);
            Assert.Contains("moderation-log, data row 1", timeOutput);
            File.WriteAllText(log, lines);

            var themes = Path.Combine(folder.FullName, "proposals-by-theme.csv");
            var rows = File.ReadAllText(themes).Split("\r\n");
            Assert.Matches(@",\d+$", rows[1]);
            rows[1] = System.Text.RegularExpressions.Regex.Replace(rows[1], @",\d+$", ",uno");
            File.WriteAllText(themes, string.Join("\r\n", rows));
            var (brokenCount, countOutput) = await ValidateAsync(folder.FullName);
            Assert.False(brokenCount, countOutput);
            Assert.Contains("proposals-by-theme, data row", countOutput);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Runs scripts/validate-datapackage.js on a folder's datapackage.json: whether it passed, and what it said.</summary>
    static async Task<(bool Valid, string Output)> ValidateAsync(string folder)
    {
        var start = new System.Diagnostics.ProcessStartInfo("node", [Path.Combine(Azurite.RepositoryRoot, "scripts", "validate-datapackage.js"), Path.Combine(folder, "datapackage.json")])
        {
            WorkingDirectory = Azurite.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await node.WaitForExitAsync(timeout.Token);
        return (node.ExitCode == 0, await stdout + await stderr);
    }

    static int Count(JsonElement stats, string breakdown, string key, string value) =>
        stats.GetProperty("breakdowns").GetProperty(breakdown).EnumerateArray().Single(e => e.GetProperty("value").GetString() == value).GetProperty("count").GetInt32();

    static async Task<JsonElement> ReadPublishedAsync(ParticipaApp app, string processId)
    {
        var content = await app.PublishedContainer().GetBlobClient($"processes/{processId}/statistics.json").DownloadContentAsync();
        return JsonDocument.Parse(content.Value.Content.ToString()).RootElement.Clone();
    }
}
