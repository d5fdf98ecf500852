using System.Net;
using Participa.Api.Hosting;
using Participa.Tests.Infrastructure;
using static Participa.Tests.Roundtables.MeetingsTests;

namespace Participa.Tests.Roundtables;

public class AttendanceAndProposalsTests
{
    [Fact]
    public async Task Attendance_is_private_and_the_public_meeting_shows_only_counts_computed_from_the_rows()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var (id, _) = await CreateAsync(client, process.Id);
        var url = $"/api/processes/{process.Id}/meetings/{id}";

        var one = await SendAsync(client, HttpMethod.Post, url + "/attendance",
            new { name = "Rosa Inventada", organisation = "Asociación Ficticia", sector = "civil-society", gender = "female", department = "alta-verapaz" }, HttpStatusCode.Created);
        Assert.Equal(1, one.GetProperty("attendance").GetProperty("total").GetInt32());
        var mistakeId = one.GetProperty("items")[0].GetProperty("id").GetString()!;

        var batch = await SendAsync(client, HttpMethod.Post, url + "/attendance", new
        {
            attendees = new object[]
            {
                new { name = "Pedro Supuesto", sector = "citizen", gender = "male", department = "alta-verapaz" },
                new { name = "Marta Imaginaria", sector = "citizen", gender = "female", department = "baja-verapaz" },
                new { name = "Juan Figurado" },
            },
        }, HttpStatusCode.Created);
        Assert.Equal(3, batch.GetProperty("items").GetArrayLength());

        // A batch with one bad attendee stores none of it.
        var bad = await SendAsync(client, HttpMethod.Post, url + "/attendance",
            new { attendees = new object[] { new { name = "Válido" }, new { name = "Otro", sector = "martians" } } }, HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("attendees[1].sector", out _));
        await SendAsync(client, HttpMethod.Post, url + "/attendance", new { attendees = Enumerable.Range(0, 100).Select(i => new { name = $"P{i}" }) }, HttpStatusCode.BadRequest);
        await SendAsync(client, HttpMethod.Post, url + "/attendance", new { attendees = Array.Empty<object>() }, HttpStatusCode.BadRequest);

        // Mistakes happen: one is removed, and the counts follow.
        await SendAsync(client, HttpMethod.Delete, $"{url}/attendance/{mistakeId}", null, HttpStatusCode.NoContent);
        await SendAsync(client, HttpMethod.Delete, $"{url}/attendance/{mistakeId}", null, HttpStatusCode.NotFound);
        await SendAsync(client, HttpMethod.Delete, $"{url}/attendance/not-an-id", null, HttpStatusCode.NotFound);

        var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        foreach (var name in new[] { "Rosa Inventada", "Pedro Supuesto", "Marta Imaginaria", "Juan Figurado", "Asociación Ficticia" })
            Assert.DoesNotContain(name, text);
        // Three people: the public sees the total, but every count below 3 is withheld (null), so none points at a person.
        var counts = (await response.ReadJsonAsync()).GetProperty("attendance");
        Assert.Equal(3, counts.GetProperty("total").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, counts.GetProperty("bySector").GetProperty("citizen").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, counts.GetProperty("bySector").GetProperty("unspecified").ValueKind);
        Assert.False(counts.GetProperty("bySector").TryGetProperty("civil-society", out _));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, counts.GetProperty("byGender").GetProperty("female").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, counts.GetProperty("byDepartment").GetProperty("baja-verapaz").ValueKind);

        // Neither the list nor anything anonymous names anyone; the facilitator's list does, paged, with its count.
        var list = await client.GetAsync($"/api/processes/{process.Id}/meetings");
        Assert.DoesNotContain("Pedro Supuesto", await list.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(url + "/attendance")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, url + "/attendance").WithToken(StaffTokens.For(StaffRoles.Admin)))).StatusCode);
        var page1 = await SendAsync(client, HttpMethod.Get, url + "/attendance?pageSize=2", null, HttpStatusCode.OK);
        Assert.Equal(3, page1.GetProperty("count").GetInt64());
        Assert.Equal(2, page1.GetProperty("items").GetArrayLength());
        var page2 = await SendAsync(client, HttpMethod.Get, $"{url}/attendance?pageSize=2&continuationToken={page1.GetProperty("continuationToken").GetString()}", null, HttpStatusCode.OK);
        var names = page1.GetProperty("items").EnumerateArray().Concat(page2.GetProperty("items").EnumerateArray()).Select(a => a.GetProperty("name").GetString()).ToHashSet();
        Assert.Equal(["Pedro Supuesto", "Marta Imaginaria", "Juan Figurado"], names);

        // The facilitator registering them sees the exact counts.
        var exact = (await SendAsync(client, HttpMethod.Post, url + "/attendance", new { name = "Luz Inventada", sector = "citizen" }, HttpStatusCode.Created)).GetProperty("attendance");
        Assert.Equal(4, exact.GetProperty("total").GetInt32());
        Assert.Equal(3, exact.GetProperty("bySector").GetProperty("citizen").GetInt32());
        Assert.Equal(1, exact.GetProperty("bySector").GetProperty("unspecified").GetInt32());
        Assert.Equal(1, exact.GetProperty("byGender").GetProperty("female").GetInt32());
        Assert.Equal(1, exact.GetProperty("byDepartment").GetProperty("alta-verapaz").GetInt32());
    }

    [Fact]
    public async Task Proposals_recorded_at_a_table_are_normal_proposals_linked_both_ways_and_ignore_the_submission_window()
    {
        await using var app = await ParticipaApp.StartAsync();
        // The process's window closed long ago: citizens can no longer send proposals, but the table met when it met.
        var closed = Participa.Domain.SampleData.CoCreation2021 with
        {
            Id = "p-" + Guid.NewGuid().ToString("N")[..10], IsSample = false,
            Phases = [new("propuestas", "Propuestas", new(2021, 1, 1, 0, 0, 0, TimeSpan.Zero), new(2021, 2, 1, 0, 0, 0, TimeSpan.Zero), [Participa.Domain.SubmissionKind.Proposal])],
        };
        var process = await app.AddProcessAsync(closed);
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/api/processes/{process.Id}/proposals", Http.Json(Http.Proposal()))).StatusCode);
        var (id, _) = await CreateAsync(client, process.Id);
        var (other, _) = await CreateAsync(client, process.Id);
        var url = $"/api/processes/{process.Id}/meetings/{id}";

        var proposal = Http.Proposal(title: "Propuesta de la mesa");
        proposal.Remove("theme"); // defaults to the table's theme
        var recorded = await SendAsync(client, HttpMethod.Post, url + "/proposals", proposal, HttpStatusCode.Created);
        var proposalId = recorded.GetProperty("id").GetString()!;
        Assert.Equal(id, recorded.GetProperty("meetingId").GetString());
        Assert.Equal("ambiente-clima", recorded.GetProperty("theme").GetString());
        Assert.Equal(64, recorded.GetProperty("receipt").GetProperty("sha256").GetString()!.Length);
        var invalid = await SendAsync(client, HttpMethod.Post, url + "/proposals", new { title = "Sin más" }, HttpStatusCode.BadRequest);
        Assert.True(invalid.GetProperty("errors").TryGetProperty("problem", out _));

        // In the process's lists (and its theme index), on its own URL, and linked from the meeting.
        var all = await (await client.GetAsync($"/api/processes/{process.Id}/proposals")).ReadJsonAsync();
        Assert.Equal(proposalId, Assert.Single(all.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        var byTheme = await (await client.GetAsync($"/api/processes/{process.Id}/proposals?theme=ambiente-clima")).ReadJsonAsync();
        Assert.Equal(1, byTheme.GetProperty("count").GetInt64());
        var one = await (await client.GetAsync($"/api/processes/{process.Id}/proposals/{proposalId}")).ReadJsonAsync();
        Assert.Equal(id, one.GetProperty("meetingId").GetString());
        var meeting = await (await client.GetAsync(url)).ReadJsonAsync();
        Assert.Equal(1, meeting.GetProperty("proposals").GetProperty("count").GetInt64());
        var atMeeting = await (await client.GetAsync(meeting.GetProperty("proposals").GetProperty("url").GetString())).ReadJsonAsync();
        Assert.Equal(proposalId, Assert.Single(atMeeting.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        var atOther = await (await client.GetAsync($"/api/processes/{process.Id}/meetings/{other}/proposals")).ReadJsonAsync();
        Assert.Equal(0, atOther.GetProperty("count").GetInt64());

        // Moderation hides every copy, the meeting's included: the receipt lists it.
        await app.Service<Participa.Storage.SubmissionStore>().SetStateAsync(process.Id, proposalId,
            Participa.Storage.ItemState.Hidden("spam", "Publicidad.", DateTimeOffset.UtcNow), null, CancellationToken.None);
        var afterHiding = await (await client.GetAsync($"/api/processes/{process.Id}/meetings/{id}/proposals?pageSize=5")).ReadJsonAsync();
        Assert.Equal(0, afterHiding.GetProperty("items").GetArrayLength());
    }
}
