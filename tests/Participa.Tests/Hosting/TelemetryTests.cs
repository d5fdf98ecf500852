using System.Collections.Concurrent;
using System.Net;
using Participa.Tests.Infrastructure;
using static Participa.Tests.Roundtables.MeetingsTests;

namespace Participa.Tests.Hosting;

/// <summary>
/// What the worker emits, read from its console exporter (Telemetry:Console): every span, metric and log record of
/// the app's OpenTelemetry pipeline goes through the same providers as the Azure Monitor and OTLP exporters.
/// </summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task Submissions_with_contact_details_emit_traces_metrics_and_logs_without_personal_data()
    {
        var lines = new ConcurrentQueue<string>();
        await using var app = await ParticipaApp.StartAsync(log: lines.Enqueue, settings: new()
        {
            ["Telemetry:Console"] = "true",
            ["Telemetry:MetricExportMilliseconds"] = "500",
        });
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        // Letters past 'f', so no trace or span id (hex) can contain it by chance.
        var marker = string.Concat(Guid.NewGuid().ToByteArray()[..8].Select(b => (char)('g' + b % 20)));
        var email = $"ciudadana.{marker}@example.org";
        var phone = $"+502 5{Random.Shared.Next(100, 999)}-{Random.Shared.Next(1000, 9999)}";
        var hiddenName = $"Nombre Reservado {marker}";
        var attendeeName = $"Asistente Privada {marker}";

        // A proposal whose author did not agree to show her name, with an email and a phone (a field the API ignores).
        var proposal = Http.Proposal();
        proposal["authorEmail"] = email;
        proposal["authorName"] = hiddenName;
        proposal["showName"] = false;
        proposal["authorPhone"] = phone;
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"/api/processes/{process.Id}/proposals", Http.Json(proposal))).StatusCode);
        // Refused: the same contact details in a proposal without a title.
        proposal.Remove("title");
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync($"/api/processes/{process.Id}/proposals", Http.Json(proposal))).StatusCode);
        // Attendance at a roundtable: names are private, only counts are public.
        var (meetingId, _) = await CreateAsync(client, process.Id);
        await SendAsync(client, HttpMethod.Post, $"/api/processes/{process.Id}/meetings/{meetingId}/attendance",
            new { name = attendeeName, organisation = "Asociación " + marker, sector = "citizen", email, phone }, HttpStatusCode.Created);
        var run = await app.RunTimerAsync("PublishStatistics");
        Assert.True(run.Succeeded, run.Error);

        // Metrics go out every 500 ms; wait for a round that has the timer run in it.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !lines.Any(l => l.Contains("participa.timer.runs")))
            await Task.Delay(250);
        var emitted = string.Join('\n', lines);

        // Something was emitted: the app's spans and counters, a storage call, structured logs.
        Assert.Contains("invoke SubmitProposal", emitted);
        Assert.Contains("participa.submissions.accepted", emitted);
        Assert.Contains("participa.submissions.refused", emitted);
        Assert.Contains("participa.timer.runs", emitted);
        Assert.Contains("participa.statistics.items_aggregated", emitted);
        Assert.Contains("TableClient.", emitted);
        Assert.Contains("LogRecord.", emitted);
        // And nothing of who they are.
        foreach (var personal in new[] { email, phone, hiddenName, attendeeName, "Asociación " + marker, marker })
            Assert.DoesNotContain(personal, emitted, StringComparison.OrdinalIgnoreCase);
    }
}
