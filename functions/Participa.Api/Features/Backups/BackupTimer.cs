using Participa.Storage;

namespace Participa.Api.Features.Backups;

/// <summary>
/// Timer, nightly (02:00 in Guatemala, before the recompute): exports every table the app owns to the backups
/// container (docs/deploy.md, "Backups"). Full once a week, incremental in between; <c>Backup:Full=true</c> forces a full run.
/// </summary>
public sealed class BackupTimer(TableBackup backup, TimeProvider clock, IConfiguration configuration, ILogger<BackupTimer> logger)
{
    public const string Name = "Backup";
    /// <summary>The app setting with the schedule; 02:00 in Guatemala is "0 0 8 * * *" (UTC).</summary>
    public const string ScheduleSetting = "BackupSchedule";

    [Function(Name)]
    public async Task Run([TimerTrigger("%" + ScheduleSetting + "%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var manifest = await backup.ExportAsync(clock.GetUtcNow(), configuration.GetValue("Backup:Full", false), cancellationToken);
        logger.LogInformation("{Timer}: {Kind} backup {RunId}: {Rows} row(s) in {Tables} table(s), {Bytes} bytes compressed, in {Milliseconds:F0} ms",
            Name, manifest.Kind, manifest.RunId, manifest.Tables.Sum(t => t.Rows), manifest.Tables.Count, manifest.Tables.Sum(t => t.Bytes),
            System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}
