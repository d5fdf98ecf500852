using Microsoft.Azure.Functions.Worker;

namespace Participa.Api.Features.Statistics;

public sealed record TimerInvocation(bool IsPastDue, string Trigger);

/// <summary>The work behind a timer. Must be idempotent: a manual run or a slow previous run can overlap it.</summary>
public interface ITimerJob
{
    /// <returns>A one-line summary for the log.</returns>
    Task<string> RunAsync(TimerInvocation invocation, CancellationToken cancellationToken);
}

/// <summary>
/// The statistics timers. Schedules are app settings (NCRONTAB with seconds, UTC). A run that throws is reported to
/// the host as failed; an operator runs one now with POST /admin/functions/{name}.
/// </summary>
public sealed class StatisticsTimers(PublishStatistics publish, RecomputeStatistics recompute, ILogger<StatisticsTimers> logger)
{
    [Function(PublishStatistics.Name)]
    public Task Publish([TimerTrigger("%" + PublishStatistics.ScheduleSetting + "%")] TimerInfo timer, CancellationToken cancellationToken) =>
        RunAsync(PublishStatistics.Name, publish, timer, cancellationToken);

    [Function(RecomputeStatistics.Name)]
    public Task Recompute([TimerTrigger("%" + RecomputeStatistics.ScheduleSetting + "%")] TimerInfo timer, CancellationToken cancellationToken) =>
        RunAsync(RecomputeStatistics.Name, recompute, timer, cancellationToken);

    async Task RunAsync(string name, ITimerJob job, TimerInfo timer, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var summary = await job.RunAsync(new TimerInvocation(timer.IsPastDue, "timer"), cancellationToken);
        logger.LogInformation("{Timer}{PastDue}: {Summary} in {Milliseconds:F0} ms", name, timer.IsPastDue ? " (past due)" : "", summary,
            System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}
