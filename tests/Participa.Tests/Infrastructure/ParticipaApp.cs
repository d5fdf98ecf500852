using Azure.Storage.Blobs;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Participa.Api.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Participa.Domain;
using Participa.Storage;

namespace Participa.Tests.Infrastructure;

/// <summary>
/// The real app in memory, on the shared Azurite, with tables and a container of its own (unique prefix) that are
/// deleted afterwards. Every test builds one, so no test sees another's data.
/// </summary>
public sealed class ParticipaApp : WebApplicationFactory<Program>
{
    readonly string _connectionString;
    readonly bool _ownsStorage;
    readonly Dictionary<string, string?> _settings;

    public string Prefix { get; } = "t" + Guid.NewGuid().ToString("N")[..12];
    public string Container => Prefix + "published";
    public FakeTimeProvider? Clock { get; }

    ParticipaApp(string connectionString, bool ownsStorage, FakeTimeProvider? clock, Dictionary<string, string?> settings)
    {
        _connectionString = connectionString;
        _ownsStorage = ownsStorage;
        Clock = clock;
        _settings = settings;
    }

    public static async Task<ParticipaApp> StartAsync(FakeTimeProvider? clock = null, Dictionary<string, string?>? settings = null, string? connectionString = null)
    {
        var app = new ParticipaApp(connectionString ?? await Azurite.ConnectionStringAsync(), connectionString is null, clock, settings ?? []);
        _ = app.Server; // build now, so failures surface here
        return app;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ParticipaStorage", _connectionString);
        builder.UseSetting("Participa:TablePrefix", Prefix);
        builder.UseSetting("Participa:PublishedContainer", Container);
        builder.UseSetting("Participa:StateContainer", Prefix + "state");
        // Tests run the statistics timer right after submitting: no settling delay.
        builder.UseSetting("Statistics:SettleSeconds", "0");
        builder.UseSetting("Timers:RunLocally", "false");
        // Generous limits so functional tests never trip them; RateLimitTests sets its own.
        builder.UseSetting("RateLimits:RequestsPerMinute", "100000");
        builder.UseSetting("RateLimits:PostsPerFiveMinutes", "100000");
        builder.UseSetting("RateLimits:PostsPerProcessPerSecond", "100000");
        // Staff tokens: the real Microsoft.Identity.Web pipeline, trusting this test run's own signing key.
        builder.UseSetting("Participa:LocalTokenIssuer", "false");
        builder.UseSetting("AzureAd:Instance", "https://login.microsoftonline.com/");
        builder.UseSetting("AzureAd:TenantId", StaffTokens.Tenant);
        builder.UseSetting("AzureAd:ClientId", StaffTokens.ClientId);
        builder.UseSetting("AzureAd:Audience", StaffTokens.Audience);
        builder.ConfigureTestServices(s => s.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme,
            o => StaffIdentity.Trust(o, StaffTokens.Issuer, StaffTokens.Audience, [StaffTokens.Key])));
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
        if (Clock is not null)
            builder.ConfigureServices(s => s.AddSingleton<TimeProvider>(Clock));
    }

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

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

    public override async ValueTask DisposeAsync()
    {
        var tables = _ownsStorage ? Service<Tables>().All.ToList() : [];
        await base.DisposeAsync();
        foreach (var table in tables)
            await table.DeleteAsync();
        if (_ownsStorage)
        {
            await PublishedContainer().DeleteIfExistsAsync();
            await StateContainer().DeleteIfExistsAsync();
        }
    }
}
