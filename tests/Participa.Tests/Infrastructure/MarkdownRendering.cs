using System.Net;
using System.Text.RegularExpressions;
using Markdig;

namespace Participa.Tests.Infrastructure;

/// <summary>
/// Renders Markdown as a facilitator's renderer would (Markdig with its advanced extensions: pipe tables, autolinks,
/// emphasis extras, math, attributes, citations…), to check that what someone wrote stays text.
/// </summary>
public static partial class MarkdownRendering
{
    static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    /// <summary>Text someone could write that a renderer would turn into markup if it were copied as it is (a title fits).</summary>
    public const string Hostile =
        "<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) ![i](x.png) *em* _em_ **b** `code` a | b # h ~~del~~ <!-- c -->";

    /// <summary>More of it, for the extensions renderers add: marks, math, attributes, citations, entities, autolinks.</summary>
    public const string HostileExtras =
        "==mark== ++ins++ $x$ ^sup^ {#id .c} \"\"cite\"\" &lt;b&gt; \\ <https://e.example> https://e.example www.e.example";

    public static string ToHtml(string markdown) => Markdown.ToHtml(markdown, Pipeline);

    /// <summary>The text a reader sees: the HTML without its tags, entities decoded.</summary>
    public static string VisibleText(string html) => WebUtility.HtmlDecode(Tag().Replace(html, ""));

    /// <summary>
    /// The rendered Markdown has only the elements the summary itself makes (headings, paragraphs, tables, lists), and
    /// as many headings as it has lines starting with '#' (what someone wrote never starts a line); every given text
    /// shows exactly as written.
    /// </summary>
    public static void AssertRendersAsText(string markdown, params string[] texts)
    {
        var html = ToHtml(markdown);
        foreach (var element in Elements().Matches(html).Select(m => m.Groups[1].Value.ToLowerInvariant()).Distinct())
            Assert.True(element is "h1" or "h2" or "p" or "table" or "thead" or "tbody" or "tr" or "th" or "td" or "ul" or "li",
                $"<{element}> in the rendered summary:\n{html}");
        Assert.Equal(Regex.Matches(markdown, "^#{1,6} ", RegexOptions.Multiline).Count, Regex.Matches(html, "<h[1-6][ >]").Count);
        Assert.Single(Regex.Matches(html, "<h1[ >]"));
        var visible = VisibleText(html);
        foreach (var text in texts) Assert.Contains(text, visible);
    }

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"<([a-zA-Z][a-zA-Z0-9]*)")]
    private static partial Regex Elements();
}
