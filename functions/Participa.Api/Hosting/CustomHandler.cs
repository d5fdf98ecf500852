using System.Text.Json;
using System.Text.Json.Serialization;
using Participa.Domain;
using Participa.Storage;

namespace Participa.Api.Hosting;

/// <summary>How the app meets the Azure Functions custom-handler contract (../shared/docs/functions-host.md).</summary>
public static class CustomHandler
{
    const string PortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";
    public const string DefaultLocalUrl = "http://127.0.0.1:7071";

    public static bool UnderFunctionsHost => Environment.GetEnvironmentVariable(PortVariable) is { Length: > 0 };

    /// <summary>Under the host: 127.0.0.1 on the port it chose. Alone: Participa:Urls, or the host's usual local port.</summary>
    public static void ListenAsCustomHandler(this WebApplicationBuilder builder)
    {
        var port = Environment.GetEnvironmentVariable(PortVariable);
        if (!string.IsNullOrEmpty(port))
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        else if (builder.Configuration["urls"] is null)
            builder.WebHost.UseUrls(builder.Configuration["Participa:Urls"] ?? DefaultLocalUrl);
        // The host caps bodies at 100 MB; the app's own limits are far smaller (JsonBody), this is the backstop.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 1024 * 1024);
    }

    /// <summary><c>--write-functions DIR</c>: write every function.json under DIR and exit (used by the publish script).</summary>
    public static string? WriteFunctionsDirectory(string[] args)
    {
        var i = Array.IndexOf(args, "--write-functions");
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

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
        services.AddSingleton<ProcessStore>();
        services.AddSingleton<DocumentStore>();
        services.AddSingleton<SubmissionStore>();
        services.AddSingleton<ProposalStore>();
        services.AddSingleton<CommentStore>();
        services.AddSingleton<OpinionStore>();
        services.AddSingleton<SupportStore>();
        services.AddSingleton<ReceiptStore>();
        services.AddSingleton<ModerationStore>();
        services.AddSingleton<MeetingStore>();
        services.AddSingleton<OutcomeStore>();
        services.AddSingleton<ReviewStore>();
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
