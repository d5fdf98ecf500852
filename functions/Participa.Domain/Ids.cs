namespace Participa.Domain;

/// <summary>Item ids: version-7 GUIDs as 32 lowercase hex digits. They sort by creation time, so stored rows keep submission order.</summary>
public static class Ids
{
    public static string New(DateTimeOffset now) => Guid.CreateVersion7(now).ToString("N");

    public static bool IsValid(string? value) => value is { Length: 32 } && value.All(char.IsAsciiHexDigitLower);
}
