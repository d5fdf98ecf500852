using System.Net;
using Participa.Tests.Infrastructure;
using static Participa.Tests.Roundtables.MeetingsTests;

namespace Participa.Tests.Roundtables;

/// <summary>An attendee's email and phone, kept for follow-up: validated, shown to the facilitator, never public.</summary>
public class AttendeeContactTests
{
    [Fact]
    public async Task Contact_details_round_trip_for_staff_and_appear_in_no_public_answer_or_published_file()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var (id, _) = await CreateAsync(client, process.Id);
        var url = $"/api/processes/{process.Id}/meetings/{id}";
        var marker = Guid.NewGuid().ToString("N")[..8];
        var email = $"rosa.{marker}@example.org";
        var phone = $"+502 5{Random.Shared.Next(100, 999)}-{Random.Shared.Next(1000, 9999)}";

        var added = await SendAsync(client, HttpMethod.Post, url + "/attendance",
            new { name = "Rosa Contacto", sector = "citizen", department = "peten", email, phone }, HttpStatusCode.Created);
        Assert.Equal(email, added.GetProperty("items")[0].GetProperty("email").GetString());
        Assert.Equal(phone, added.GetProperty("items")[0].GetProperty("phone").GetString());
        await SendAsync(client, HttpMethod.Post, url + "/attendance", new
        {
            attendees = new object[] { new { name = "Sin contacto" }, new { name = "Tercera", phone = "(502) 7765.4321" } },
        }, HttpStatusCode.Created);

        // Validated as a participant's email is; a phone is digits with an optional +, 7 to 15 of them.
        var bad = await SendAsync(client, HttpMethod.Post, url + "/attendance", new
        {
            attendees = new object[]
            {
                new { name = "Uno", email = "no-es-correo" },
                new { name = "Dos", phone = "5555-CASA" },
                new { name = "Tres", phone = "123" },
                new { name = "Cuatro", phone = "+1234567890123456" },
                new { name = "Cinco", phone = "50+2 5555 1234" },
            },
        }, HttpStatusCode.BadRequest);
        var errors = bad.GetProperty("errors");
        foreach (var field in new[] { "attendees[0].email", "attendees[1].phone", "attendees[2].phone", "attendees[3].phone", "attendees[4].phone" })
            Assert.True(errors.TryGetProperty(field, out _), field + " in " + errors);

        // The facilitator's list has them.
        var list = await SendAsync(client, HttpMethod.Get, url + "/attendance", null, HttpStatusCode.OK);
        var rosa = list.GetProperty("items").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "Rosa Contacto");
        Assert.Equal(email, rosa.GetProperty("email").GetString());
        Assert.Equal(phone, rosa.GetProperty("phone").GetString());
        Assert.Equal("(502) 7765.4321", list.GetProperty("items").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "Tercera").GetProperty("phone").GetString());

        // Nothing public has them: the meeting, the lists, and after a run every published file and the summaries.
        var run = await app.RunTimerAsync();
        Assert.True(run.Succeeded, run.Error);
        var texts = new List<string>();
        foreach (var path in new[] { url, $"/api/processes/{process.Id}/meetings", url + "/summary", url + "/summary?format=csv", url + "/summary?format=md",
                     $"/api/processes/{process.Id}/summary", $"/api/processes/{process.Id}/proposals" })
            texts.Add(path + ": " + await (await client.GetAsync(path)).Content.ReadAsStringAsync());
        await foreach (var blob in app.PublishedContainer().GetBlobsAsync())
            texts.Add(blob.Name + ": " + (await app.PublishedContainer().GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content);
        Assert.Contains(texts, t => t.Contains("statistics.json", StringComparison.Ordinal));
        foreach (var text in texts)
        {
            Assert.DoesNotContain(marker, text);
            Assert.DoesNotContain(phone, text);
            Assert.DoesNotContain("7765.4321", text);
        }
    }
}
