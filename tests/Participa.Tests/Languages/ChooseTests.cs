namespace Participa.Tests.Languages;

// The class has the folder's name.
using Languages = Participa.Domain.Resources.Languages;

/// <summary>Accept-Language against the supported languages: the pure rule the API and the web pages share.</summary>
public class ChooseTests
{
    static readonly IReadOnlyList<string> Supported = Languages.Supported(null);

    [Theory]
    [InlineData(null, "es")]                                  // nothing said: the platform's default
    [InlineData("", "es")]
    [InlineData("es", "es")]
    [InlineData("es-GT", "es")]                               // a region matches its language
    [InlineData("es-419,es;q=0.9", "es")]
    [InlineData("en", "en")]
    [InlineData("EN-us", "en")]                               // tags are case-insensitive
    [InlineData("en-US,en;q=0.9", "en")]
    [InlineData("fr", "es")]                                  // unsupported: the default
    [InlineData("fr-FR,fr;q=0.9,en;q=0.8,es;q=0.7", "en")]    // the first supported one in preference order
    [InlineData("es;q=0.5,en;q=0.8", "en")]                   // q-values, not order, decide
    [InlineData("en;q=0.8,es;q=0.8", "en")]                   // equal q: the header's order
    [InlineData("es;q=0,en;q=0.1", "en")]                     // q=0 means "not this one"
    [InlineData("en;q=0", "es")]
    [InlineData("*", "es")]
    [InlineData("fr,*;q=0.5,en;q=0.4", "es")]                 // the wildcard, at its q, means the default
    [InlineData("esperanto", "es")]                           // a prefix is not a match: es-… only
    [InlineData("quc-GT", "es")]                              // K'iche' only once it is configured
    public void Picks_the_preferred_supported_language(string? header, string expected) =>
        Assert.Equal(expected, Languages.Choose(header, Supported));

    [Theory]
    [InlineData(";;;,,,")]
    [InlineData("en;q=abc")]                                  // a malformed q drops that entry
    [InlineData("en;q=2")]
    [InlineData("en;q=-1")]
    [InlineData("e n, <script>, en_US")]
    [InlineData("\u00e9s, ññ")]
    [InlineData("12-en")]
    public void A_malformed_header_gets_the_default(string header) =>
        Assert.Equal("es", Languages.Choose(header, Supported));

    [Fact]
    public void A_malformed_entry_does_not_spoil_the_rest() =>
        Assert.Equal("en", Languages.Choose("en_US;q=1, x;;q=;, en;q=0.3", Supported));

    [Fact]
    public void A_huge_header_is_cut_not_parsed_whole() =>
        Assert.Equal("es", Languages.Choose(string.Join(",", Enumerable.Repeat("fr", 100_000)) + ",en", Supported));

    [Fact]
    public void The_supported_languages_come_from_the_setting_in_order()
    {
        Assert.Equal(["es", "en"], Languages.Supported(null));
        Assert.Equal(["es", "en", "quc"], Languages.Supported(" es, en ,quc,,EN "));
        Assert.Equal("quc", Languages.Choose("quc-GT,es;q=0.5", Languages.Supported("es,en,quc")));
        Assert.Equal(["es", "en"], Languages.Supported("not a tag!"));
    }
}
