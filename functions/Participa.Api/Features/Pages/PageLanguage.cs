using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace Participa.Api.Features.Pages;

public static class PageLanguage
{
    /// <summary>The supported language the reader prefers most by Accept-Language (q-values honoured, "es-GT" is "es"), else the first supported.</summary>
    public static string Choose(string? acceptLanguage, IReadOnlyList<string> supported)
    {
        if (!string.IsNullOrWhiteSpace(acceptLanguage) && StringWithQualityHeaderValue.TryParseList(acceptLanguage.Split(','), out var ranges))
        {
            foreach (var range in ranges.Where(r => (r.Quality ?? 1) > 0).OrderByDescending(r => r.Quality ?? 1))
            {
                var tag = range.Value.ToString();
                var primary = tag.Split('-')[0];
                if (supported.FirstOrDefault(s => string.Equals(s, tag, StringComparison.OrdinalIgnoreCase) || string.Equals(s, primary, StringComparison.OrdinalIgnoreCase)) is { } match)
                    return match;
            }
        }
        return supported.Count > 0 ? supported[0] : CultureInfo.InvariantCulture.TwoLetterISOLanguageName;
    }
}
