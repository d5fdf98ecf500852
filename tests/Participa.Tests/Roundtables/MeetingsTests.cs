using System.Net;
using System.Text.Json;
using Participa.Api.Hosting;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Roundtables;

public class MeetingsTests
{
    internal static object Meeting(string theme = "ambiente-clima", string startsAt = "2026-03-10T15:00:00Z", string? place = "Salón municipal, Cobán", string? link = null) => new
    {
        theme,
        title = "Mesa temática de ambiente",
        startsAt,
        endsAt = "2026-03-10T18:00:00Z",
        place,
        link,
        facilitators = new[] { new { name = "Ana Ejemplo", organisation = (string?)"Ministerio de Ejemplo" }, new { name = "Luis Muestra", organisation = (string?)null } },
        agenda = "1. Bienvenida\n2. Propuestas",
    };

    internal static async Task<JsonElement> SendAsync(HttpClient client, HttpMethod method, string url, object? body, HttpStatusCode expected, string? etag = null, string role = StaffRoles.Facilitator)
    {
        var request = new HttpRequestMessage(method, url) { Content = body is null ? null : Http.Json(body) }.WithToken(StaffTokens.For(role));
        if (etag is not null) request.Headers.TryAddWithoutValidation("If-Match", etag);
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{method} {url}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    internal static async Task<(string Id, string ETag)> CreateAsync(HttpClient client, string processId, object? body = null)
    {
        var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/processes/{processId}/meetings") { Content = Http.Json(body ?? Meeting()) }
            .WithToken(StaffTokens.For(StaffRoles.Facilitator)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var json = await response.ReadJsonAsync();
        return (json.GetProperty("id").GetString()!, response.Headers.ETag!.ToString());
    }

    [Fact]
    public async Task A_meeting_is_created_rescheduled_with_its_history_held_and_given_minutes()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var (id, _) = await CreateAsync(client, process.Id);
        var url = $"/api/processes/{process.Id}/meetings/{id}";

        var created = await (await client.GetAsync(url)).ReadJsonAsync();
        Assert.Equal("scheduled", created.GetProperty("status").GetString());
        Assert.Equal("2026-03-10T15:00:00.000Z", created.GetProperty("startsAt").GetString());
        Assert.Equal("Ana Ejemplo", created.GetProperty("facilitators")[0].GetProperty("name").GetString());

        var moved = await SendAsync(client, HttpMethod.Post, url + "/status",
            new { status = "rescheduled", startsAt = "2026-03-17T09:00:00-06:00", reason = "Lluvias intensas" }, HttpStatusCode.OK);
        Assert.Equal("rescheduled", moved.GetProperty("status").GetString());
        Assert.Equal("2026-03-17T15:00:00.000Z", moved.GetProperty("startsAt").GetString());
        var history = moved.GetProperty("reschedules")[0];
        Assert.Equal("2026-03-10T15:00:00.000Z", history.GetProperty("previousStartsAt").GetString());
        Assert.Equal("2026-03-10T18:00:00.000Z", history.GetProperty("previousEndsAt").GetString());
        Assert.Equal("Lluvias intensas", history.GetProperty("reason").GetString());

        // Minutes wait until the meeting is held.
        await SendAsync(client, HttpMethod.Put, url + "/minutes", new { minutes = "Acta" }, HttpStatusCode.Conflict);
        await SendAsync(client, HttpMethod.Post, url + "/status", new { status = "held" }, HttpStatusCode.OK);
        var withMinutes = await SendAsync(client, HttpMethod.Put, url + "/minutes", new
        {
            minutes = "Acta de la mesa: se recogieron propuestas.",
            evidence = new[] { new { label = "Fotografías", url = "https://example.org/fotos" } },
        }, HttpStatusCode.OK);
        Assert.Equal("Acta de la mesa: se recogieron propuestas.", withMinutes.GetProperty("minutes").GetString());

        var read = await (await client.GetAsync(url)).ReadJsonAsync();
        Assert.Equal("held", read.GetProperty("status").GetString());
        Assert.Equal("https://example.org/fotos", read.GetProperty("evidence")[0].GetProperty("url").GetString());
        Assert.Equal(1, read.GetProperty("reschedules").GetArrayLength());

        // Not held before it starts.
        var (future, _) = await CreateAsync(client, process.Id, new
        {
            theme = "ambiente-clima", title = "Mesa futura", startsAt = "2099-01-01T15:00:00Z", place = "Cobán",
        });
        await SendAsync(client, HttpMethod.Post, $"/api/processes/{process.Id}/meetings/{future}/status", new { status = "held" }, HttpStatusCode.Conflict);

        // Held is final.
        await SendAsync(client, HttpMethod.Post, url + "/status", new { status = "cancelled", reason = "Tarde" }, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_cancelled_meeting_shows_its_reason_and_takes_no_attendance_nor_proposals()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var (id, _) = await CreateAsync(client, process.Id);
        var url = $"/api/processes/{process.Id}/meetings/{id}";

        var noReason = await SendAsync(client, HttpMethod.Post, url + "/status", new { status = "cancelled" }, HttpStatusCode.BadRequest);
        Assert.True(noReason.GetProperty("errors").TryGetProperty("reason", out _));
        await SendAsync(client, HttpMethod.Post, url + "/status", new { status = "cancelled", reason = "Sin quórum" }, HttpStatusCode.OK);

        var read = await (await client.GetAsync(url)).ReadJsonAsync();
        Assert.Equal("cancelled", read.GetProperty("status").GetString());
        Assert.Equal("Sin quórum", read.GetProperty("cancellationReason").GetString());
        await SendAsync(client, HttpMethod.Post, url + "/attendance", new { name = "Persona" }, HttpStatusCode.Conflict);
        await SendAsync(client, HttpMethod.Post, url + "/proposals", Http.Proposal(), HttpStatusCode.Conflict);
        await SendAsync(client, HttpMethod.Post, url + "/status", new { status = "rescheduled", startsAt = "2026-04-01T15:00:00Z" }, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Editing_needs_the_current_ETag_and_a_stale_one_is_412()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var (id, etag) = await CreateAsync(client, process.Id);
        var url = $"/api/processes/{process.Id}/meetings/{id}";
        var edit = new
        {
            theme = "ambiente-clima", title = "Mesa de ambiente y clima", startsAt = "2026-03-10T15:00:00Z", endsAt = "2026-03-10T18:00:00Z",
            link = "https://meet.example.org/mesa", facilitators = Array.Empty<object>(),
        };

        await SendAsync(client, HttpMethod.Put, url, edit, (HttpStatusCode)428);
        var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Put, url) { Content = Http.Json(edit), Headers = { { "If-Match", etag } } }
            .WithToken(StaffTokens.For(StaffRoles.Facilitator)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(etag, response.Headers.ETag!.ToString());
        Assert.Equal("Mesa de ambiente y clima", (await response.ReadJsonAsync()).GetProperty("title").GetString());

        // A second facilitator still holding the first ETag loses, and so does anything else with a stale or made-up one.
        await SendAsync(client, HttpMethod.Put, url, edit with { }, HttpStatusCode.PreconditionFailed, etag);
        await SendAsync(client, HttpMethod.Put, url, edit, HttpStatusCode.PreconditionFailed, "\"nonsense\"");
        await SendAsync(client, HttpMethod.Post, url + "/status", new { status = "cancelled", reason = "x" }, HttpStatusCode.PreconditionFailed, etag);

        // Dates move only through "rescheduled", which keeps the history.
        var moved = await SendAsync(client, HttpMethod.Put, url, edit with { startsAt = "2026-03-11T15:00:00Z" }, HttpStatusCode.BadRequest, response.Headers.ETag!.ToString());
        Assert.True(moved.GetProperty("errors").TryGetProperty("startsAt", out _));
    }

    [Fact]
    public async Task Meetings_are_listed_by_theme_and_status_with_a_count_and_without_minutes()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        await CreateAsync(client, process.Id, Meeting(theme: "ambiente-clima"));
        var (second, _) = await CreateAsync(client, process.Id, Meeting(theme: "gobierno-digital", place: null, link: "https://meet.example.org/x"));
        await CreateAsync(client, process.Id, Meeting(theme: "gobierno-digital"));
        await SendAsync(client, HttpMethod.Post, $"/api/processes/{process.Id}/meetings/{second}/status", new { status = "held" }, HttpStatusCode.OK);

        var all = await (await client.GetAsync($"/api/processes/{process.Id}/meetings?pageSize=2")).ReadJsonAsync();
        Assert.Equal(3, all.GetProperty("count").GetInt64());
        Assert.Equal(2, all.GetProperty("items").GetArrayLength());
        Assert.False(all.GetProperty("items")[0].TryGetProperty("attendance", out _));
        var next = await (await client.GetAsync($"/api/processes/{process.Id}/meetings?pageSize=2&continuationToken={all.GetProperty("continuationToken").GetString()}")).ReadJsonAsync();
        Assert.Equal(1, next.GetProperty("items").GetArrayLength());

        var digital = await (await client.GetAsync($"/api/processes/{process.Id}/meetings?theme=gobierno-digital")).ReadJsonAsync();
        Assert.Equal(2, digital.GetProperty("count").GetInt64());
        var held = await (await client.GetAsync($"/api/processes/{process.Id}/meetings?theme=gobierno-digital&status=held")).ReadJsonAsync();
        Assert.Equal(second, Assert.Single(held.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());

        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/processes/{process.Id}/meetings?status=done")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/processes/{process.Id}/meetings?theme=nope")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/processes/{process.Id}/meetings/{Guid.NewGuid():N}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/processes/{process.Id}/meetings/../x")).StatusCode);
    }

    [Fact]
    public async Task Bad_meetings_are_400_naming_the_fields()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var url = $"/api/processes/{process.Id}/meetings";

        var empty = await SendAsync(client, HttpMethod.Post, url, new { }, HttpStatusCode.BadRequest);
        foreach (var field in new[] { "theme", "title", "startsAt", "place" })
            Assert.True(empty.GetProperty("errors").TryGetProperty(field, out _), field);

        var bad = await SendAsync(client, HttpMethod.Post, url, new
        {
            theme = "ambiente-clima", title = "Mesa", startsAt = "2026-03-10T15:00:00", endsAt = "ayer", link = "javascript:alert(1)",
            facilitators = new[] { new { name = "" } },
        }, HttpStatusCode.BadRequest);
        foreach (var field in new[] { "startsAt", "endsAt", "link", "facilitators[0].name" })
            Assert.True(bad.GetProperty("errors").TryGetProperty(field, out _), field);

        var backwards = await SendAsync(client, HttpMethod.Post, url, new { theme = "ambiente-clima", title = "Mesa", startsAt = "2026-03-10T15:00:00Z", endsAt = "2026-03-10T14:00:00Z", place = "Aquí" }, HttpStatusCode.BadRequest);
        Assert.True(backwards.GetProperty("errors").TryGetProperty("endsAt", out _));

        var (id, _) = await CreateAsync(client, process.Id);
        await SendAsync(client, HttpMethod.Post, $"{url}/{id}/status", new { status = "held" }, HttpStatusCode.OK);
        var badEvidence = await SendAsync(client, HttpMethod.Put, $"{url}/{id}/minutes", new
        {
            minutes = new string('a', 20_001),
            evidence = new[] { new { label = "Archivo", url = "file:///etc/passwd" }, new { label = "", url = "https://example.org" } },
        }, HttpStatusCode.BadRequest);
        foreach (var field in new[] { "minutes", "evidence[0].url", "evidence[1].label" })
            Assert.True(badEvidence.GetProperty("errors").TryGetProperty(field, out _), field);
        var tooMany = await SendAsync(client, HttpMethod.Put, $"{url}/{id}/minutes", new
        {
            evidence = Enumerable.Range(0, 21).Select(i => new { label = $"L{i}", url = $"https://example.org/{i}" }),
        }, HttpStatusCode.BadRequest);
        Assert.True(tooMany.GetProperty("errors").TryGetProperty("evidence", out _));
        await SendAsync(client, HttpMethod.Post, $"{url}/{id}/status", new { status = "scheduled" }, HttpStatusCode.BadRequest);

        // Long minutes in a script outside the BMP (4 bytes each) fit, and come back intact.
        var minutes = string.Concat(Enumerable.Repeat("𝕬", 20_000));
        var saved = await SendAsync(client, HttpMethod.Put, $"{url}/{id}/minutes", new { minutes }, HttpStatusCode.OK);
        Assert.Equal(minutes, saved.GetProperty("minutes").GetString());
        Assert.Equal(minutes, (await (await client.GetAsync($"{url}/{id}")).ReadJsonAsync()).GetProperty("minutes").GetString());
    }

    [Fact]
    public async Task Noncharacters_in_any_meeting_field_are_400_naming_the_field()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var url = $"/api/processes/{process.Id}/meetings";

        var bad = await SendAsync(client, HttpMethod.Post, url, new
        {
            theme = "ambiente-clima", title = "Mesa \uFDD0", startsAt = "2026-03-10T15:00:00Z", place = "Salón \uFFFF", agenda = "1. \U0001FFFE",
            facilitators = new[] { new { name = "Ana \U0010FFFF", organisation = "\uFDEF" } },
        }, HttpStatusCode.BadRequest);
        foreach (var field in new[] { "title", "place", "agenda", "facilitators[0].name", "facilitators[0].organisation" })
            Assert.True(bad.GetProperty("errors").TryGetProperty(field, out _), field);

        var (id, _) = await CreateAsync(client, process.Id);
        var attendee = await SendAsync(client, HttpMethod.Post, $"{url}/{id}/attendance", new { name = "Rosa \uFFFE" }, HttpStatusCode.BadRequest);
        Assert.True(attendee.GetProperty("errors").TryGetProperty("name", out _));
        var reason = await SendAsync(client, HttpMethod.Post, $"{url}/{id}/status", new { status = "cancelled", reason = "Lluvia \uFDD5" }, HttpStatusCode.BadRequest);
        Assert.True(reason.GetProperty("errors").TryGetProperty("reason", out _));
        await SendAsync(client, HttpMethod.Post, $"{url}/{id}/status", new { status = "held" }, HttpStatusCode.OK);
        var minutes = await SendAsync(client, HttpMethod.Put, $"{url}/{id}/minutes", new
        {
            minutes = "Acta \uFFFF", evidence = new[] { new { label = "Fotos \U0005FFFE", url = "https://example.org" } },
        }, HttpStatusCode.BadRequest);
        foreach (var field in new[] { "minutes", "evidence[0].label" })
            Assert.True(minutes.GetProperty("errors").TryGetProperty(field, out _), field);
    }

    [Fact]
    public async Task Meeting_dates_before_1601_are_400_and_the_ends_of_the_storable_range_are_kept()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var url = $"/api/processes/{process.Id}/meetings";

        // Azure Table Storage holds dates from 1601-01-01 to 9999-12-31 UTC; Azurite would have stored these.
        foreach (var startsAt in new[] { "0001-01-01T00:00:00Z", "1600-12-31T23:59:59.999Z", "1601-01-01T00:30:00+01:00" })
        {
            var refused = await SendAsync(client, HttpMethod.Post, url, new { theme = "ambiente-clima", title = "Mesa", startsAt, place = "Aquí" }, HttpStatusCode.BadRequest);
            Assert.True(refused.GetProperty("errors").TryGetProperty("startsAt", out _), startsAt);
        }
        foreach (var (startsAt, endsAt) in new[] { ("1601-01-01T00:00:00Z", "1601-01-01T02:00:00Z"), ("9999-12-31T20:00:00Z", "9999-12-31T23:59:59Z") })
        {
            var (id, _) = await CreateAsync(client, process.Id, new { theme = "ambiente-clima", title = "Mesa", startsAt, endsAt, place = "Aquí" });
            var read = await (await client.GetAsync($"{url}/{id}")).ReadJsonAsync();
            Assert.Equal(startsAt.Replace("Z", ".000Z", StringComparison.Ordinal), read.GetProperty("startsAt").GetString());
            Assert.Equal(endsAt.Replace("Z", ".000Z", StringComparison.Ordinal), read.GetProperty("endsAt").GetString());
        }
        Assert.Equal(2, (await (await client.GetAsync(url)).ReadJsonAsync()).GetProperty("count").GetInt64());

        var (moved, _) = await CreateAsync(client, process.Id);
        var back = await SendAsync(client, HttpMethod.Post, $"{url}/{moved}/status", new { status = "rescheduled", startsAt = "1000-03-10T15:00:00Z" }, HttpStatusCode.BadRequest);
        Assert.True(back.GetProperty("errors").TryGetProperty("startsAt", out _));
    }
}
