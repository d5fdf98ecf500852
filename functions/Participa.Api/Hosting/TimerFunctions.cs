using System.Diagnostics;
using System.Text.Json;
using Cronos;

namespace Participa.Api.Hosting;

/// <summary>A timer function: its name (the host calls POST /{Name}) and its NCRONTAB schedule, with seconds, in UTC.</summary>
public sealed record TimerFunction(string Name, string Schedule, Type JobType)
{
    public CronExpression Cron { get; } = CronExpression.Parse(Schedule, CronFormat.IncludeSeconds);
}

public sealed record TimerInvocation(bool IsPastDue, string Trigger);

/// <summary>The work behind a timer. Must be idempotent: a manual run or a slow previous run can overlap it.</summary>
public interface ITimerJob
{
    /// <returns>A one-line summary for the host's invocation log.</returns>
    Task<string> RunAsync(TimerInvocation invocation, CancellationToken cancellationToken);
}

public static class TimerFunctions
{
    public static IServiceCollection AddTimerFunction<TJob>(this IServiceCollection services, string name, string schedule)
        where TJob : class, ITimerJob
    {
        services.AddSingleton(new TimerFunction(name, schedule, typeof(TJob)));
        services.AddScoped<TJob>();
        return services;
    }

    /// <summary>Maps POST /{Name} for every timer, answering in the shape the host waits for.</summary>
    public static void MapTimerFunctions(this IEndpointRouteBuilder app)
    {
        foreach (var timer in app.ServiceProvider.GetServices<TimerFunction>())
        {
            app.MapPost("/" + timer.Name, async (HttpRequest request, IServiceProvider services, ILoggerFactory loggers, CancellationToken cancellationToken) =>
            {
                var isPastDue = false;
                if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
                {
                    try
                    {
                        using var payload = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
                        isPastDue = payload.RootElement.ValueKind == JsonValueKind.Object
                            && payload.RootElement.TryGetProperty("Data", out var data) && data.ValueKind == JsonValueKind.Object
                            && data.TryGetProperty("timer", out var t) && t.ValueKind == JsonValueKind.Object
                            && t.TryGetProperty("IsPastDue", out var pastDue) && pastDue.ValueKind == JsonValueKind.True;
                    }
                    catch (JsonException)
                    {
                        return Reply(StatusCodes.Status400BadRequest, "The timer payload is not JSON.");
                    }
                }
                var (ok, log) = await RunAsync(timer, new TimerInvocation(isPastDue, "http"), services, loggers.CreateLogger(timer.Name), cancellationToken);
                // Non-2xx tells the host the run failed; the body must still be JSON or the invocation hangs.
                return Reply(ok ? StatusCodes.Status200OK : StatusCodes.Status500InternalServerError, log);
            }).ExcludeFromDescription();
        }
    }

    internal static async Task<(bool Ok, string Log)> RunAsync(TimerFunction timer, TimerInvocation invocation, IServiceProvider services, ILogger logger, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await using var scope = services.CreateAsyncScope();
        var job = (ITimerJob)scope.ServiceProvider.GetRequiredService(timer.JobType);
        try
        {
            var summary = await job.RunAsync(invocation, cancellationToken);
            var log = $"{timer.Name} ({invocation.Trigger}{(invocation.IsPastDue ? ", past due" : "")}): {summary} in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F0} ms";
            logger.LogInformation("{Log}", log);
            return (true, log);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogError(e, "{Timer} failed", timer.Name);
            return (false, $"{timer.Name} failed: {e.GetType().Name}: {e.Message}");
        }
    }

    // The host reads these exact names; the API's camelCase policy must not apply here.
    static readonly JsonSerializerOptions HostJson = new();

    static IResult Reply(int status, string log) => Results.Json(
        new { Outputs = new { }, Logs = new[] { log }, ReturnValue = (object?)null },
        HostJson, statusCode: status);
}

/// <summary>
/// Without the Functions host nobody fires the timers, so the app runs them itself on the same schedules.
/// Enabled by Timers:RunLocally, which defaults to on when the host did not start the app.
/// </summary>
public sealed class LocalTimerScheduler(IEnumerable<TimerFunction> timers, IServiceProvider services, ILogger<LocalTimerScheduler> logger, TimeProvider clock)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(timers.Select(timer => RunForeverAsync(timer, stoppingToken)));

    async Task RunForeverAsync(TimerFunction timer, CancellationToken stoppingToken)
    {
        logger.LogInformation("Running timer {Timer} locally on schedule '{Schedule}' (UTC)", timer.Name, timer.Schedule);
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            var next = timer.Cron.GetNextOccurrence(now.UtcDateTime, inclusive: false);
            if (next is null) return;
            try
            {
                await Task.Delay(next.Value - now.UtcDateTime, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await TimerFunctions.RunAsync(timer, new TimerInvocation(false, "local schedule"), services, logger, stoppingToken);
        }
    }
}
