using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Participa.Api.Hosting;
using Participa.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Participa.Tests.Hosting;

/// <summary>Publishes the deployable package once (scripts/publish.sh), as CI and azd do.</summary>
public sealed class PublishedPackage : IAsyncLifetime
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "participa-publish-" + Guid.NewGuid().ToString("N")[..8]);
    public TimeSpan PublishTime { get; private set; }

    public async Task InitializeAsync()
    {
        var stopwatch = Stopwatch.StartNew();
        var publish = Process.Start(new ProcessStartInfo("bash", [Path.Combine(Azurite.RepositoryRoot, "scripts", "publish.sh"), Directory])
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
    }

    public Task DisposeAsync()
    {
        System.IO.Directory.Delete(Directory, recursive: true);
        File.Delete(Directory + ".zip");
        return Task.CompletedTask;
    }
}

public class PublishedPackageTests(PublishedPackage package, ITestOutputHelper output) : IClassFixture<PublishedPackage>
{
    [Fact]
    public void The_zip_holds_what_the_functions_runtime_reads()
    {
        output.WriteLine($"publish took {package.PublishTime.TotalSeconds:F1} s");
        using var zip = ZipFile.OpenRead(package.Directory + ".zip");
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet();

        Assert.Contains("host.json", entries);
        Assert.Contains("functions.metadata", entries);
        Assert.Contains("worker.config.json", entries);
        Assert.Contains("Participa.Api.dll", entries);
        Assert.Contains("es/Participa.Domain.resources.dll", entries);   // the Spanish messages
        // The extensions the host loads for the worker's bindings.
        Assert.Contains(entries, e => e.StartsWith(".azurefunctions/", StringComparison.Ordinal) && e.EndsWith(".dll", StringComparison.Ordinal));
        Assert.Equal(File.ReadAllText(Path.Combine(Azurite.RepositoryRoot, "host.json")), Read(zip, "host.json"));

        var worker = JsonDocument.Parse(Read(zip, "worker.config.json")).RootElement.GetProperty("description");
        Assert.Equal("dotnet-isolated", worker.GetProperty("language").GetString());
        Assert.Equal("Participa.Api.dll", worker.GetProperty("defaultWorkerPath").GetString());
        // Never a local-only file: settings in Azure are app settings.
        Assert.DoesNotContain("local.settings.json", entries);
        // Precompiled for Linux x64 (ReadyToRun), so a cold start on Flex Consumption does not JIT what it can skip.
        foreach (var assembly in new[] { "Participa.Api.dll", "Participa.Storage.dll", "Microsoft.Azure.Functions.Worker.Core.dll" })
        {
            using var stream = new MemoryStream();
            using (var entry = zip.GetEntry(assembly)!.Open()) entry.CopyTo(stream);
            stream.Position = 0;
            using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
            Assert.True(pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, $"{assembly} is not ReadyToRun");
        }
    }

    [Fact]
    public void Functions_metadata_lists_every_function_with_its_route_methods_and_schedule()
    {
        using var zip = ZipFile.OpenRead(package.Directory + ".zip");
        var listed = JsonDocument.Parse(Read(zip, "functions.metadata")).RootElement.EnumerateArray()
            .ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("bindings").EnumerateArray().First(b => b.GetProperty("direction").GetString() == "In"));

        var declared = FunctionCatalog.All().ToList();
        Assert.Equal(declared.Select(f => f.Name).Order(StringComparer.Ordinal), listed.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, method) in declared)
        {
            var trigger = listed[name];
            var http = method.GetParameters().SelectMany(p => p.GetCustomAttributes(typeof(Microsoft.Azure.Functions.Worker.HttpTriggerAttribute), false)).Cast<Microsoft.Azure.Functions.Worker.HttpTriggerAttribute>().SingleOrDefault();
            if (http is not null)
            {
                Assert.Equal("httpTrigger", trigger.GetProperty("type").GetString());
                Assert.Equal(http.Route, trigger.GetProperty("route").GetString());
                Assert.Equal(http.Methods!.Select(m => m.ToLowerInvariant()), trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToLowerInvariant()));
                Assert.Equal("Anonymous", trigger.GetProperty("authLevel").GetString());
            }
            else
            {
                Assert.Equal("timerTrigger", trigger.GetProperty("type").GetString());
                Assert.Equal($"%{name}Schedule%", trigger.GetProperty("schedule").GetString());
            }
        }
        Assert.Equal("api/processes/{processId}/proposals", listed["SubmitProposal"].GetProperty("route").GetString());
    }

    [Fact]
    public async Task The_published_app_answers_through_the_host_and_runs_its_timers()
    {
        // Its own prefix, tables and containers, deleted afterwards like every test app's.
        var prefix = "t" + Guid.NewGuid().ToString("N")[..12];
        var connectionString = await Azurite.ConnectionStringAsync();
        var settings = ParticipaApp.DefaultSettings(prefix, connectionString);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        await using var storage = new ServiceCollection().AddParticipaStorage(configuration).BuildServiceProvider();
        try
        {
            await RunPublishedAppAsync(settings);
        }
        finally
        {
            await ParticipaApp.DeleteStorageAsync(storage, connectionString, prefix);
        }
    }

    async Task RunPublishedAppAsync(Dictionary<string, string?> settings)
    {
        settings["AZURE_FUNCTIONS_ENVIRONMENT"] = "Production";
        settings["Participa:LocalTokenIssuer"] = "false";
        settings.Remove("Participa:LocalIssuerKeyFile");
        await using var host = await Participa.LocalHost.LocalFunctionsHost.StartAsync(new Participa.LocalHost.LocalHostOptions
        {
            AppDirectory = package.Directory,
            Settings = settings.Where(s => s.Value is not null).ToDictionary(s => s.Key.Replace(":", "__"), s => s.Value),
            RunTimersOnSchedule = false,
            Log = TestLog.Write,
        });
        output.WriteLine($"the published worker answered after {host.StartupTime.TotalMilliseconds:F0} ms");
        using var client = new HttpClient { BaseAddress = host.BaseAddress };

        var processes = await client.GetAsync("/api/processes");
        Assert.Equal(HttpStatusCode.OK, processes.StatusCode);
        var missing = await client.GetAsync("/api/processes/nope/proposals/nope");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType!.MediaType);
        // No Accept-Language: the platform's default, from the satellite assembly the package carries.
        Assert.Equal(["es"], missing.Content.Headers.ContentLanguage);
        Assert.Equal("No encontrado", (await missing.ReadJsonAsync()).GetProperty("title").GetString());

        var run = await host.InvokeAsync("PublishStatistics", CancellationToken.None);
        Assert.True(run.Succeeded, run.Error);
        Assert.Contains("process(es)", run.Log);
    }

    static string Read(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }
}
