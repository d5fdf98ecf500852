using Participa.Domain;

namespace Participa.Tests.Congress;

public class CampaignGroupingTests
{
    const string TemplateA = "Solicito a los diputados de la comisión que aprueben la reforma a la ley de acceso a la información pública " +
        "porque las municipalidades deben publicar sus contratos, sus presupuestos y la ejecución de cada obra en un portal abierto " +
        "que cualquier vecino pueda consultar desde su teléfono sin pedir permiso a nadie";
    const string TemplateB = "Estoy en contra del artículo tres porque elimina el plazo de diez días para responder y deja a la ciudadanía " +
        "sin una respuesta clara cuando pregunta por el uso del dinero público en su departamento";

    static readonly string[] Words = ("agua escuela camino salud maestro cosecha mercado puente lluvia bosque río clínica vecino alcalde " +
        "comunidad idioma radio maíz café frijol transporte seguridad luz empleo jóvenes mujeres abuelos cooperativa feria iglesia").Split(' ');

    static CampaignMember Member(int i, string text, string position = "for")
    {
        var features = TextFeatures.Of(text)!;
        var at = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero).AddSeconds(i);
        return new(Ids.New(at), position, at, features.TextHash, features.Sketch);
    }

    [Fact]
    public void The_campaign_state_counts_each_opinion_once_and_reads_back_what_it_wrote()
    {
        var a = Member(1, TemplateA);
        var b = Member(2, TemplateA.ToUpperInvariant(), "against");
        var c = Member(3, TemplateB);
        var state = new CampaignState { Watermark = Ids.New(DateTimeOffset.UnixEpoch.AddYears(50)) };
        foreach (var m in new[] { a, b, c, a })
            state.Apply(m.Id, m.Position, m.SubmittedAt, new TextFeatures(m.TextHash, m.Sketch), +1);
        state.Apply("f0000000000000000000000000000000", "for", a.SubmittedAt, null, +1); // no reasons: counted, never grouped
        state.Apply(c.Id, c.Position, c.SubmittedAt, null, -1);
        state.Apply(c.Id, c.Position, c.SubmittedAt, null, -1); // a hide seen twice

        var back = CampaignState.FromBytes(state.ToBytes());
        Assert.Equal(state.Watermark, back.Watermark);
        Assert.Equal(3, back.Opinions);
        Assert.Equal(new[] { a, b }.Select(m => (m.Id, m.Position, m.SubmittedAt, m.TextHash)).OrderBy(m => m.Id),
            back.Members().Select(m => (m.Id, m.Position, m.SubmittedAt, m.TextHash)).OrderBy(m => m.Id));
        Assert.Equal(a.Sketch, back.Members().First(m => m.Id == a.Id).Sketch);
        var group = Assert.Single(Campaigns.Group(back.Members()));
        Assert.Equal(2, group.Count);

        // A journal record carries the features in base64, as the opinion's receipt wrote them.
        var record = new StatRecord(StatKind.Opinion, c.Id, c.SubmittedAt, Position: "for", TextHash: c.TextHash, Sketch: Convert.ToBase64String(c.Sketch));
        back.Apply(record, +1);
        Assert.Contains(back.Members(), m => m.Id == c.Id && m.Sketch.SequenceEqual(c.Sketch));
    }

    [Fact]
    public void Normalization_never_throws_whatever_the_string()
    {
        // Every UTF-16 code unit alone and between letters (lone surrogates and noncharacters included), the
        // noncharacters of every plane, then random strings of any code units.
        var texts = new List<string>();
        for (var c = 0; c <= 0xFFFF; c++)
        {
            texts.Add(((char)c).ToString());
            texts.Add("Sí " + (char)c + " no");
        }
        for (var plane = 1; plane <= 16; plane++)
            texts.Add("a " + char.ConvertFromUtf32(plane * 0x10000 + 0xFFFE) + char.ConvertFromUtf32(plane * 0x10000 + 0xFFFF) + " b");
        var random = new Random(5210);
        for (var i = 0; i < 20_000; i++)
            texts.Add(new string(Enumerable.Range(0, random.Next(1, 24)).Select(_ => (char)random.Next(0, 0x10000)).ToArray()));

        foreach (var text in texts)
        {
            var normalized = Campaigns.Normalize(text);
            Assert.True(Text.IsWellFormed(normalized, multiline: false), $"'{text}' gave malformed '{normalized}'");
            if (normalized.Length > 0) Assert.NotNull(TextFeatures.Of(text));
        }
        Assert.Equal("si no", Campaigns.Normalize("Sí\uFFFEno"));
        Assert.Equal("si no", Campaigns.Normalize("Sí " + (char)0xD800 + " no"));
    }

    [Fact]
    public void Normalization_ignores_case_accents_punctuation_and_spacing()
    {
        Assert.Equal("si no a la reforma", Campaigns.Normalize("  ¡SÍ!  No,\ta la   REFORMA... "));
        Assert.Equal(TextFeatures.Of("Está bien.")!.TextHash, TextFeatures.Of("esta   BIEN")!.TextHash);
        Assert.NotEqual(TextFeatures.Of("está bien")!.TextHash, TextFeatures.Of("está mal")!.TextHash);
        Assert.Null(TextFeatures.Of(" ¿?! "));
    }

    [Fact]
    public void Exact_and_near_duplicates_are_grouped_and_different_texts_are_not()
    {
        var random = new Random(5210);
        var members = new List<CampaignMember>();
        var i = 0;
        // Campaign A: 5 exact copies in different dress, and 4 with one word changed each.
        var exactA = new[] { TemplateA, TemplateA.ToUpperInvariant(), TemplateA.Replace("información", "informacion") + "!!!", "  " + TemplateA.Replace(" ", "  "), TemplateA + "." }
            .Select(t => Member(i++, t)).ToList();
        var nearA = new[] { ("contratos", "convenios"), ("teléfono", "celular"), ("vecino", "ciudadano"), ("abierto", "público") }
            .Select(r => Member(i++, TemplateA.Replace(r.Item1, r.Item2), "against")).ToList();
        // Campaign B: 3 exact copies.
        var exactB = Enumerable.Range(0, 3).Select(_ => Member(i++, TemplateB, "against")).ToList();
        // Half of A's words, then other words: similar in topic, not a copy.
        var halfA = Member(i++, string.Join(' ', TemplateA.Split(' ').Take(20)) + " y además pido que se capacite a los alcaldes en transparencia fiscal y rendición de cuentas cada año");
        // Unique texts made of the same small vocabulary, so they share many single words but few 3-word runs.
        var unique = Enumerable.Range(0, 40).Select(_ => Member(i++, string.Join(' ', Enumerable.Range(0, 30).Select(_ => Words[random.Next(Words.Length)])))).ToList();
        members.AddRange([.. exactA, .. nearA, .. exactB, halfA, .. unique]);

        var groups = Campaigns.Group(members.OrderBy(_ => random.Next()));

        Assert.Equal(2, groups.Count);
        var a = groups[0];
        Assert.Equal(exactA.Concat(nearA).Select(m => m.Id).Order(StringComparer.Ordinal), a.MemberIds);
        Assert.Equal(9, a.Count);
        Assert.Equal(5, a.DistinctTexts);
        Assert.Equal(exactA[0].Id, a.Id);
        Assert.Equal(exactA[0].Id, a.RepresentativeId);
        Assert.Equal(5, a.Positions["for"]);
        Assert.Equal(4, a.Positions["against"]);
        Assert.Equal(exactA[0].SubmittedAt, a.FirstSubmittedAt);
        Assert.Equal(nearA[^1].SubmittedAt, a.LastSubmittedAt);
        var b = groups[1];
        Assert.Equal(exactB.Select(m => m.Id), b.MemberIds);
        Assert.Equal(1, b.DistinctTexts);
        Assert.DoesNotContain(groups, g => g.MemberIds.Contains(halfA.Id) || g.MemberIds.Intersect(unique.Select(u => u.Id)).Any());
    }

    [Fact]
    public void Near_duplicate_similarity_is_high_and_unrelated_is_low()
    {
        var a = TextFeatures.Of(TemplateA)!.Sketch;
        Assert.True(Campaigns.Similarity(a, TextFeatures.Of(TemplateA.Replace("teléfono", "celular"))!.Sketch) >= Campaigns.Threshold);
        Assert.True(Campaigns.Similarity(a, TextFeatures.Of(TemplateB)!.Sketch) < 0.2);
    }

    [Fact]
    public void Member_lists_are_capped_but_counts_are_not()
    {
        var members = Enumerable.Range(0, 30).Select(i => Member(i, TemplateB)).ToList();
        var group = Assert.Single(Campaigns.Group(members, memberCap: 10));
        Assert.Equal(30, group.Count);
        Assert.Equal(10, group.MemberIds.Count);
    }
}
