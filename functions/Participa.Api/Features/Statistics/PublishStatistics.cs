using System.Text.Encodings.Web;
using System.Text.Json;
using Participa.Api.Hosting;
using Participa.Domain;
using Participa.Storage;

namespace Participa.Api.Features.Statistics;

/// <summary>
/// Timer: recomputes each process's statistics from its records and publishes statistics.json.
/// Idempotent: unchanged results are not rewritten, so overlapping runs only repeat work.
/// </summary>
public sealed class PublishStatistics(ProcessStore processes, ProposalStore proposals, PublishedFiles published) : ITimerJob
{
    public const string Name = "PublishStatistics";
    public const string Schedule = "0 */5 * * * *";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // Keep "Sololá" readable in the file; it is served as application/json, never inlined into HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string PathOf(string processId) => $"processes/{processId}/statistics.json";

    public async Task<string> RunAsync(TimerInvocation invocation, CancellationToken cancellationToken)
    {
        int written = 0, unchanged = 0;
        foreach (var process in await processes.ListAsync(cancellationToken))
        {
            var builder = new StatisticsBuilder(process);
            await foreach (var (theme, department, submittedAt) in proposals.ScanForStatisticsAsync(process.Id, cancellationToken))
                builder.AddProposal(theme, department, submittedAt);

            var content = JsonSerializer.SerializeToUtf8Bytes(builder.Build(), Json);
            if (await published.PublishAsync(PathOf(process.Id), content, "application/json; charset=utf-8", cancellationToken))
                written++;
            else
                unchanged++;
        }
        return $"{written} statistics file(s) written, {unchanged} unchanged";
    }
}
