using System.Net;
using Participa.Api.Hosting;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Administration;

public class AdministrationTests
{
    static readonly string Admin = StaffTokens.For(StaffRoles.Admin);

    // A window far in the future: one already closed would add a warning to every answer.
    static object Consultation(string id, int days, bool? allowShort = null) => new
    {
        id,
        kind = "draftConsultation",
        title = "Consulta del informe de autoevaluación",
        organiser = "Punto de contacto de Gobierno Abierto",
        description = "Comentarios por sección.",
        themes = Array.Empty<object>(),
        phases = new[] { new { id = "comentarios", name = "Comentarios", opens = "2097-09-07T06:00:00Z", closes = DateTimeOffset.Parse("2097-09-07T06:00:00Z", System.Globalization.CultureInfo.InvariantCulture).AddDays(days), accepts = new[] { "comment" } } },
        allowShortConsultation = allowShort,
    };

    static HttpRequestMessage Send(HttpMethod method, string url, object? body, string? etag = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = body is null ? null : Http.Json(body) }.WithToken(Admin);
        if (etag is not null) request.Headers.TryAddWithoutValidation("If-Match", etag);
        return request;
    }

    static string NewId() => "adm-" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task An_administrator_creates_a_process_that_citizens_then_see()
    {
        await using var app = await ParticipaApp.StartAsync();
        using var client = app.CreateClient();
        var id = NewId();

        var created = await client.SendAsync(Send(HttpMethod.Post, "/api/manage/processes", Consultation(id, 21)));
        var again = await client.SendAsync(Send(HttpMethod.Post, "/api/manage/processes", Consultation(id, 21)));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.NotNull(created.Headers.ETag);
        Assert.Equal(0, (await created.ReadJsonAsync()).GetProperty("warnings").GetArrayLength());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var seen = await (await client.GetAsync($"/api/processes/{id}")).ReadJsonAsync();
        Assert.Equal("draftConsultation", seen.GetProperty("kind").GetString());
        Assert.Equal("2097-09-28T06:00:00.000Z", seen.GetProperty("phases")[0].GetProperty("closes").GetString());
    }

    [Fact]
    public async Task A_consultation_under_two_weeks_needs_the_override_and_the_answer_says_so()
    {
        await using var app = await ParticipaApp.StartAsync();
        using var client = app.CreateClient();

        var refused = await client.SendAsync(Send(HttpMethod.Post, "/api/manage/processes", Consultation(NewId(), 10)));
        var overridden = await client.SendAsync(Send(HttpMethod.Post, "/api/manage/processes", Consultation(NewId(), 10, allowShort: true)));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("14", (await refused.ReadJsonAsync()).GetProperty("errors").GetProperty("phases[0]")[0].GetString());
        Assert.Equal(HttpStatusCode.Created, overridden.StatusCode);
        Assert.Contains("override", (await overridden.ReadJsonAsync()).GetProperty("warnings")[0].GetString());
    }

    [Fact]
    public async Task Shortening_a_consultation_under_two_weeks_by_an_edit_needs_the_override_too()
    {
        await using var app = await ParticipaApp.StartAsync();
        using var client = app.CreateClient();
        var id = NewId();
        var created = await client.SendAsync(Send(HttpMethod.Post, "/api/manage/processes", Consultation(id, 21)));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var refused = await client.SendAsync(Send(HttpMethod.Put, $"/api/manage/processes/{id}", Consultation(id, 10), created.Headers.ETag!.ToString()));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("14", (await refused.ReadJsonAsync()).GetProperty("errors").GetProperty("phases[0]")[0].GetString());
        // Refused means unchanged: still three weeks, still the same ETag.
        var stored = await client.SendAsync(Send(HttpMethod.Get, $"/api/manage/processes/{id}", null));
        Assert.Equal(created.Headers.ETag, stored.Headers.ETag);
        Assert.Equal("2097-09-28T06:00:00.000Z", (await stored.ReadJsonAsync()).GetProperty("process").GetProperty("phases")[0].GetProperty("closes").GetString());

        var overridden = await client.SendAsync(Send(HttpMethod.Put, $"/api/manage/processes/{id}", Consultation(id, 10, allowShort: true), created.Headers.ETag!.ToString()));
        Assert.Equal(HttpStatusCode.OK, overridden.StatusCode);
        Assert.Contains("override", (await overridden.ReadJsonAsync()).GetProperty("warnings")[0].GetString());
    }

    [Fact]
    public async Task A_window_wholly_in_the_past_is_accepted_with_a_warning_on_create_and_on_update()
    {
        await using var app = await ParticipaApp.StartAsync();
        using var client = app.CreateClient();
        var id = NewId();
        object Plan(params (string Id, string Opens, string Closes)[] windows) => new
        {
            id, kind = "coCreation", title = "Cocreación", organiser = "Comisión",
            themes = new[] { new { id = "agua", name = "Agua" } },
            phases = windows.Select(w => new { id = w.Id, name = w.Id, opens = w.Opens, closes = w.Closes, accepts = new[] { "proposal" } }),
        };
        async Task<string[]> Warnings(HttpResponseMessage response) =>
            (await response.ReadJsonAsync()).GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToArray();

        var created = await client.SendAsync(Send(HttpMethod.Post, "/api/manage/processes",
            Plan(("pasada", "2020-01-01T00:00:00Z", "2020-02-01T00:00:00Z"), ("abierta", "2020-03-01T00:00:00Z", "2097-01-01T00:00:00Z"), ("futura", "2097-01-01T00:00:00Z", "2097-02-01T00:00:00Z"))));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var warning = Assert.Single(await Warnings(created));
        Assert.Contains("'pasada'", warning);
        Assert.Contains("2020-02-01T00:00:00.000Z", warning);
        Assert.Contains("past", warning);

        var moved = await client.SendAsync(Send(HttpMethod.Put, $"/api/manage/processes/{id}",
            Plan(("futura", "2097-01-01T00:00:00Z", "2097-02-01T00:00:00Z")), created.Headers.ETag!.ToString()));
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Empty(await Warnings(moved));

        var back = await client.SendAsync(Send(HttpMethod.Put, $"/api/manage/processes/{id}",
            Plan(("futura", "2097-01-01T00:00:00Z", "2097-02-01T00:00:00Z"), ("ayer", "2021-05-01T00:00:00-06:00", "2021-05-02T00:00:00-06:00")), moved.Headers.ETag!.ToString()));
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        Assert.Contains("'ayer'", Assert.Single(await Warnings(back)));
    }

    [Fact]
    public async Task Edits_need_the_etag_they_were_based_on()
    {
        await using var app = await ParticipaApp.StartAsync();
        using var client = app.CreateClient();
        var id = NewId();
        var created = await client.SendAsync(Send(HttpMethod.Post, "/api/manage/processes", Consultation(id, 21)));
        var etag = created.Headers.ETag!.ToString();

        var missing = await client.SendAsync(Send(HttpMethod.Put, $"/api/manage/processes/{id}", Consultation(id, 28)));
        var first = await client.SendAsync(Send(HttpMethod.Put, $"/api/manage/processes/{id}", Consultation(id, 28), etag));
        var stale = await client.SendAsync(Send(HttpMethod.Put, $"/api/manage/processes/{id}", Consultation(id, 35), etag));
        var renamed = await client.SendAsync(Send(HttpMethod.Put, $"/api/manage/processes/{id}", Consultation("otro", 28), first.Headers.ETag!.ToString()));

        Assert.Equal(HttpStatusCode.PreconditionRequired, missing.StatusCode);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, renamed.StatusCode);
        var fresh = await client.SendAsync(Send(HttpMethod.Get, $"/api/manage/processes/{id}", null));
        Assert.Equal("2097-10-05T06:00:00.000Z", (await fresh.ReadJsonAsync()).GetProperty("process").GetProperty("phases")[0].GetProperty("closes").GetString());
        Assert.Equal(first.Headers.ETag!.ToString(), fresh.Headers.ETag!.ToString());
    }

    [Theory]
    [InlineData("{\"id\":\"x\",\"kind\":\"referendum\"}", "kind")]
    [InlineData("{\"id\":\"Bad Id\",\"kind\":\"coCreation\",\"title\":\"t\",\"organiser\":\"o\"}", "id")]
    [InlineData("{\"id\":\"ok-id\",\"kind\":\"coCreation\",\"title\":\"t\",\"organiser\":\"o\",\"phases\":[{\"id\":\"p\",\"name\":\"n\",\"opens\":\"2027-01-02T00:00:00Z\",\"closes\":\"2027-01-01T00:00:00Z\",\"accepts\":[\"proposal\"]}]}", "phases[0]")]
    [InlineData("{\"id\":\"ok-id\",\"kind\":\"coCreation\",\"title\":\"t\",\"organiser\":\"o\",\"phases\":[{\"id\":\"p\",\"name\":\"n\",\"opens\":\"2027-01-01T00:00:00Z\",\"closes\":\"2027-02-01T00:00:00Z\",\"accepts\":[\"votes\"]}]}", "phases[0].accepts")]
    [InlineData("{\"id\":\"ok-id\",\"kind\":\"coCreation\",\"title\":\"t\",\"organiser\":\"o\",\"themes\":[{\"id\":\"a\",\"name\":\"A\"},{\"id\":\"a\",\"name\":\"B\"}]}", "themes")]
    [InlineData("{\"id\":\"ok-id\",\"kind\":\"coCreation\",\"title\":\"t\",\"organiser\":\"o\",\"phases\":[{\"id\":\"p\",\"name\":\"n\",\"opens\":\"mañana\"}]}", "phases")]
    // Azure Table Storage holds no date before 1601 (Azurite would have stored it).
    [InlineData("{\"id\":\"ok-id\",\"kind\":\"coCreation\",\"title\":\"t\",\"organiser\":\"o\",\"phases\":[{\"id\":\"p\",\"name\":\"n\",\"opens\":\"0001-01-01T00:00:00Z\",\"closes\":\"2027-02-01T00:00:00Z\",\"accepts\":[\"proposal\"]}]}", "phases[0].opens")]
    [InlineData("{\"id\":\"ok-id\",\"kind\":\"coCreation\",\"title\":\"t\",\"organiser\":\"o\",\"phases\":[{\"id\":\"p\",\"name\":\"n\",\"opens\":\"1600-12-31T00:00:00Z\",\"closes\":\"1601-01-01T00:30:00+01:00\",\"accepts\":[\"proposal\"]}]}", "phases[0].closes")]
    public async Task Invalid_processes_are_400_naming_the_field(string body, string field)
    {
        await using var app = await ParticipaApp.StartAsync();
        using var client = app.CreateClient();
        var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/manage/processes") { Content = Http.Json(body) }.WithToken(Admin));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
    }

    static object Bill(string status, params (string Id, string Text)[] articles) => new
    {
        id = "iniciativa-6001",
        kind = "bill",
        title = "Iniciativa 6001 (ejemplo)",
        bill = new { number = "6001", commission = "Comisión de Transparencia", status, presentedOn = "2027-02-01" },
        sections = articles.Select(a => new { id = a.Id, kind = "article", number = a.Id[4..], title = "Artículo " + a.Id[4..], text = a.Text }).ToArray(),
    };

    [Fact]
    public async Task A_bill_gets_new_versions_with_a_change_log_and_old_versions_stay_readable()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync(Participa.Domain.SampleData.Bill5210 with { Id = NewId() });
        using var client = app.CreateClient();
        var manage = $"/api/manage/processes/{process.Id}/documents";

        var created = await client.SendAsync(Send(HttpMethod.Post, manage, Bill("En comisión", ("art-1", "Objeto."), ("art-2", "Plazos de 10 días."))));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var etag = (await client.SendAsync(Send(HttpMethod.Get, $"{manage}/iniciativa-6001", null))).Headers.ETag!.ToString();

        var noLog = await client.SendAsync(Send(HttpMethod.Post, $"{manage}/iniciativa-6001/versions",
            new { sections = new[] { new { id = "art-1", kind = "article", text = "Objeto." } } }, etag));
        var v2 = await client.SendAsync(Send(HttpMethod.Post, $"{manage}/iniciativa-6001/versions", new
        {
            sections = new[] { new { id = "art-1", kind = "article", text = "Objeto." }, new { id = "art-2", kind = "article", text = "Plazos de 5 días." }, new { id = "art-3", kind = "article", text = "Sanciones." } },
            changes = new[] { new { sectionId = "art-2", summary = "Plazo reducido de 10 a 5 días.", proposedBy = (string?)"Comisión de Transparencia" }, new { sectionId = "art-3", summary = "Artículo nuevo.", proposedBy = (string?)null } },
        }, etag));
        var stale = await client.SendAsync(Send(HttpMethod.Post, $"{manage}/iniciativa-6001/versions", new
        {
            sections = new[] { new { id = "art-1", kind = "article", text = "Otra cosa." } },
            changes = new[] { new { sectionId = "art-2", summary = "Quitado." } },
        }, etag));

        Assert.Equal(HttpStatusCode.BadRequest, noLog.StatusCode);
        Assert.Equal(HttpStatusCode.Created, v2.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        var latest = await (await client.GetAsync($"/api/processes/{process.Id}/documents/iniciativa-6001")).ReadJsonAsync();
        var first = await (await client.GetAsync($"/api/processes/{process.Id}/documents/iniciativa-6001/versions/1")).ReadJsonAsync();
        Assert.Equal(2, latest.GetProperty("version").GetInt32());
        Assert.Equal(3, latest.GetProperty("sections").GetArrayLength());
        Assert.Equal("Plazo reducido de 10 a 5 días.", latest.GetProperty("changes")[0].GetProperty("summary").GetString());
        Assert.Equal("Plazos de 10 días.", first.GetProperty("sections")[1].GetProperty("text").GetString());
        // Citizens give opinions on the current version: art-3 now exists.
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"/api/processes/{process.Id}/opinions", Http.Json(new { position = "for", article = "art-3" }))).StatusCode);
    }

    [Fact]
    public async Task A_bill_presented_before_1601_is_400_naming_the_field()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync(Participa.Domain.SampleData.Bill5210 with { Id = NewId() });
        using var client = app.CreateClient();
        var body = """{"id":"iniciativa-1","kind":"bill","title":"Antigua","bill":{"number":"1","commission":"C","status":"S","presentedOn":"0001-01-01"},"sections":[{"id":"art-1","kind":"article","text":"Objeto."}]}""";
        HttpRequestMessage Post(string json) => new HttpRequestMessage(HttpMethod.Post, $"/api/manage/processes/{process.Id}/documents") { Content = Http.Json(json) }.WithToken(Admin);
        var response = await client.SendAsync(Post(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty("bill.presentedOn", out _));
        var oldest = body.Replace("0001-01-01", "1601-01-01", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(Post(oldest))).StatusCode);
    }

    [Fact]
    public async Task Two_administrators_publishing_at_once_cannot_both_make_the_next_version()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync(Participa.Domain.SampleData.Bill5210 with { Id = NewId() });
        using var client = app.CreateClient();
        var manage = $"/api/manage/processes/{process.Id}/documents";
        await client.SendAsync(Send(HttpMethod.Post, manage, Bill("En comisión", ("art-1", "Objeto."))));
        var etag = (await client.SendAsync(Send(HttpMethod.Get, $"{manage}/iniciativa-6001", null))).Headers.ETag!.ToString();

        object Version(string text) => new { sections = new[] { new { id = "art-1", kind = "article", text } }, changes = new[] { new { sectionId = "art-1", summary = text } } };
        var results = await Task.WhenAll(
            client.SendAsync(Send(HttpMethod.Post, $"{manage}/iniciativa-6001/versions", Version("Versión A"), etag)),
            client.SendAsync(Send(HttpMethod.Post, $"{manage}/iniciativa-6001/versions", Version("Versión B"), etag)));

        Assert.Single(results, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Single(results, r => r.StatusCode == HttpStatusCode.PreconditionFailed);
        var latest = await (await client.GetAsync($"/api/processes/{process.Id}/documents/iniciativa-6001")).ReadJsonAsync();
        Assert.Equal(2, latest.GetProperty("latestVersion").GetInt32());
    }

    [Theory]
    [InlineData("[{\"id\":\"a\",\"kind\":\"article\"},{\"id\":\"a\",\"kind\":\"article\"}]", "sections[1].id")]
    [InlineData("[{\"id\":\"b\",\"parentId\":\"a\",\"kind\":\"milestone\"},{\"id\":\"a\",\"kind\":\"commitment\"}]", "sections[0].parentId")]
    [InlineData("[{\"id\":\"A B\",\"kind\":\"article\"}]", "sections[0].id")]
    [InlineData("[]", "sections")]
    [InlineData("[{\"id\":\"a\"}]", "sections[0].kind")]
    public async Task Invalid_sections_are_400_naming_the_field(string sections, string field)
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var body = $$"""{"id":"borrador","kind":"actionPlanDraft","title":"Borrador","sections":{{sections}}}""";
        var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/manage/processes/{process.Id}/documents") { Content = Http.Json(body) }.WithToken(Admin));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_bills_status_changes_without_a_new_version()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync(Participa.Domain.SampleData.Bill5210 with { Id = NewId() });
        using var client = app.CreateClient();
        var manage = $"/api/manage/processes/{process.Id}/documents";
        await client.SendAsync(Send(HttpMethod.Post, manage, Bill("En comisión", ("art-1", "Objeto."))));
        var etag = (await client.SendAsync(Send(HttpMethod.Get, $"{manage}/iniciativa-6001", null))).Headers.ETag!.ToString();

        var changed = await client.SendAsync(Send(HttpMethod.Put, $"{manage}/iniciativa-6001",
            new { title = "Iniciativa 6001 (ejemplo)", bill = new { number = "6001", commission = "Comisión de Transparencia", status = "Dictamen favorable" } }, etag));

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var seen = await (await client.GetAsync($"/api/processes/{process.Id}/documents/iniciativa-6001")).ReadJsonAsync();
        Assert.Equal("Dictamen favorable", seen.GetProperty("bill").GetProperty("status").GetString());
        Assert.Equal(1, seen.GetProperty("version").GetInt32());
    }
}
