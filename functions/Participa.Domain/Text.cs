namespace Participa.Domain;

/// <summary>Rules for free text citizens send. Text is kept exactly as sent (trimmed), never interpreted as HTML.</summary>
public static class Text
{
    /// <summary>Length in Unicode scalar values, so an emoji or a Mayan letter with a combining mark counts as people expect.</summary>
    public static int Length(string value) => value.EnumerateRunes().Count();

    /// <summary>Checks a required text field and returns it trimmed, or null after adding an error.</summary>
    public static string? Required(Errors errors, string field, string? value, int max, bool multiline = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, $"'{field}' is required.");
            return null;
        }
        return Optional(errors, field, value, max, multiline);
    }

    public static string? Optional(Errors errors, string field, string? value, int max, bool multiline = false)
    {
        if (value is null) return null;
        var trimmed = value.Trim();
        if (!IsWellFormed(trimmed, multiline))
        {
            errors.Add(field, multiline
                ? $"'{field}' contains control characters or invalid Unicode."
                : $"'{field}' must be a single line without control characters or invalid Unicode.");
            return null;
        }
        var length = Length(trimmed);
        if (length > max)
        {
            errors.Add(field, $"'{field}' is {length} characters long; the limit is {max}.");
            return null;
        }
        return trimmed.Length == 0 ? null : trimmed;
    }

    static bool IsWellFormed(string value, bool multiline)
    {
        // Lone surrogates cannot be stored or serialised faithfully; control characters are never meaningful here.
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1])) return false;
                i++;
                continue;
            }
            if (char.IsLowSurrogate(c)) return false;
            if (char.IsControl(c) && !(multiline && (c == '\n' || c == '\r' || c == '\t'))) return false;
        }
        return true;
    }
}
