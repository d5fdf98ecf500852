using System.Buffers;
using System.Text;

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
            errors.Add(field, Messages.Required);
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
            errors.Add(field, multiline ? Messages.TextNotWellFormed : Messages.TextNotSingleLine);
            return null;
        }
        var length = Length(trimmed);
        if (length > max)
        {
            errors.Add(field, Localized.Format(Messages.TextTooLong, length, max));
            return null;
        }
        return trimmed.Length == 0 ? null : trimmed;
    }

    /// <summary>
    /// The one rule for what free text may hold: Unicode scalar values only (no lone surrogates), no control characters
    /// (tab and line breaks only in multi-line fields), and no noncharacters (U+FDD0-U+FDEF, and U+xFFFE/U+xFFFF in
    /// every plane): they are reserved for a program's internal use, never interchanged, and Unicode normalization
    /// refuses some of them.
    /// </summary>
    public static bool IsWellFormed(string value, bool multiline)
    {
        for (var i = 0; i < value.Length;)
        {
            if (Rune.DecodeFromUtf16(value.AsSpan(i), out var rune, out var used) != OperationStatus.Done) return false;
            i += used;
            if (IsNoncharacter(rune.Value)) return false;
            if (Rune.IsControl(rune) && !(multiline && rune.Value is '\n' or '\r' or '\t')) return false;
        }
        return true;
    }

    /// <summary>U+FDD0-U+FDEF and the last two code points of each of the 17 planes (U+FFFE, U+FFFF, U+1FFFE, … U+10FFFF).</summary>
    public static bool IsNoncharacter(int scalar) => scalar is >= 0xFDD0 and <= 0xFDEF || (scalar & 0xFFFE) == 0xFFFE;
}
