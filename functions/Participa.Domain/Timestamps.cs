using System.Globalization;

namespace Participa.Domain;

public static class Timestamps
{
    /// <summary>UTC ISO 8601 with millisecond precision, the one format used in receipts and published data.</summary>
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// The earliest time Azure Table Storage holds (its DateTime range is 1601-01-01 to 9999-12-31 UTC; the end is
    /// DateTimeOffset's own). Azurite stores earlier ones, Azure refuses the write, so every date a client sends that
    /// is stored is checked here, in UTC: meeting dates, process phases, a bill's presentation date.
    /// </summary>
    public static readonly DateTimeOffset Earliest = new(1601, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static bool IsStorable(DateTimeOffset value) => value >= Earliest;

    public static bool IsStorable(DateOnly value) => value >= DateOnly.FromDateTime(Earliest.UtcDateTime);

    /// <summary>The value, or null after adding an error when it is outside what storage holds.</summary>
    public static DateTimeOffset? Storable(Errors errors, string field, DateTimeOffset value)
    {
        if (IsStorable(value)) return value;
        errors.Add(field, Messages.DateOutOfRange);
        return null;
    }

    /// <summary>Drops sub-millisecond precision so a stored and re-read time formats identically.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset value) =>
        new(value.UtcTicks - value.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
}
