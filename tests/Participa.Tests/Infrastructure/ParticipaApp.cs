using System.Globalization;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Participa.Api.Hosting;
using Participa.Domain;
using Participa.LocalHost;
using Participa.Storage;

namespace Participa.Tests.Infrastructure;

/// <summary>
/// The real function app: its worker process, started by the local Functions host (tools/Participa.LocalHost) on the
/// shared Azurite, with tables and containers of its own (unique prefix) that are deleted afterwards. Every test builds
/// one, so no test sees another's data. Requests go through the host to the worker, as in Azure.
/// </summary>
public sealed class ParticipaApp : IAsyncDisposable
{
    readonly LocalFunctionsHost _host;
    readonly string _connectionString;
    readonly bool _ownsStorage;
    readonly ServiceProvider _services;
    // Hostile tests send what a raw client can: header values as UTF-8 bytes, not only ASCII.
    static readonly SocketsHttpHandler Handler = new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        RequestHeaderEncodingSelector = (_, _) => System.Text.Encoding.UTF8,
    };

    public string Prefix { get; }
    public string Container => Prefix + "published";
    /// <summary>The app's clock, when the test set one: moving it moves the time the worker sees.</summary>
    public TestClock? Clock { get; }
    public LocalFunctionsHost Host => _host;

    ParticipaApp(LocalFunctionsHost host, string prefix, string connectionString, bool ownsStorage, TestClock? clock, ServiceProvider services)
    {
        _host = host;
        Prefix = prefix;
        _connectionString = connectionString;
        _ownsStorage = ownsStorage;
        Clock = clock;
        _services = services;
    }

    /// <summary>The settings every test app gets; a test's own settings override them (null removes one).</summary>
    public static Dictionary<string, string?> DefaultSettings(string prefix, string connectionString) => new()
    {
        ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development",
        ["ParticipaStorage"] = connectionString,
        ["Participa:TablePrefix"] = prefix,
        ["Participa:PublishedContainer"] = prefix + "published",
        ["Participa:StateContainer"] = prefix + "state",
        ["Participa:BackupContainer"] = prefix + "backups",
        // Tests run the statistics timer right after submitting: no settling delay.
        ["Statistics:SettleSeconds"] = "0",
        // Generous limits so functional tests never trip them; RateLimitTests sets its own.
        ["RateLimits:RequestsPerMinute"] = "100000",
        ["RateLimits:PostsPerFiveMinutes"] = "100000",
        ["RateLimits:PostsPerProcessPerSecond"] = "100000",
        // Staff tokens: the real Microsoft.Identity.Web pipeline, trusting this test run's own signing key.
        ["Participa:LocalTokenIssuer"] = "true",
        ["Participa:LocalIssuerKeyFile"] = StaffTokens.KeyFile,
        ["PublishStatisticsSchedule"] = "0 */5 * * * *",
        ["RecomputeStatisticsSchedule"] = "0 0 9 * * *",
        ["BackupSchedule"] = "0 0 8 * * *",
    };

    /// <param name="now">Start the app's clock here (a <see cref="TestClock"/>) instead of the system clock.</param>
    /// <param name="runTimers">Let the host run the timers on their schedules (off: tests run them with <see cref="RunTimerAsync"/>).</param>
    public static async Task<ParticipaApp> StartAsync(DateTimeOffset? now = null, Dictionary<string, string?>? settings = null,
        string? connectionString = null, bool runTimers = false, Action<string>? log = null, string? prefix = null, bool? ownsStorage = null)
    {
        // A test that restores a backup starts a second app on the first one's (wiped) prefix.
        prefix ??= "t" + Guid.NewGuid().ToString("N")[..12];
        var storage = connectionString ?? await Azurite.ConnectionStringAsync();
        var all = DefaultSettings(prefix, storage);
        var clock = now is { } start ? new TestClock(start) : null;
        if (clock is not null) all["Participa:ClockFile"] = clock.FilePath;
        foreach (var (key, value) in settings ?? []) all[key] = value;

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(all).Build();
        var services = new ServiceCollection().AddSingleton(TimeProvider.System).AddParticipaStorage(configuration).BuildServiceProvider();
        LocalFunctionsHost host;
        try
        {
            host = await LocalFunctionsHost.StartAsync(new LocalHostOptions
            {
                AppDirectory = FunctionApp.Directory,
                // App settings reach the worker as environment variables, where ':' is spelled '__'.
                Settings = all.Where(s => s.Value is not null).ToDictionary(s => s.Key.Replace(":", "__"), s => s.Value),
                RunTimersOnSchedule = runTimers,
                Log = log ?? TestLog.Write,
            });
        }
        catch
        {
            // An app refused at start (the tests of settings that stop it) may have made tables first: leave nothing.
            if (ownsStorage ?? connectionString is null) await DeleteStorageAsync(services, storage, prefix);
            await services.DisposeAsync();
            clock?.Dispose();
            throw;
        }
        return new ParticipaApp(host, prefix, storage, ownsStorage ?? connectionString is null, clock, services);
    }

    /// <summary>
    /// A client of the app that reads English, so tests that check a message's words check the English ones (the
    /// platform's default is Spanish); <paramref name="acceptLanguage"/> null sends no Accept-Language.
    /// </summary>
    public HttpClient CreateClient(string? acceptLanguage = "en")
    {
        var client = new HttpClient(Handler, disposeHandler: false) { BaseAddress = _host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (acceptLanguage is not null) client.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        return client;
    }

    /// <summary>Storage as the app sees it, from this test process (the same tables and containers).</summary>
    public T Service<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <summary>Runs a timer function now, as the host's admin API does, and waits for its outcome.</summary>
    public async Task<InvocationOutcome> RunTimerAsync(string name = "PublishStatistics") => await _host.InvokeAsync(name, CancellationToken.None);

    /// <summary>Stores a process directly, as an administrator would have set it up.</summary>
    public async Task<Process> AddProcessAsync(Process? process = null)
    {
        process ??= SampleData.CoCreation2021 with { Id = "p-" + Guid.NewGuid().ToString("N")[..10], IsSample = false };
        await Service<ProcessStore>().UpsertAsync(process, CancellationToken.None);
        return process;
    }

    /// <summary>A copy of the bill 5210 sample: a legislative process with its bill (8 articles).</summary>
    public async Task<Process> AddBillProcessAsync(Process? template = null)
    {
        var process = (template ?? SampleData.Bill5210) with { Id = "bill-" + Guid.NewGuid().ToString("N")[..10], IsSample = false };
        await Service<DocumentStore>().PublishAsync(SampleDocuments.Bill5210 with { ProcessId = process.Id }, SampleDocuments.Bill5210V1, CancellationToken.None);
        return await AddProcessAsync(process);
    }

    /// <summary>A copy of the co-creation sample with its draft plan in two versions.</summary>
    public async Task<Process> AddCoCreationWithDraftAsync()
    {
        var process = SampleData.CoCreation2021 with { Id = "plan-" + Guid.NewGuid().ToString("N")[..10], IsSample = false };
        var draft = SampleDocuments.ActionPlanDraft with { ProcessId = process.Id };
        await Service<DocumentStore>().PublishAsync(draft, SampleDocuments.ActionPlanDraftV1, CancellationToken.None);
        await Service<DocumentStore>().PublishAsync(draft, SampleDocuments.ActionPlanDraftV2, CancellationToken.None);
        return await AddProcessAsync(process);
    }

    public BlobContainerClient PublishedContainer() => new BlobServiceClient(_connectionString).GetBlobContainerClient(Container);

    /// <summary>The statistics timer's private container (its counts and the ledger pages).</summary>
    public BlobContainerClient StateContainer() => new BlobServiceClient(_connectionString).GetBlobContainerClient(Prefix + "state");

    public BlobContainerClient BackupContainer() => new BlobServiceClient(_connectionString).GetBlobContainerClient(Prefix + "backups");

    /// <summary>Every table and container of one prefix: what a test app made.</summary>
    public static async Task DeleteStorageAsync(IServiceProvider services, string connectionString, string prefix)
    {
        foreach (var table in services.GetRequiredService<Tables>().All)
            await table.DeleteAsync();
        var blobs = new BlobServiceClient(connectionString);
        foreach (var container in new[] { "published", "state", "backups" })
            await blobs.GetBlobContainerClient(prefix + container).DeleteIfExistsAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        if (_ownsStorage) await DeleteStorageAsync(_services, _connectionString, Prefix);
        await _services.DisposeAsync();
        Clock?.Dispose();
    }
}

/// <summary>
/// The time the app under test sees (Participa:ClockFile, Development only): written atomically to a file the worker
/// reads on every clock read, so a test moves the app's time from its own process.
/// </summary>
public sealed class TestClock : TimeProvider, IDisposable
{
    DateTimeOffset _now;
    public string FilePath { get; } = Path.Combine(Path.GetTempPath(), "participa-clock-" + Guid.NewGuid().ToString("N") + ".txt");

    public TestClock(DateTimeOffset now) => SetUtcNow(now);

    public override DateTimeOffset GetUtcNow() => _now;

    public void SetUtcNow(DateTimeOffset now)
    {
        _now = now.ToUniversalTime();
        var temporary = FilePath + ".tmp";
        File.WriteAllText(temporary, _now.ToString("O", CultureInfo.InvariantCulture));
        File.Move(temporary, FilePath, overwrite: true);
    }

    public void Advance(TimeSpan by) => SetUtcNow(_now + by);

    public void Dispose() => File.Delete(FilePath);
}

/// <summary>Where the function app's build output is: the worker the tests run, with its functions.metadata.</summary>
public static class FunctionApp
{
    public static string Directory { get; } = Find();

    static string Find()
    {
        // The benchmark runs the published app, as Azure would (scripts/bench.sh sets it).
        if (Environment.GetEnvironmentVariable("PARTICIPA_APP") is { Length: > 0 } published) return published;
        // The test assembly's configuration (Debug or Release) is the app's too: the solution builds them together.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var directory = System.IO.Path.Combine(Azurite.RepositoryRoot, "functions", "Participa.Api", "bin", configuration, "net10.0");
        if (!File.Exists(System.IO.Path.Combine(directory, "functions.metadata")))
            throw new InvalidOperationException($"The function app is not built at {directory}: run scripts/test.sh (it builds the solution).");
        return directory;
    }
}

/// <summary>The worker's and host's log lines, kept out of the test output unless PARTICIPA_TEST_LOGS is set.</summary>
public static class TestLog
{
    static readonly bool Enabled = Environment.GetEnvironmentVariable("PARTICIPA_TEST_LOGS") is { Length: > 0 };

    public static void Write(string line)
    {
        if (Enabled) Console.Error.WriteLine(line);
    }
}
