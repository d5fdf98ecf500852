using System.Globalization;
using System.Text;

namespace Participa.Domain;

/// <summary>What a staff member changes on one opinion: reviewed or not, tags added and removed.</summary>
public sealed record ReviewInput
{
    public bool? Reviewed { get; init; }
    public string[]? AddTags { get; init; }
    public string[]? RemoveTags { get; init; }
}

/// <summary>Congress staff's working state on an opinion. Tags are staff labels, never shown to the public.</summary>
public static class Review
{
    public const int TagMax = 40;
    public const int TagsPerOpinion = 10;

    public static bool IsTag(string? tag) => Slug.IsValid(tag, TagMax);

    /// <summary>The opinion's tags after the change, sorted; null after adding errors.</summary>
    public static IReadOnlyList<string>? ApplyTags(IReadOnlyList<string> current, ReviewInput input, Errors errors)
    {
        foreach (var (field, tags) in new[] { ("addTags", input.AddTags), ("removeTags", input.RemoveTags) })
            if (tags?.FirstOrDefault(t => !IsTag(t)) is { } bad)
                errors.Add(field, Localized.Format(Messages.TagInvalid, bad, TagMax));
        if (input.Reviewed is null && input.AddTags is null or [] && input.RemoveTags is null or [])
            errors.Add("reviewed", Messages.ReviewNothingToChange);
        if (errors.Any) return null;
        var result = current.Except(input.RemoveTags ?? [], StringComparer.Ordinal).Union(input.AddTags ?? [], StringComparer.Ordinal)
            .Order(StringComparer.Ordinal).ToList();
        if (result.Count > TagsPerOpinion)
        {
            errors.Add("addTags", Localized.Format(Messages.TooManyTags, TagsPerOpinion, result.Count));
            return null;
        }
        return result;
    }

    public static IReadOnlyList<string> ParseTags(string? column) => column?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];

    public static string FormatTags(IEnumerable<string> tags) => string.Join(' ', tags);
}

public sealed record ResponseInput
{
    public string? Text { get; init; }
    public string? Commission { get; init; }
}

/// <summary>A commission's official response to the citizens' opinions on a bill. Every publication is a new version.</summary>
public sealed record OfficialResponse(int Version, string Text, string Commission, DateTimeOffset PublishedAt)
{
    public const int TextMax = 10_000;
    public const int CommissionMax = 200;

    public static OfficialResponse? Create(ResponseInput input, int version, DateTimeOffset now, Errors errors)
    {
        var text = Domain.Text.Required(errors, "text", input.Text, TextMax, multiline: true);
        var commission = Domain.Text.Required(errors, "commission", input.Commission, CommissionMax);
        return errors.Any ? null : new OfficialResponse(version, text!, commission!, now);
    }
}

/// <summary>RFC 4180 CSV: every field quoted, CRLF line ends, invariant culture.</summary>
public static class Csv
{
    public static string Line(IEnumerable<string?> fields) =>
        string.Join(',', fields.Select(Field)) + "\r\n";

    /// <summary>
    /// A leading =, +, -, @ or tab would make Excel evaluate a citizen's text as a formula (CSV injection), so such a
    /// field gets a leading apostrophe, as OWASP recommends.
    /// </summary>
    public static string Field(string? value)
    {
        value ??= "";
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    public static string Bool(bool value) => value ? "true" : "false";

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static readonly byte[] Utf8Bom = Encoding.UTF8.GetPreamble();
}
