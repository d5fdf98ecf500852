using System.Net;
using System.Text;
using System.Text.Json;
using Participa.Api.Hosting;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Congress;

public class ReviewApiTests
{
    const string Campaign = "Apoyo la reforma porque las municipalidades deben publicar sus contratos y presupuestos en un portal abierto " +
        "que cualquier vecino pueda consultar desde su teléfono sin pedir permiso a nadie en ninguna oficina";

    static HttpRequestMessage Staff(HttpMethod method, string url, object? body = null, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = body is null ? null : Http.Json(body) }.WithToken(StaffTokens.For(StaffRoles.CongressStaff));
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    static async Task<string> Submit(HttpClient client, string processId, object opinion)
    {
        var response = await client.PostAsync($"/api/processes/{processId}/opinions", Http.Json(opinion));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("id").GetString()!;
    }

    static async Task<JsonElement> Queue(HttpClient client, string processId, string query)
    {
        var response = await client.SendAsync(Staff(HttpMethod.Get, $"/api/processes/{processId}/review/opinions?{query}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    static async Task<HttpResponseMessage> Patch(HttpClient client, string processId, string id, object body, string? ifMatch) =>
        await client.SendAsync(Staff(HttpMethod.Patch, $"/api/processes/{processId}/review/opinions/{id}", body, ifMatch));

    [Fact]
    public async Task The_queue_filters_by_article_position_place_sector_dates_review_state_and_tag()
    {
        await using var app = await ParticipaApp.StartAsync();
        var bill = await app.AddBillProcessAsync();
        using var client = app.CreateClient();
        var day = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var a = await Submit(client, bill.Id, new { position = "for", article = "art-2", department = "peten", sector = "academia", reasons = "Uno." });
        var b = await Submit(client, bill.Id, new { position = "against", article = "art-2", department = "guatemala", reasons = "Dos." });
        var c = await Submit(client, bill.Id, new { position = "against", department = "peten", reasons = "Tres." });

        var first = await Patch(client, bill.Id, a, new { reviewed = true, addTags = new[] { "transparencia", "municipal" } }, "\"r0\"");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("\"r1\"", first.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, (await Patch(client, bill.Id, c, new { addTags = new[] { "transparencia" } }, "\"r0\"")).StatusCode);

        async Task<string[]> Ids(string query) =>
            (await Queue(client, bill.Id, query)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToArray();
        Assert.Equal([a, b, c], await Ids(""));
        Assert.Equal([a, b], await Ids("article=art-2"));
        Assert.Equal([b], await Ids("article=art-2&position=against"));
        Assert.Equal([b, c], await Ids("position=against"));
        Assert.Equal([a, c], await Ids("department=peten"));
        Assert.Equal([a], await Ids("sector=academia"));
        Assert.Equal([a], await Ids("reviewed=true"));
        Assert.Equal([b, c], await Ids("reviewed=false"));
        Assert.Equal([a, c], await Ids("tag=transparencia"));
        Assert.Equal([c], await Ids("tag=transparencia&reviewed=false"));
        Assert.Equal([a], await Ids("tag=municipal"));
        Assert.Empty(await Ids("tag=transparencia&article=art-8"));
        // The dates are read before and after submitting, so a test run across midnight still holds.
        var tomorrow = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal([a, b, c], await Ids($"from={day}&to={DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}"));
        Assert.Empty(await Ids($"from={tomorrow}"));
        Assert.Empty(await Ids("to=2020-01-01"));

        var tagged = await Queue(client, bill.Id, "tag=transparencia&pageSize=1");
        Assert.Equal(2, tagged.GetProperty("count").GetInt64());
        var item = tagged.GetProperty("items")[0];
        Assert.True(item.GetProperty("reviewed").GetBoolean());
        Assert.Equal(["municipal", "transparencia"], item.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!));
        var rest = await Queue(client, bill.Id, "tag=transparencia&pageSize=1&continuationToken=" + tagged.GetProperty("continuationToken").GetString());
        Assert.Equal(c, rest.GetProperty("items")[0].GetProperty("id").GetString());

        // Removing a tag removes the opinion from that tag's queue.
        Assert.Equal(HttpStatusCode.OK, (await Patch(client, bill.Id, a, new { removeTags = new[] { "transparencia" } }, "\"r1\"")).StatusCode);
        Assert.Equal([c], await Ids("tag=transparencia"));
        Assert.Equal([a], await Ids("tag=municipal&reviewed=true"));
    }

    [Fact]
    public async Task Dates_at_the_ends_of_the_calendar_filter_correctly_and_a_reversed_range_is_400()
    {
        await using var app = await ParticipaApp.StartAsync();
        var bill = await app.AddBillProcessAsync();
        using var client = app.CreateClient();
        var a = await Submit(client, bill.Id, new { position = "for", reasons = "Uno." });

        // Each answer as "ids/count", so an empty page with a wrong count shows too.
        async Task<string> Filter(string query)
        {
            var page = await Queue(client, bill.Id, query);
            return string.Join(",", page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString())) + "/" + page.GetProperty("count").GetInt64();
        }
        Assert.Equal($"{a}/1", await Filter("to=9999-12-31"));
        Assert.Equal($"{a}/1", await Filter("from=0001-01-01"));
        Assert.Equal($"{a}/1", await Filter("from=0001-01-01&to=9999-12-31"));
        Assert.Equal("/0", await Filter("from=9999-12-31"));
        Assert.Equal("/0", await Filter("from=9999-12-31&to=9999-12-31"));
        Assert.Equal("/0", await Filter("to=0001-01-01"));
        Assert.Equal("/0", await Filter("from=0001-01-01&to=0001-01-01"));

        var reversed = await client.SendAsync(Staff(HttpMethod.Get, $"/api/processes/{bill.Id}/review/opinions?from=2026-12-02&to=2026-12-01"));
        Assert.Equal(HttpStatusCode.BadRequest, reversed.StatusCode);
        Assert.True((await reversed.ReadJsonAsync()).GetProperty("errors").TryGetProperty("to", out _));
    }

    [Theory]
    [InlineData("reviewed=maybe", "reviewed")]
    [InlineData("tag=Not_A_Tag", "tag")]
    [InlineData("from=22-11-2026", "from")]
    [InlineData("to=2026-13-01", "to")]
    [InlineData("position=yes", "position")]
    [InlineData("department=atlantis", "department")]
    [InlineData("continuationToken=b3wxMjM", "continuationToken")]
    public async Task Bad_queue_filters_are_400_naming_the_field(string query, string field)
    {
        await using var app = await ParticipaApp.StartAsync();
        var bill = await app.AddBillProcessAsync();
        using var client = app.CreateClient();
        var response = await client.SendAsync(Staff(HttpMethod.Get, $"/api/processes/{bill.Id}/review/opinions?{query}"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Two_staff_editing_one_opinion_cannot_overwrite_each_other()
    {
        await using var app = await ParticipaApp.StartAsync();
        var bill = await app.AddBillProcessAsync();
        using var client = app.CreateClient();
        var id = await Submit(client, bill.Id, new { position = "for", reasons = "Bien." });
        var read = await client.SendAsync(Staff(HttpMethod.Get, $"/api/processes/{bill.Id}/review/opinions/{id}"));
        var etag = read.Headers.ETag!.Tag;

        var ana = await Patch(client, bill.Id, id, new { addTags = new[] { "salud" } }, etag);
        var luis = await Patch(client, bill.Id, id, new { reviewed = true }, etag);
        var blind = await Patch(client, bill.Id, id, new { reviewed = true }, null);

        Assert.Equal(HttpStatusCode.OK, ana.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, luis.StatusCode);
        Assert.Equal((HttpStatusCode)428, blind.StatusCode);
        var now = await (await client.SendAsync(Staff(HttpMethod.Get, $"/api/processes/{bill.Id}/review/opinions/{id}"))).ReadJsonAsync();
        Assert.False(now.GetProperty("reviewed").GetBoolean());
        Assert.Equal(["salud"], now.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!));
        // Luis reads again and succeeds; Ana's tag stays.
        var retry = await Patch(client, bill.Id, id, new { reviewed = true }, now.GetProperty("eTag").GetString());
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var after = await retry.ReadJsonAsync();
        Assert.True(after.GetProperty("reviewed").GetBoolean());
        Assert.Equal(["salud"], after.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!));
    }

    [Fact]
    public async Task Tags_are_slugs_at_most_ten_per_opinion()
    {
        await using var app = await ParticipaApp.StartAsync();
        var bill = await app.AddBillProcessAsync();
        using var client = app.CreateClient();
        var id = await Submit(client, bill.Id, new { position = "for", reasons = "Bien." });

        var bad = await Patch(client, bill.Id, id, new { addTags = new[] { "Salud Pública" } }, "\"r0\"");
        var tooLong = await Patch(client, bill.Id, id, new { addTags = new[] { new string('a', 41) } }, "\"r0\"");
        var eleven = await Patch(client, bill.Id, id, new { addTags = Enumerable.Range(1, 11).Select(i => $"t{i}").ToArray() }, "\"r0\"");
        var empty = await Patch(client, bill.Id, id, new { }, "\"r0\"");
        var ten = await Patch(client, bill.Id, id, new { addTags = Enumerable.Range(1, 10).Select(i => $"t{i}").ToArray() }, "\"r0\"");
        var one = await Patch(client, bill.Id, id, new { addTags = new[] { "t11" } }, "\"r1\"");
        var unknown = await Patch(client, bill.Id, "0190aaaaaaaa7aaa8aaaaaaaaaaaaaaa", new { reviewed = true }, "*");

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, eleven.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ten.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, one.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_hidden_opinion_leaves_every_queue_including_its_tags()
    {
        await using var app = await ParticipaApp.StartAsync();
        var bill = await app.AddBillProcessAsync();
        using var client = app.CreateClient();
        var id = await Submit(client, bill.Id, new { position = "for", reasons = "Bien." });
        Assert.Equal(HttpStatusCode.OK, (await Patch(client, bill.Id, id, new { addTags = new[] { "salud" } }, "*")).StatusCode);

        await app.Service<Participa.Storage.SubmissionStore>().SetStateAsync(bill.Id, id,
            Participa.Storage.ItemState.Hidden("spam", "Publicidad.", DateTimeOffset.UtcNow), null, CancellationToken.None);

        Assert.Empty((await Queue(client, bill.Id, "tag=salud")).GetProperty("items").EnumerateArray());
        Assert.Empty((await Queue(client, bill.Id, "")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Campaigns_group_identical_and_near_identical_texts_and_a_group_is_marked_reviewed_at_once()
    {
        await using var app = await ParticipaApp.StartAsync();
        var bill = await app.AddBillProcessAsync();
        using var client = app.CreateClient();
        var members = new List<string>();
        foreach (var text in new[] { Campaign, Campaign.ToUpperInvariant(), Campaign + "!!", Campaign.Replace("teléfono", "celular") })
            members.Add(await Submit(client, bill.Id, new { position = "for", reasons = text }));
        members.Add(await Submit(client, bill.Id, new { position = "against", reasons = Campaign.Replace("contratos", "convenios") }));
        var alone = await Submit(client, bill.Id, new { position = "neutral", reasons = "Quisiera saber cuánto costará el portal y quién lo mantendrá." });
        await Submit(client, bill.Id, new { position = "for" }); // no reasons: in no campaign

        var response = await client.SendAsync(Staff(HttpMethod.Get, $"/api/processes/{bill.Id}/review/campaigns"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        var group = Assert.Single(body.GetProperty("items").EnumerateArray());
        Assert.Equal(5, group.GetProperty("count").GetInt32());
        Assert.Equal(4, group.GetProperty("positions").GetProperty("for").GetInt32());
        Assert.Equal(1, group.GetProperty("positions").GetProperty("against").GetInt32());
        Assert.Equal(members, group.GetProperty("memberIds").EnumerateArray().Select(m => m.GetString()!));
        Assert.Equal(Campaign, group.GetProperty("representativeText").GetString());
        Assert.Equal(7, body.GetProperty("opinions").GetInt32());
        Assert.DoesNotContain(alone, group.GetProperty("memberIds").EnumerateArray().Select(m => m.GetString()));

        var marked = await client.SendAsync(Staff(HttpMethod.Post, $"/api/processes/{bill.Id}/review/campaigns/{group.GetProperty("id").GetString()}/reviewed", new { reviewed = true }));
        Assert.Equal(HttpStatusCode.OK, marked.StatusCode);
        var result = await marked.ReadJsonAsync();
        Assert.Equal(5, result.GetProperty("changed").GetInt32());
        Assert.Equal(0, result.GetProperty("remaining").GetInt32());
        var reviewed = (await Queue(client, bill.Id, "reviewed=true")).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!);
        Assert.Equal(members, reviewed);

        var unknown = await client.SendAsync(Staff(HttpMethod.Post, $"/api/processes/{bill.Id}/review/campaigns/{alone}/reviewed", new { reviewed = true }));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Campaigns_come_from_the_state_the_statistics_timer_keeps_plus_the_journal_since_with_hides_counted_out()
    {
        await using var app = await ParticipaApp.StartAsync();
        var bill = await app.AddBillProcessAsync();
        using var client = app.CreateClient();
        var first = new List<string>();
        foreach (var text in new[] { Campaign, Campaign + ".", Campaign.ToUpperInvariant() })
            first.Add(await Submit(client, bill.Id, new { position = "for", reasons = text }));
        await Submit(client, bill.Id, new { position = "neutral", reasons = "Quisiera saber cuánto costará el portal y quién lo mantendrá." });
        Assert.True((await app.RunTimerAsync()).Succeeded);
        var states = app.Service<Participa.Storage.StatisticsStore>();
        var kept = await states.ReadCampaignsAsync(bill.Id, CancellationToken.None);
        Assert.Equal(4, kept!.Opinions);

        // After the run: two more copies, one of the first hidden by a moderator, and a second campaign.
        var later = new List<string>();
        for (var i = 0; i < 2; i++) later.Add(await Submit(client, bill.Id, new { position = "against", reasons = Campaign + new string('!', i + 1) }));
        await app.Service<Participa.Storage.SubmissionStore>().SetStateAsync(bill.Id, first[1], Participa.Storage.ItemState.Hidden("spam", null, DateTimeOffset.UtcNow), null, CancellationToken.None);
        const string other = "Pido que la reserva de información de seguridad sea de cinco años como máximo y que la revise un juez independiente cada vez";
        var second = new[] { await Submit(client, bill.Id, new { position = "against", reasons = other }), await Submit(client, bill.Id, new { position = "against", reasons = other + "." }) };

        async Task<JsonElement> CampaignsAsync()
        {
            var response = await client.SendAsync(Staff(HttpMethod.Get, $"/api/processes/{bill.Id}/review/campaigns"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.ReadJsonAsync();
        }
        var body = await CampaignsAsync();
        var groups = body.GetProperty("items").EnumerateArray().Select(g => g.GetProperty("memberIds").EnumerateArray().Select(m => m.GetString()!).ToList()).ToList();
        Assert.Equal([[first[0], first[2], .. later], [.. second]], groups);
        Assert.Equal(7, body.GetProperty("opinions").GetInt32());

        // The next run brings the journal into the state, which then says the same without it.
        Assert.True((await app.RunTimerAsync()).Succeeded);
        kept = await states.ReadCampaignsAsync(bill.Id, CancellationToken.None);
        Assert.Equal(7, kept!.Opinions);
        Assert.Equal(groups, Participa.Domain.Campaigns.Group(kept.Members()).Select(g => g.MemberIds.ToList()).ToList());
    }

    [Fact]
    public async Task The_official_response_is_published_with_its_history_and_read_anonymously()
    {
        await using var app = await ParticipaApp.StartAsync();
        var bill = await app.AddBillProcessAsync();
        var plan = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var url = $"/api/processes/{bill.Id}/review/response";

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/processes/{bill.Id}/response")).StatusCode);
        var first = await client.SendAsync(Staff(HttpMethod.Put, url, new { text = "La comisión recibió 1.204 opiniones.", commission = "Comisión de Transparencia" }));
        var second = await client.SendAsync(Staff(HttpMethod.Put, url, new { text = "Dictamen favorable con cambios al artículo 3.", commission = "Comisión de Transparencia" }));
        var invalid = await client.SendAsync(Staff(HttpMethod.Put, url, new { text = " ", commission = "" }));
        var notBill = await client.SendAsync(Staff(HttpMethod.Put, $"/api/processes/{plan.Id}/review/response", new { text = "x", commission = "y" }));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await invalid.ReadJsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("text", out _) && errors.TryGetProperty("commission", out _));
        Assert.Equal(HttpStatusCode.Conflict, notBill.StatusCode);

        var shown = await (await client.GetAsync($"/api/processes/{bill.Id}/response")).ReadJsonAsync();
        Assert.Equal(2, shown.GetProperty("version").GetInt32());
        Assert.Equal("Dictamen favorable con cambios al artículo 3.", shown.GetProperty("text").GetString());
        Assert.EndsWith("Z", shown.GetProperty("publishedAt").GetString());
        var history = Assert.Single(shown.GetProperty("history").EnumerateArray());
        Assert.Equal(1, history.GetProperty("version").GetInt32());
        Assert.Equal("La comisión recibió 1.204 opiniones.", history.GetProperty("text").GetString());
    }

    [Fact]
    public async Task The_export_is_csv_excel_reads_with_reviewed_opinions_and_no_private_data()
    {
        await using var app = await ParticipaApp.StartAsync();
        var bill = await app.AddBillProcessAsync();
        using var client = app.CreateClient();
        var shown = await Submit(client, bill.Id, new
        {
            position = "for", article = "art-3", department = "quetzaltenango", municipality = "Salcajá", sector = "academia", gender = "female", ageBand = "30-44",
            reasons = "Está bien, pero \"falta\" un plazo;\nsegunda línea.", authorName = "Ana Pérez", authorOrganisation = "Red Ciudadana", authorEmail = "ana@example.org", showName = true,
        });
        var hiddenName = await Submit(client, bill.Id, new { position = "against", reasons = "=HYPERLINK(\"http://x\")", authorName = "Luis Secreto", authorEmail = "luis@example.org", showName = false });
        var notReviewed = await Submit(client, bill.Id, new { position = "neutral", reasons = "Sin revisar." });
        Assert.Equal(HttpStatusCode.OK, (await Patch(client, bill.Id, shown, new { reviewed = true, addTags = new[] { "plazos" } }, "*")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Patch(client, bill.Id, hiddenName, new { reviewed = true }, "*")).StatusCode);

        var response = await client.SendAsync(Staff(HttpMethod.Get, $"/api/processes/{bill.Id}/review/export.csv"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        Assert.DoesNotContain("@example.org", text);
        Assert.DoesNotContain("Luis Secreto", text);
        Assert.DoesNotContain("female", text);
        Assert.DoesNotContain("30-44", text);

        var rows = ParseCsv(text);
        Assert.Equal(["id", "submittedAt", "article", "position", "reasons", "department", "municipality", "sector", "tags", "reviewed", "campaignId", "authorName", "authorOrganisation"], rows[0]);
        Assert.Equal(3, rows.Count);
        var ana = rows.Single(r => r[0] == shown);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", ana[1]);
        Assert.Equal(["art-3", "for", "Está bien, pero \"falta\" un plazo;\nsegunda línea.", "quetzaltenango", "Salcajá", "academia", "plazos", "true", "", "Ana Pérez", "Red Ciudadana"], ana[2..]);
        var luis = rows.Single(r => r[0] == hiddenName);
        Assert.Equal("'=HYPERLINK(\"http://x\")", luis[4]);
        Assert.Equal(["", ""], luis[11..]);
        Assert.DoesNotContain(rows, r => r[0] == notReviewed);

        var all = ParseCsv(Encoding.UTF8.GetString((await (await client.SendAsync(Staff(HttpMethod.Get, $"/api/processes/{bill.Id}/review/export.csv?reviewed=all"))).Content.ReadAsByteArrayAsync())[3..]));
        Assert.Equal(4, all.Count);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(Staff(HttpMethod.Get, $"/api/processes/{bill.Id}/review/export.csv?reviewed=some"))).StatusCode);
    }

    /// <summary>RFC 4180: quoted fields, doubled quotes, CRLF between records, line breaks allowed inside quotes.</summary>
    static List<string[]> ParseCsv(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            Assert.Equal('"', text[i]);
            i++;
            while (true)
            {
                if (text[i] == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; }
                else if (text[i] == '"') { i++; break; }
                else field.Append(text[i++]);
            }
            fields.Add(field.ToString());
            field.Clear();
            if (text[i] == ',') { i++; continue; }
            Assert.Equal("\r\n", text.Substring(i, 2));
            i += 2;
            records.Add([.. fields]);
            fields.Clear();
        }
        return records;
    }
}
