using System.Globalization;

namespace Participa.Domain.Resources;

/// <summary>
/// Which of the platform's languages a reader gets. The supported languages come from the setting
/// <c>Participa:Languages</c> ("es,en" by default; the first is the default), so a new language is a resx file and a
/// setting (docs/languages.md). Pure, and next to the messages, so the API (RequestLanguage) and the web pages share
/// <see cref="Choose"/>; the pages add their own override on top.
/// </summary>
public static class Languages
{
    public const string Setting = "Participa:Languages";
    public const string DefaultSetting = "es,en";

    // A header past these is not a browser's: the rest is ignored rather than parsed.
    const int MaxHeaderLength = 1024;
    const int MaxEntries = 32;

    /// <summary>The supported languages from the setting's comma-separated tags, in order; "es,en" when unset.</summary>
    public static IReadOnlyList<string> Supported(string? setting)
    {
        var tags = (string.IsNullOrWhiteSpace(setting) ? DefaultSetting : setting)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(IsTag).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return tags.Count > 0 ? tags : Supported(DefaultSetting);
    }

    /// <summary>
    /// The supported language the Accept-Language header prefers: highest q first (equal q in the header's order),
    /// a regional tag matching its language (es-GT is es), "*" meaning the default, q=0 meaning "not this one". The
    /// first supported language when nothing matches, and for a missing or malformed header.
    /// </summary>
    public static string Choose(string? acceptLanguage, IReadOnlyList<string> supported)
    {
        ArgumentOutOfRangeException.ThrowIfZero(supported.Count);
        if (string.IsNullOrWhiteSpace(acceptLanguage)) return supported[0];
        var header = acceptLanguage.Length > MaxHeaderLength ? acceptLanguage[..MaxHeaderLength] : acceptLanguage;

        var ranges = new List<(string Tag, double Q, int Order)>();
        foreach (var entry in header.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(MaxEntries))
        {
            var parts = entry.Split(';', StringSplitOptions.TrimEntries);
            var tag = parts[0];
            if (tag != "*" && !IsTag(tag)) continue;
            var q = 1.0;
            var valid = true;
            foreach (var parameter in parts.Skip(1))
                if (parameter.StartsWith("q=", StringComparison.OrdinalIgnoreCase))
                    valid = double.TryParse(parameter[2..], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out q) && q is >= 0 and <= 1;
            if (valid && q > 0) ranges.Add((tag, q, ranges.Count));
        }

        foreach (var (tag, _, _) in ranges.OrderByDescending(r => r.Q).ThenBy(r => r.Order))
        {
            if (tag == "*") return supported[0];
            if (supported.FirstOrDefault(s => Matches(tag, s)) is { } match) return match;
        }
        return supported[0];
    }

    /// <summary>es matches es, es-GT and es-419; quc matches quc-GT.</summary>
    static bool Matches(string requested, string supported) =>
        requested.Equals(supported, StringComparison.OrdinalIgnoreCase)
        || (requested.Length > supported.Length && requested[supported.Length] == '-'
            && requested.StartsWith(supported, StringComparison.OrdinalIgnoreCase));

    /// <summary>A BCP 47 shape: subtags of 1-8 ASCII letters or digits joined by '-', the first letters only.</summary>
    static bool IsTag(string tag)
    {
        var subtags = tag.Split('-');
        return tag.Length <= 64
            && subtags.All(s => s.Length is >= 1 and <= 8 && s.All(char.IsAsciiLetterOrDigit))
            && subtags[0].All(char.IsAsciiLetter);
    }
}
