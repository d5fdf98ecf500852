using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Participa.Api.Hosting;
using Participa.Tests.Infrastructure;
using Xunit.Abstractions;
using static Participa.Tests.Roundtables.MeetingsTests;

namespace Participa.Tests.Bulk;

/// <summary>Paper forms entered as a CSV file by a facilitator (docs/bulk-entry.md), through the real worker.</summary>
public class BulkEntryTests(ITestOutputHelper output)
{
    internal static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string url, byte[] body, string? role = StaffRoles.Facilitator,
        string contentType = "text/csv", string? accept = null)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content }.WithToken(role is null ? null : StaffTokens.For(role));
        if (accept is not null) request.Headers.Accept.ParseAdd(accept);
        return await client.SendAsync(request);
    }

    static async Task<JsonElement> ReportAsync(HttpClient client, string url, byte[] body)
    {
        var response = await UploadAsync(client, url, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    static JsonElement Row(JsonElement report, int row) => report.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("row").GetInt32() == row);

    static byte[] Utf8WithBom(string text) => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)];

    [Fact]
    public async Task Good_and_bad_rows_are_reported_row_by_row_and_the_same_file_sent_again_stores_nothing_twice()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var url = $"/api/processes/{process.Id}/bulk-entries";

        // As Excel in a Spanish locale saves it: ';', a BOM, CRLF, Spanish headers with accents, a quoted cell with a
        // line break, a ';' and doubled quotes in it, and a blank line.
        var spanish = string.Join("\r\n",
            "Tipo;Título;Problema;Solución;Tema;Departamento;Correo;Nombre;Mostrar nombre",
            "propuesta;Agua potable;\"Falta agua; \"\"urgente\"\"\r\nen la aldea\";Pozos comunitarios;ambiente-clima;solola;ana.privada@example.org;Ana Privada;no",
            "propuesta;Sin departamento;Un problema;Una solución;ambiente-clima;;;;",
            "propuesta;Tema equivocado;Un problema;Una solución;no-existe;peten;;;",
            "",
            "propuesta;Dos formularios iguales;Un problema;Una solución;ambiente-clima;peten;;;",
            "propuesta;Dos formularios iguales;Un problema;Una solución;ambiente-clima;peten;;;",
            "propuesta;Correo roto;Un problema;Una solución;ambiente-clima;peten;no-es-correo;;",
            "encuesta;Tipo desconocido;Un problema;Una solución;ambiente-clima;peten;;;",
            "propuesta;Mostrar sin nombre;Un problema;Una solución;ambiente-clima;peten;;;sí",
            "propuesta;Celda de más;Un problema;Una solución;ambiente-clima;peten;;;;sobra") + "\r\n";
        var first = await ReportAsync(client, url, Utf8WithBom(spanish));
        Assert.Equal(9, first.GetProperty("rows").GetInt32());
        Assert.Equal(3, first.GetProperty("accepted").GetInt32());
        Assert.Equal(6, first.GetProperty("refused").GetInt32());
        Assert.Equal("accepted", Row(first, 2).GetProperty("status").GetString());
        Assert.True(Row(first, 3).GetProperty("errors").TryGetProperty("department", out _));
        Assert.True(Row(first, 4).GetProperty("errors").TryGetProperty("theme", out _));
        // The blank line is no form but keeps its number: rows are numbered as the spreadsheet shows them.
        Assert.Equal("accepted", Row(first, 6).GetProperty("status").GetString());
        Assert.Equal("accepted", Row(first, 7).GetProperty("status").GetString());
        Assert.NotEqual(Row(first, 6).GetProperty("receipt").GetProperty("id").GetString(), Row(first, 7).GetProperty("receipt").GetProperty("id").GetString());
        Assert.Equal(["This is not an email address."], Row(first, 8).GetProperty("errors").GetProperty("authorEmail").EnumerateArray().Select(e => e.GetString()));
        Assert.True(Row(first, 9).GetProperty("errors").TryGetProperty("kind", out _));
        Assert.True(Row(first, 10).GetProperty("errors").TryGetProperty("showName", out _));
        Assert.True(Row(first, 11).GetProperty("errors").TryGetProperty("row", out _));

        // The stored proposal is the row as written, and its receipt says so.
        var receipt = Row(first, 2).GetProperty("receipt");
        var water = await (await client.GetAsync($"/api/processes/{process.Id}/proposals/{receipt.GetProperty("id").GetString()}")).ReadJsonAsync();
        Assert.Equal("Falta agua; \"urgente\"\r\nen la aldea", water.GetProperty("problem").GetString());
        Assert.Equal(receipt.GetProperty("sha256").GetString(), water.GetProperty("receipt").GetProperty("sha256").GetString());
        Assert.True(water.TryGetProperty("recordedAt", out _));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(receipt.GetProperty("url").GetString())).StatusCode);

        // The same forms again, as another office's spreadsheet writes them: ',' and English headers in another order,
        // no BOM, LF. Nothing new is stored; every accepted row answers with its first receipt.
        static string Quote(string s) => "\"" + s.Replace("\"", "\"\"") + "\"";
        var english = string.Join("\n",
            "title,kind,department,theme,problem,proposedSolution,authorEmail,authorName,showName",
            $"Agua potable,proposal,solola,ambiente-clima,{Quote("Falta agua; \"urgente\"\r\nen la aldea")},Pozos comunitarios,ana.privada@example.org,Ana Privada,false",
            "Dos formularios iguales,proposal,peten,ambiente-clima,Un problema,Una solución,,,",
            "Dos formularios iguales,proposal,peten,ambiente-clima,Un problema,Una solución,,,");
        var again = await ReportAsync(client, url, Encoding.UTF8.GetBytes(english));
        Assert.Equal(0, again.GetProperty("accepted").GetInt32());
        Assert.Equal(3, again.GetProperty("alreadyRecorded").GetInt32());
        foreach (var (row, firstRow) in new[] { (2, 2), (3, 6), (4, 7) })
        {
            Assert.Equal("already-recorded", Row(again, row).GetProperty("status").GetString());
            Assert.Equal(Row(first, firstRow).GetProperty("receipt").ToString(), Row(again, row).GetProperty("receipt").ToString());
        }
        var replay = await ReportAsync(client, url, Utf8WithBom(spanish));
        Assert.Equal(3, replay.GetProperty("alreadyRecorded").GetInt32());
        Assert.Equal(6, replay.GetProperty("refused").GetInt32());

        var listed = await (await client.GetAsync($"/api/processes/{process.Id}/proposals")).ReadJsonAsync();
        Assert.Equal(3, listed.GetProperty("count").GetInt64());
        var text = listed.ToString();
        Assert.DoesNotContain("ana.privada@example.org", text);
        Assert.DoesNotContain("Ana Privada", text);

        // The same report as CSV, for the spreadsheet it came from.
        var csv = await UploadAsync(client, url, Utf8WithBom(spanish), accept: "text/csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = Rfc4180.Parse(await csv.Content.ReadAsByteArrayAsync());
        Assert.Equal(["row", "kind", "status", "id", "sha256", "url", "message", "errors"], lines[0].Select(f => f.TrimStart('\uFEFF')));
        Assert.Equal(10, lines.Count);
        Assert.Equal(new[] { "2", "proposal", "already-recorded", receipt.GetProperty("id").GetString()! }, lines[1][..4]);

        // The template names the columns in the reader's language; it reads back as a file with two good rows.
        var template = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, url + "/template.csv").WithToken(StaffTokens.For(StaffRoles.Admin)));
        Assert.Equal(HttpStatusCode.OK, template.StatusCode);
        var templateRows = Rfc4180.Parse(await template.Content.ReadAsByteArrayAsync());
        Assert.Equal("kind", templateRows[0][0].TrimStart('\uFEFF'));
    }

    [Fact]
    public async Task A_file_that_cannot_be_read_is_refused_whole_and_nothing_is_stored()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var url = $"/api/processes/{process.Id}/bulk-entries";
        var good = "kind,title,problem,proposedSolution,theme,department\nproposal,Buena,Un problema,Una solución,ambiente-clima,peten\n";

        async Task RefusedAsync(byte[] body, HttpStatusCode expected, string? role = StaffRoles.Facilitator, string contentType = "text/csv")
        {
            var response = await UploadAsync(client, url, body, role, contentType);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        await RefusedAsync(Encoding.UTF8.GetBytes(good), HttpStatusCode.UnsupportedMediaType, contentType: "application/json");
        await RefusedAsync(Encoding.UTF8.GetBytes(good), HttpStatusCode.UnsupportedMediaType, contentType: "text/plain");
        // Past 10 MiB. Chunked, so the worker reads up to the limit before it answers (the local host cannot forward
        // a body the worker refuses unread by its Content-Length).
        var huge = new StreamContent(new MemoryStream(new byte[10 * 1024 * 1024 + 1]));
        huge.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        using (var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = huge }.WithToken(StaffTokens.For(StaffRoles.Facilitator)))
        {
            request.Headers.TransferEncodingChunked = true;
            var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        // A quote never closed: the good first row is not stored either.
        await RefusedAsync(Encoding.UTF8.GetBytes(good + "proposal,\"Sin cerrar,Un problema,Una solución,ambiente-clima,peten\n"), HttpStatusCode.BadRequest);
        await RefusedAsync(Encoding.UTF8.GetBytes(good + "proposal,\"Cerrada\" y más,Un problema,Una solución,ambiente-clima,peten\n"), HttpStatusCode.BadRequest);
        await RefusedAsync(Encoding.UTF8.GetBytes(good.Replace("department", "provincia")), HttpStatusCode.UnprocessableEntity);
        await RefusedAsync(Encoding.UTF8.GetBytes(good.Replace("theme", "title")), HttpStatusCode.UnprocessableEntity);
        await RefusedAsync(Encoding.UTF8.GetBytes("problem,department\nUn problema,peten\n"), HttpStatusCode.UnprocessableEntity);
        await RefusedAsync(Encoding.UTF8.GetBytes("kind,title,problem\n"), HttpStatusCode.UnprocessableEntity, role: StaffRoles.Admin);
        await RefusedAsync(Encoding.UTF8.GetBytes("\r\n;;\r\n"), HttpStatusCode.UnprocessableEntity);
        await RefusedAsync(Encoding.UTF8.GetBytes(good), HttpStatusCode.Unauthorized, role: null);
        await RefusedAsync(Encoding.UTF8.GetBytes(good), HttpStatusCode.Forbidden, role: StaffRoles.Moderator);
        await RefusedAsync(Encoding.UTF8.GetBytes(good), HttpStatusCode.Forbidden, role: StaffRoles.CongressStaff);
        var noMeeting = await UploadAsync(client, $"/api/processes/{process.Id}/meetings/{new string('0', 32)}/bulk-entries", Encoding.UTF8.GetBytes(good));
        Assert.Equal(HttpStatusCode.NotFound, noMeeting.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await UploadAsync(client, "/api/processes/no-such-process/bulk-entries", Encoding.UTF8.GetBytes(good))).StatusCode);

        var listed = await (await client.GetAsync($"/api/processes/{process.Id}/proposals")).ReadJsonAsync();
        Assert.Equal(0, listed.GetProperty("count").GetInt64());

        // Windows-1252, as older Excel saves "CSV (delimitado por comas)": the accents arrive intact.
        var ansi = CodePagesEncodingProvider.Instance.GetEncoding(1252)!.GetBytes(good.Replace("Buena", "Educación bilingüe en Sololá"));
        var report = await ReportAsync(client, url, ansi);
        var id = Row(report, 2).GetProperty("receipt").GetProperty("id").GetString();
        var stored = await (await client.GetAsync($"/api/processes/{process.Id}/proposals/{id}")).ReadJsonAsync();
        Assert.Equal("Educación bilingüe en Sololá", stored.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Forms_of_a_meeting_count_on_the_meeting_day_and_450_rows_from_one_address_meet_no_rate_limit()
    {
        // The app's own limits (300 POSTs per 5 minutes per address): one file is one request, whatever its rows.
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var (meetingId, _) = await CreateAsync(client, process.Id); // held 2026-03-10 (Guatemala), long before today
        const int rows = 450;
        var csv = new StringBuilder("titulo;problema;solucion;departamento;sector\r\n");
        for (var i = 0; i < rows; i++) csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"Propuesta en papel {i};Problema {i};Solución {i};{(i % 2 == 0 ? "peten" : "izabal")};citizen\r\n");

        var clock = Stopwatch.StartNew();
        var report = await ReportAsync(client, $"/api/processes/{process.Id}/meetings/{meetingId}/bulk-entries", Utf8WithBom(csv.ToString()));
        output.WriteLine($"{rows} rows through the worker in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(rows, report.GetProperty("accepted").GetInt32());

        // A citizen from the same address is not held back by it, and one proposal typed in at the table through the JSON API.
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"/api/processes/{process.Id}/proposals", Http.Json(Http.Proposal()))).StatusCode);
        var atTable = await SendAsync(client, HttpMethod.Post, $"/api/processes/{process.Id}/meetings/{meetingId}/proposals", Http.Proposal(), HttpStatusCode.Created);
        Assert.Equal("2026-03-10T15:00:00.000Z", atTable.GetProperty("submittedAt").GetString());
        Assert.True(DateTimeOffset.Parse(atTable.GetProperty("recordedAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddHours(-1));

        var meeting = await (await client.GetAsync($"/api/processes/{process.Id}/meetings/{meetingId}")).ReadJsonAsync();
        Assert.Equal(rows + 1, meeting.GetProperty("proposals").GetProperty("count").GetInt64());

        var run = await app.RunTimerAsync();
        Assert.True(run.Succeeded, run.Error);
        var content = await app.PublishedContainer().GetBlobClient($"processes/{process.Id}/statistics.json").DownloadContentAsync();
        var stats = JsonDocument.Parse(content.Value.Content.ToString()).RootElement;
        var byDay = stats.GetProperty("breakdowns").GetProperty("proposals-by-day").EnumerateArray()
            .ToDictionary(e => e.GetProperty("value").GetString()!, e => e.GetProperty("count").GetInt32());
        Assert.Equal(rows + 1, byDay["2026-03-10"]);
        var today = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(-6)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(1, byDay[today]);
    }
}
