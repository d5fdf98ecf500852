using System.Security.Cryptography;
using System.Text;
using Participa.Domain;

namespace Participa.Tests.Domain;

public class ProposalRulesTests
{
    static readonly Process Process = SampleData.CoCreation2021;
    static readonly DateTimeOffset Now = new(2026, 11, 22, 16, 30, 15, 123, TimeSpan.Zero);

    static ProposalInput Valid => new() { Title = "Título", Problem = "Problema", ProposedSolution = "Solución", Theme = "ambiente-clima", Department = "solola" };

    static (Proposal? Proposal, IDictionary<string, string[]> Errors) Create(ProposalInput input)
    {
        var errors = new Errors();
        var proposal = Proposal.Create(Process, input, Ids.New(Now), Now, errors);
        return (proposal, errors.ToDictionary());
    }

    [Fact]
    public void A_valid_proposal_is_trimmed_and_kept_exactly()
    {
        var (proposal, errors) = Create(Valid with { Title = "  Agua potable en Nebaj 💧 — ch'ich' kʼicheʼ  " });
        Assert.Empty(errors);
        Assert.Equal("Agua potable en Nebaj 💧 — ch'ich' kʼicheʼ", proposal!.Title);
    }

    [Fact]
    public void Every_missing_field_is_named()
    {
        var (proposal, errors) = Create(new ProposalInput { Problem = " ", ProposedSolution = "" });
        Assert.Null(proposal);
        Assert.Equal(["department", "problem", "proposedSolution", "theme", "title"], errors.Keys.Order());
    }

    [Fact]
    public void Unknown_theme_and_department_are_refused_with_the_allowed_values()
    {
        var (_, errors) = Create(Valid with { Theme = "deportes", Department = "yucatan" });
        Assert.Contains("gobierno-digital", errors["theme"][0]);
        Assert.Contains("alta-verapaz", errors["department"][0]);
    }

    [Fact]
    public void Length_limits_count_characters_as_people_see_them()
    {
        // 200 emoji are 400 UTF-16 units but 200 characters: exactly at the limit.
        Assert.Empty(Create(Valid with { Title = string.Concat(Enumerable.Repeat("🌽", Proposal.TitleMax)) }).Errors);
        var (_, errors) = Create(Valid with { Title = new string('a', Proposal.TitleMax + 1) });
        Assert.Contains("201", errors["title"][0]);
        Assert.Contains("200", errors["title"][0]);
    }

    [Theory]
    [InlineData("title", "line\nbreak")]
    [InlineData("title", "nul\0char")]
    [InlineData("problem", "bell \u0007")]
    public void Control_characters_and_broken_unicode_are_refused(string field, string value)
    {
        var input = field == "title" ? Valid with { Title = value } : Valid with { Problem = value };
        Assert.True(Create(input).Errors.ContainsKey(field));
    }

    [Fact]
    public void Lone_surrogates_are_refused()
    {
        // Built here: xunit would replace a lone surrogate in InlineData before the test saw it.
        var broken = "lone " + (char)0xD800 + " surrogate";
        Assert.True(Create(Valid with { Problem = broken }).Errors.ContainsKey("problem"));
        Assert.True(Create(Valid with { Title = "x" + (char)0xDC00 }).Errors.ContainsKey("title"));
    }

    [Fact]
    public void Noncharacters_are_refused_in_every_plane_and_their_neighbours_are_not()
    {
        var refused = Enumerable.Range(0xFDD0, 32).Concat(Enumerable.Range(0, 17).SelectMany(plane => new[] { plane * 0x10000 + 0xFFFE, plane * 0x10000 + 0xFFFF }));
        foreach (var scalar in refused)
            foreach (var multiline in new[] { false, true })
            {
                var errors = new Errors();
                Assert.Null(Text.Optional(errors, "f", "a" + char.ConvertFromUtf32(scalar) + "b", 100, multiline));
                Assert.True(errors.Any, $"U+{scalar:X4} was accepted");
            }
        foreach (var scalar in new[] { 0xFDCF, 0xFDF0, 0xFFFD, 0xFFEF, 0x1FFFD, 0x10000, 0x10FFFD, 0xE0001 })
        {
            var errors = new Errors();
            Assert.Equal("a" + char.ConvertFromUtf32(scalar), Text.Optional(errors, "f", "a" + char.ConvertFromUtf32(scalar), 100));
            Assert.False(errors.Any, $"U+{scalar:X4} was refused");
        }
        Assert.True(Create(Valid with { Title = "Agua \uFFFE" }).Errors.ContainsKey("title"));
        Assert.True(Create(Valid with { ProposedSolution = "\U0010FFFF" }).Errors.ContainsKey("proposedSolution"));
    }

    [Fact]
    public void Long_texts_may_have_line_breaks()
    {
        Assert.Empty(Create(Valid with { Problem = "Primero.\r\n\tSegundo." }).Errors);
    }

    [Fact]
    public void Receipt_hash_is_sha256_of_the_rfc8785_canonical_json()
    {
        var (proposal, _) = Create(Valid with { Title = "Más \"datos\" 💧", Problem = "Uno\nDos\\" });
        // Keys sorted, no whitespace, literal UTF-8 (emoji included), only quote, backslash and controls escaped.
        var canonical =
            $$"""{"authorName":"","authorOrganisation":"","department":"solola","id":"{{proposal!.Id}}","kind":"proposal","municipality":"","problem":"Uno\nDos\\","processId":"pan5-cocreacion","proposedSolution":"Solución","sector":"","submittedAt":"2026-11-22T16:30:15.123Z","theme":"ambiente-clima","title":"Más \"datos\" 💧"}""";
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        Assert.Equal(expected, proposal.Receipt().Sha256);
        Assert.Equal(proposal.Id, proposal.Receipt().Id);
    }

    [Fact]
    public void Receipts_differ_when_any_field_differs()
    {
        var a = Create(Valid).Proposal!;
        Assert.NotEqual(a.Receipt().Sha256, (a with { Participant = a.Participant with { Department = "peten" } }).Receipt().Sha256);
        Assert.NotEqual(a.Receipt().Sha256, (a with { SubmittedAt = a.SubmittedAt.AddMilliseconds(1) }).Receipt().Sha256);
    }

    [Theory]
    [InlineData("pan5-cocreacion", true)]
    [InlineData("5210", true)]
    [InlineData("", false)]
    [InlineData("-leading", false)]
    [InlineData("Upper", false)]
    [InlineData("a/b", false)]
    [InlineData("a#b", false)]
    [InlineData("x' or 1 eq 1", false)]
    public void Process_ids_are_slugs(string id, bool valid) => Assert.Equal(valid, Process.IsValidId(id));

    [Fact]
    public void Ids_sort_by_time()
    {
        var earlier = Ids.New(Now);
        var later = Ids.New(Now.AddMilliseconds(1));
        Assert.True(string.CompareOrdinal(earlier, later) < 0);
        Assert.True(Ids.IsValid(earlier));
    }
}
