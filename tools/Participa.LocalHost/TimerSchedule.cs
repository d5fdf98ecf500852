using System.Globalization;
using Cronos;

namespace Participa.LocalHost;

/// <summary>A timer trigger's schedule: NCRONTAB (with or without seconds) or a constant interval such as 00:05:00, in UTC.</summary>
internal sealed class TimerSchedule
{
    private readonly CronExpression? _cron;
    private readonly TimeSpan _interval;

    private TimerSchedule(CronExpression? cron, TimeSpan interval)
    {
        _cron = cron;
        _interval = interval;
    }

    public static bool TryParse(string expression, out TimerSchedule? schedule, out string? error)
    {
        schedule = null;
        error = null;
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        try
        {
            if (fields == 1 && TimeSpan.TryParse(expression, CultureInfo.InvariantCulture, out var interval) && interval > TimeSpan.Zero)
            {
                schedule = new TimerSchedule(null, interval);
            }
            else
            {
                // Like the real host: six fields include seconds, five are classic cron.
                schedule = new TimerSchedule(CronExpression.Parse(expression, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard), default);
            }

            return true;
        }
        catch (CronFormatException e)
        {
            error = $"The schedule '{expression}' is not valid NCRONTAB: {e.Message}";
            return false;
        }
    }

    /// <summary>The first occurrence strictly after <paramref name="from"/>.</summary>
    public DateTimeOffset? Next(DateTimeOffset from) =>
        _cron is null ? from + _interval : _cron.GetNextOccurrence(from, TimeZoneInfo.Utc);
}
