using System.Globalization;

namespace Participa.Api.Hosting;

public static class Clock
{
    /// <summary>
    /// The system clock; in Development, Participa:ClockFile names a file holding the time instead, so tests in another
    /// process can set and move it (submission windows, days in the statistics). Refused elsewhere.
    /// </summary>
    public static IServiceCollection AddParticipaClock(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var file = configuration["Participa:ClockFile"];
        if (string.IsNullOrEmpty(file)) return services.AddSingleton(TimeProvider.System);
        if (!environment.IsDevelopment())
            throw new InvalidOperationException("Participa:ClockFile is for tests in Development only; it cannot be set here.");
        return services.AddSingleton<TimeProvider>(new FileClock(file));
    }
}

/// <summary>Time read from a file (an ISO 8601 instant) each time it is asked; the system clock while the file is absent.</summary>
public sealed class FileClock(string path) : TimeProvider
{
    public override DateTimeOffset GetUtcNow()
    {
        try
        {
            return DateTimeOffset.Parse(File.ReadAllText(path), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUniversalTime();
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            return TimeProvider.System.GetUtcNow();
        }
    }
}
