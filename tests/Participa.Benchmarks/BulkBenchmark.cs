using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Participa.Api.Hosting;
using Participa.Domain;
using Participa.Storage;
using Participa.Tests.Infrastructure;

// Paper forms in one upload: scripts/bench.sh bulk [rows] (default 5,000 proposals for one meeting), then the same
// file again (every row already recorded). Issue 12 asks for well under a minute on this machine.
static class BulkBenchmark
{
    public static async Task<int> RunAsync(int rows)
    {
        // The app's own rate limits: one file is one request, so they must not get in the way.
        await using var app = await ParticipaApp.StartAsync();
        var process = SampleData.CoCreation2021 with { Id = "bench-bulk", IsSample = false };
        await app.Service<ProcessStore>().UpsertAsync(process, default);
        using var client = app.CreateClient();
        var token = StaffTokens.For(StaffRoles.Facilitator);

        var meeting = new HttpRequestMessage(HttpMethod.Post, $"/api/processes/{process.Id}/meetings")
        {
            Content = new StringContent(JsonSerializer.Serialize(new
            {
                theme = process.Themes[0].Id, title = "Mesa de prueba", startsAt = "2026-03-10T15:00:00Z", place = "Sololá",
            }), Encoding.UTF8, "application/json"),
        }.WithToken(token);
        var created = await client.SendAsync(meeting);
        if (!created.IsSuccessStatusCode) throw new InvalidOperationException(await created.Content.ReadAsStringAsync());
        var meetingId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();

        var csv = new StringBuilder("titulo;problema;solucion;departamento;sector;genero\r\n");
        string[] departments = ["solola", "peten", "izabal", "quetzaltenango", "alta-verapaz"];
        for (var i = 0; i < rows; i++)
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"Propuesta en papel número {i};\"Un problema descrito en la mesa; con detalle\r\nen dos líneas\";Una solución concreta y medible {i};{departments[i % 5]};citizen;{(i % 2 == 0 ? "female" : "male")}\r\n");
        var bytes = Encoding.UTF8.GetBytes(csv.ToString());
        Console.WriteLine($"Bulk entry: {rows:N0} proposal rows ({bytes.Length / 1024.0 / 1024:F1} MiB), {Environment.ProcessorCount} cores, in-memory Azurite");

        foreach (var round in new[] { "first upload", "same file again" })
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            var clock = Stopwatch.StartNew();
            var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/processes/{process.Id}/meetings/{meetingId}/bulk-entries") { Content = content }.WithToken(token));
            var body = await response.Content.ReadAsStringAsync();
            clock.Stop();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{response.StatusCode}: {body}");
            var report = JsonDocument.Parse(body).RootElement;
            Console.WriteLine($"  {round,-16} {clock.Elapsed.TotalSeconds,6:F1} s  {rows / clock.Elapsed.TotalSeconds,7:F0} rows/s  " +
                $"accepted {report.GetProperty("accepted").GetInt32()}, already recorded {report.GetProperty("alreadyRecorded").GetInt32()}, refused {report.GetProperty("refused").GetInt32()}");
        }
        return 0;
    }
}
