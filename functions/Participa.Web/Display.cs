using System.Globalization;
using Participa.Domain;
using Participa.Web.Resources;

namespace Participa.Web;

/// <summary>Times and numbers as the reader reads them: their language, Guatemala's clock, the zone named.</summary>
public static class Display
{
    static readonly TimeZoneInfo Guatemala = TimeZoneInfo.FindSystemTimeZoneById("America/Guatemala");

    public static DateTimeOffset InGuatemala(DateTimeOffset time) => TimeZoneInfo.ConvertTime(time, Guatemala);

    /// <summary>"4 de mayo de 2026, 15:00 (hora de Guatemala)".</summary>
    public static string When(DateTimeOffset time)
    {
        var local = InGuatemala(time);
        return string.Format(CultureInfo.CurrentCulture, UI.TimeInGuatemala,
            local.ToString("D", CultureInfo.CurrentCulture), local.ToString("HH:mm", CultureInfo.CurrentCulture));
    }

    /// <summary>
    /// A datetime-local field's "2026-05-04T15:00", read as Guatemala's clock, in the ISO form with offset the domain
    /// takes; anything else is passed on unchanged, for the domain to refuse with its message.
    /// </summary>
    public static string? FromGuatemalaLocal(string? value)
    {
        if (!DateTime.TryParseExact(value, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)) return value;
        var offset = Guatemala.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
    }

    /// <summary>The value a datetime-local field shows for a time: Guatemala's clock.</summary>
    public static string ToGuatemalaLocal(DateTimeOffset time) => InGuatemala(time).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    public static string Day(DateTimeOffset time) => InGuatemala(time).ToString("D", CultureInfo.CurrentCulture);

    /// <summary>The machine-readable form for &lt;time datetime&gt;: UTC ISO 8601.</summary>
    public static string Iso(DateTimeOffset time) => Timestamps.Format(time);

    public static string Number(long n) => n.ToString("N0", CultureInfo.CurrentCulture);

    /// <summary>A resource by a computed name (a sector id, a status), or the fallback when no language names it.</summary>
    public static string Named(string prefix, string id, string? fallback = null) =>
        UI.ResourceManager.GetString(prefix + "_" + id.Replace('-', '_'), CultureInfo.CurrentUICulture) ?? fallback ?? id;

    public static string Format(string format, params object?[] args) => string.Format(CultureInfo.CurrentCulture, format, args);
}
