using System.Globalization;

namespace Participa.Domain;

public static class Timestamps
{
    /// <summary>UTC ISO 8601 with millisecond precision, the one format used in receipts and published data.</summary>
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Drops sub-millisecond precision so a stored and re-read time formats identically.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset value) =>
        new(value.UtcTicks - value.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
}
