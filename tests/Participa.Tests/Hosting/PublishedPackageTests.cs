using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Participa.Domain;
using Participa.Storage;
using Participa.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Participa.Tests.Hosting;

/// <summary>Publishes the deployable package once (scripts/publish.sh) and starts its handler as the Functions host would.</summary>
public sealed class PublishedPackage : IAsyncLifetime
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "participa-publish-" + Guid.NewGuid().ToString("N")[..8]);
    public string Prefix { get; } = "t" + Guid.NewGuid().ToString("N")[..12];
    public HandlerProcess Handler { get; private set; } = null!;
    public string ConnectionString { get; private set; } = null!;
    public TimeSpan PublishTime { get; private set; }
    public Tables Tables { get; private set; } = null!;
    public ProcessStore Processes => new(Tables, TimeProvider.System);

    public async Task InitializeAsync()
    {
        var stopwatch = Stopwatch.StartNew();
        var publish = System.Diagnostics.Process.Start(new ProcessStartInfo("bash", [Path.Combine(Azurite.RepositoryRoot, "scripts", "publish.sh"), Directory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = publish.StandardOutput.ReadToEndAsync();
        var errors = publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync();
        if (publish.ExitCode != 0)
            throw new InvalidOperationException($"publish.sh failed ({publish.ExitCode}):\n{await output}\n{await errors}");
        PublishTime = stopwatch.Elapsed;

        ConnectionString = await Azurite.ConnectionStringAsync();
        var settings = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Storage"] = ConnectionString }).Build();
        Tables = new Tables(StorageAccount.FromConfiguration(settings, "Storage"), Prefix);
        var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "host.json"))).RootElement;
        var executable = host.GetProperty("customHandler").GetProperty("description").GetProperty("defaultExecutablePath").GetString()!;
        Handler = await HandlerProcess.StartAsync(Path.Combine(Directory, executable), [], Directory, new Dictionary<string, string>
        {
            ["FUNCTIONS_WORKER_RUNTIME"] = "custom",
            ["ParticipaStorage"] = ConnectionString,
            ["Participa__TablePrefix"] = Prefix,
            ["Participa__PublishedContainer"] = Prefix + "published",
            // Something else asking for another address must not move the handler off the host's port.
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:1",
        });
    }

    public async Task DisposeAsync()
    {
        await Handler.DisposeAsync();
        foreach (var table in Tables.All)
            await table.DeleteAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
        File.Delete(Directory + ".zip");
    }
}

public class PublishedPackageTests(PublishedPackage package, ITestOutputHelper output) : IClassFixture<PublishedPackage>
{
    [Fact]
    public async Task The_package_has_the_flat_layout_the_host_reads()
    {
        output.WriteLine($"publish took {package.PublishTime.TotalSeconds:F1} s; the handler answered GET / after {package.Handler.StartupTime.TotalMilliseconds:F0} ms");
        var root = package.Directory;
        Assert.Equal(File.ReadAllText(Path.Combine(Azurite.RepositoryRoot, "host.json")), File.ReadAllText(Path.Combine(root, "host.json")));

        var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "host.json"))).RootElement;
        Assert.True(host.GetProperty("customHandler").GetProperty("enableProxyingHttpRequest").GetBoolean());
        Assert.Equal("[4.*, 5.0.0)", host.GetProperty("extensionBundle").GetProperty("version").GetString());
        var executable = Path.Combine(root, host.GetProperty("customHandler").GetProperty("description").GetProperty("defaultExecutablePath").GetString()!);
        Assert.True(File.Exists(executable));
        if (!OperatingSystem.IsWindows())
            Assert.True(File.GetUnixFileMode(executable).HasFlag(UnixFileMode.UserExecute));
        // Self-contained: the runtime travels with the app, whatever the Functions image carries.
        Assert.True(File.Exists(Path.Combine(root, "libcoreclr.so")));

        var functions = System.IO.Directory.GetDirectories(root)
            .Where(d => File.Exists(Path.Combine(d, "function.json")))
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)
            .ToList();
        await using var app = await ParticipaApp.StartAsync();
        var declared = Participa.Api.Hosting.FunctionManifest.Build(
            app.Service<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints, app.Services.GetServices<Participa.Api.Hosting.TimerFunction>());
        Assert.Equal(declared.Select(f => f.Name).Order(StringComparer.Ordinal), functions);
        Assert.Contains("SubmitProposal", functions);
        Assert.Contains("PublishStatistics", functions);

        Assert.True(File.Exists(package.Directory + ".zip"));
        using var zip = System.IO.Compression.ZipFile.OpenRead(package.Directory + ".zip");
        Assert.Contains(zip.Entries, e => e.FullName == "SubmitProposal/function.json");
        Assert.Contains(zip.Entries, e => e.FullName == "host.json");
    }

    [Fact]
    public async Task A_proxied_request_passes_through_with_status_headers_and_body()
    {
        var process = SampleData.CoCreation2021 with { Id = "p-" + Guid.NewGuid().ToString("N")[..10] };
        await package.Processes.UpsertAsync(process, CancellationToken.None);
        var submit = JsonDocument.Parse(File.ReadAllText(Path.Combine(package.Directory, "SubmitProposal", "function.json")))
            .RootElement.GetProperty("bindings")[0];
        var path = "/api/" + submit.GetProperty("route").GetString()!.Replace("{processId}", process.Id, StringComparison.Ordinal);

        // What the host sends: the original path with /api, its own Host, forwarding headers and an invocation id.
        using var request = new HttpRequestMessage(new HttpMethod(submit.GetProperty("methods")[0].GetString()!.ToUpperInvariant()), path)
        {
            Content = Http.Json(Http.Proposal()),
        };
        request.Headers.Host = "participa.azurewebsites.net";
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        request.Headers.Add("X-Forwarded-Host", "participa.example.gt");
        request.Headers.Add("x-ms-invocation-id", Guid.NewGuid().ToString());
        var response = await package.Handler.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.StartsWith($"/api/processes/{process.Id}/proposals/", response.Headers.Location!.OriginalString);
        var created = await response.ReadJsonAsync();

        var list = await package.Handler.Client.GetAsync($"/api/processes/{process.Id}/proposals");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(created.GetProperty("id").GetString(), (await list.ReadJsonAsync()).GetProperty("items")[0].GetProperty("id").GetString());

        var bad = await package.Handler.Client.PostAsync(path, Http.Json("{"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task A_timer_invocation_gets_the_json_reply_the_host_waits_for()
    {
        var response = await package.Handler.Client.PostAsync("/PublishStatistics", Http.TimerPayload(isPastDue: true));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var reply = await response.ReadJsonAsync();
        Assert.Equal(JsonValueKind.Object, reply.GetProperty("Outputs").ValueKind);
        Assert.Contains("past due", reply.GetProperty("Logs")[0].GetString());
        Assert.Equal(JsonValueKind.Null, reply.GetProperty("ReturnValue").ValueKind);
    }

    [Fact]
    public async Task A_timer_invocation_without_schedule_status_still_runs()
    {
        // useMonitor: false makes ScheduleStatus null.
        var payload = Http.Json("""{"Data":{"timer":{"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":false}},"Metadata":{}}""");
        var response = await package.Handler.Client.PostAsync("/PublishStatistics", payload);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
