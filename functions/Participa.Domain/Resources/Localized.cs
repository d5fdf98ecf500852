using System.Globalization;

namespace Participa.Domain.Resources;

/// <summary>
/// A message from <see cref="Messages"/> with its values filled in, in the reader's language: the API sets
/// CurrentUICulture (which picks the text) and CurrentCulture (which formats the values) per request from
/// Accept-Language; timers run invariant, so English.
/// </summary>
public static class Localized
{
    public static string Format(string format, params ReadOnlySpan<object?> args) =>
        string.Format(CultureInfo.CurrentCulture, format, args);
}
