using System.Net;
using Participa.Domain;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Participation;

public class WindowTests
{
    static readonly DateTimeOffset Opens = new(2027, 5, 17, 6, 0, 0, TimeSpan.Zero);
    static readonly DateTimeOffset Closes = new(2027, 6, 14, 6, 0, 0, TimeSpan.Zero);

    static async Task<(ParticipaApp App, Process Process)> StartAsync(DateTimeOffset now)
    {
        var app = await ParticipaApp.StartAsync(now);
        var process = await app.AddProcessAsync(SampleData.CoCreation2021 with
        {
            Id = "w-" + Guid.NewGuid().ToString("N")[..10],
            Phases = [new Phase("propuestas", "Espacio de opinión web", Opens, Closes, [SubmissionKind.Proposal, SubmissionKind.Comment, SubmissionKind.Support])],
        });
        return (app, process);
    }

    [Fact]
    public async Task Before_the_phase_opens_a_submission_is_409_saying_when_it_opens_and_nothing_is_stored()
    {
        var (app, process) = await StartAsync(Opens.AddDays(-2));
        await using var _ = app;
        using var client = app.CreateClient();

        var response = await client.PostAsync($"/api/processes/{process.Id}/proposals", Http.Json(Http.Proposal()));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.ReadJsonAsync();
        Assert.Equal("2027-05-17T06:00:00.000Z", problem.GetProperty("opensAt").GetString());
        Assert.Contains("from 2027-05-17T06:00:00.000Z", problem.GetProperty("detail").GetString());
        Assert.Equal(0, (await (await client.GetAsync($"/api/processes/{process.Id}/proposals")).ReadJsonAsync()).GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task The_phase_takes_submissions_while_open_and_refuses_them_after_it_closed()
    {
        var (app, process) = await StartAsync(Opens);
        await using var _ = app;
        using var client = app.CreateClient();
        var url = $"/api/processes/{process.Id}/proposals";

        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync(url, Http.Json(Http.Proposal()))).StatusCode);
        app.Clock!.SetUtcNow(Closes.AddMilliseconds(-1));
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync(url, Http.Json(Http.Proposal()))).StatusCode);
        app.Clock!.SetUtcNow(Closes);
        var late = await client.PostAsync(url, Http.Json(Http.Proposal()));

        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal("2027-06-14T06:00:00.000Z", (await late.ReadJsonAsync()).GetProperty("closedAt").GetString());
        // Reading stays open after the phase closes.
        Assert.Equal(2, (await (await client.GetAsync(url)).ReadJsonAsync()).GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task A_kind_the_process_does_not_take_is_409()
    {
        await using var app = await ParticipaApp.StartAsync(DateTimeOffset.UtcNow);
        var bill = await app.AddBillProcessAsync();
        using var client = app.CreateClient();

        var response = await client.PostAsync($"/api/processes/{bill.Id}/proposals", Http.Json(Http.Proposal()));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("does not take proposals", (await response.ReadJsonAsync()).GetProperty("detail").GetString());
    }
}
