namespace Participa.Domain;

/// <summary>Item ids: version-7 GUIDs as 32 lowercase hex digits. They sort by creation time, so stored rows keep submission order.</summary>
public static class Ids
{
    public static string New(DateTimeOffset now) => Guid.CreateVersion7(now).ToString("N");

    public static bool IsValid(string? value) => value is { Length: 32 } && value.All(char.IsAsciiHexDigitLower);

    /// <summary>The smallest id of millisecond <paramref name="time"/>: every id made before it sorts lower.</summary>
    public static string Floor(DateTimeOffset time) =>
        Math.Max(0, time.ToUnixTimeMilliseconds()).ToString("x12", System.Globalization.CultureInfo.InvariantCulture) + new string('0', 20);

    /// <summary>When an id was made (its first 48 bits are Unix milliseconds).</summary>
    public static DateTimeOffset TimeOf(string id) =>
        DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(id[..12], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture));
}
