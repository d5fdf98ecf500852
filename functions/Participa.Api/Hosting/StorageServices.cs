using System.Text.Json;
using System.Text.Json.Serialization;
using Participa.Domain;
using Participa.Storage;

namespace Participa.Api.Hosting;

public static class StorageServices
{
    public static IServiceCollection AddParticipaStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionName = configuration["Participa:StorageConnection"] ?? "ParticipaStorage";
        var prefix = configuration["Participa:TablePrefix"] ?? "";
        services.AddSingleton(_ => StorageAccount.FromConfiguration(configuration, connectionName));
        services.AddSingleton(sp => new Tables(sp.GetRequiredService<StorageAccount>(), prefix));
        services.AddSingleton(sp => new PublishedFiles(sp.GetRequiredService<StorageAccount>(),
            configuration["Participa:PublishedContainer"] ?? "published"));
        services.AddSingleton(sp => new StatisticsStore(sp.GetRequiredService<StorageAccount>(),
            configuration["Participa:StateContainer"] ?? "participa-state", configuration.GetValue("Statistics:LedgerPageSize", PagedLedger.DefaultPageSize)));
        // Backups: their own container (WORM in Azure); the watermark sits with the timers' private state.
        services.AddSingleton(sp => new TableBackup(sp.GetRequiredService<Tables>(),
            sp.GetRequiredService<StorageAccount>().Blobs.GetBlobContainerClient(configuration["Participa:BackupContainer"] ?? "backups"),
            sp.GetRequiredService<StorageAccount>().Blobs.GetBlobContainerClient(configuration["Participa:StateContainer"] ?? "participa-state"))
        {
            FullEvery = TimeSpan.FromDays(configuration.GetValue("Backup:FullEveryDays", 7.0)),
            Overlap = TimeSpan.FromSeconds(configuration.GetValue("Backup:OverlapSeconds", 300.0)),
        });
        services.AddSingleton<ProcessStore>();
        services.AddSingleton<DocumentStore>();
        services.AddSingleton<SubmissionStore>();
        services.AddSingleton<ProposalStore>();
        services.AddSingleton<CommentStore>();
        services.AddSingleton<OpinionStore>();
        services.AddSingleton<SupportStore>();
        services.AddSingleton<ReceiptStore>();
        services.AddSingleton<SecretStore>();
        services.AddSingleton<ModerationStore>();
        services.AddSingleton<MeetingStore>();
        services.AddSingleton<OutcomeStore>();
        services.AddSingleton<ReviewStore>();
        services.AddSingleton<Features.Comments.CommentServices>();
        return services;
    }
}

/// <summary>Every time the API returns is UTC ISO 8601 with milliseconds and a Z.</summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Timestamps.Format(value));
}
