using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using Participa.Domain.Resources;

namespace Participa.Tests.Languages;

/// <summary>
/// Every translation shipped (a satellite assembly next to the tests, as next to the worker) has every message, with
/// the same placeholders: a missing or broken translation fails here, not in front of a citizen.
/// </summary>
public partial class MessagesTests
{
    [GeneratedRegex(@"\{\d+(:[^}]*)?\}")]
    private static partial Regex Placeholder();

    static Dictionary<string, string> Read(CultureInfo culture) =>
        Messages.ResourceManager.GetResourceSet(culture, createIfNotExists: true, tryParents: false)!
            .Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);

    static IEnumerable<string> Shipped() =>
        Directory.GetDirectories(AppContext.BaseDirectory).Order(StringComparer.Ordinal)
            .Where(d => File.Exists(Path.Combine(d, "Participa.Domain.resources.dll"))).Select(d => Path.GetFileName(d)!);

    public static TheoryData<string> Translations() => new(Shipped());

    [Fact]
    public void Spanish_is_shipped() => Assert.Contains("es", Shipped());

    [Theory]
    [MemberData(nameof(Translations))]
    public void Every_message_is_translated_with_the_same_placeholders(string culture)
    {
        var neutral = Read(CultureInfo.InvariantCulture);
        var translated = Read(CultureInfo.GetCultureInfo(culture));

        Assert.Empty(neutral.Keys.Except(translated.Keys).Order());
        Assert.Empty(translated.Keys.Except(neutral.Keys).Order());
        foreach (var (key, english) in neutral)
        {
            var text = translated[key];
            Assert.False(string.IsNullOrWhiteSpace(text), key);
            Assert.True(Placeholders(english).SequenceEqual(Placeholders(text)), $"{key}: '{english}' / '{text}'");
            // Formats without a FormatException (a stray brace would throw in front of the reader).
            string.Format(CultureInfo.GetCultureInfo(culture), text, Enumerable.Repeat<object?>(1.5, 10).ToArray());
        }
    }

    static IEnumerable<string> Placeholders(string text) => Placeholder().Matches(text).Select(m => m.Value).Order(StringComparer.Ordinal);

    [Fact]
    public void The_neutral_messages_are_English_and_format_too()
    {
        Assert.Equal("This field is required.", Messages.ResourceManager.GetString(nameof(Messages.Required), CultureInfo.InvariantCulture));
        foreach (var (key, text) in Read(CultureInfo.InvariantCulture))
            Assert.NotNull(string.Format(CultureInfo.InvariantCulture, text, Enumerable.Repeat<object?>(1.5, 10).ToArray()) ?? key);
    }

    [Fact]
    public void Spanish_page_text_is_shipped() => Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "es", "Participa.Web.resources.dll")));

    /// <summary>The pages' own text (Participa.Web's UI resources) is held to the same rule.</summary>
    public static TheoryData<string> PageTranslations() => new(Directory.GetDirectories(AppContext.BaseDirectory).Order(StringComparer.Ordinal)
        .Where(d => File.Exists(Path.Combine(d, "Participa.Web.resources.dll"))).Select(d => Path.GetFileName(d)!));

    [Theory]
    [MemberData(nameof(PageTranslations))]
    public void Every_page_text_is_translated_with_the_same_placeholders(string culture)
    {
        static Dictionary<string, string> ReadUi(CultureInfo c) =>
            Participa.Web.Resources.UI.ResourceManager.GetResourceSet(c, createIfNotExists: true, tryParents: false)!
                .Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);
        var neutral = ReadUi(CultureInfo.InvariantCulture);
        var translated = ReadUi(CultureInfo.GetCultureInfo(culture));
        Assert.Empty(neutral.Keys.Except(translated.Keys).Order());
        Assert.Empty(translated.Keys.Except(neutral.Keys).Order());
        foreach (var (key, english) in neutral)
            Assert.True(Placeholders(english).SequenceEqual(Placeholders(translated[key])), $"{key}: '{english}' / '{translated[key]}'");
    }
}
