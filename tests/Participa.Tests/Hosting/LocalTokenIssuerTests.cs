using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Participa.Api.Hosting;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Hosting;

public class LocalTokenIssuerTests
{
    static WebApplicationFactory<Program> App(string environment, bool? localIssuer, string connectionString) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment(environment);
            b.UseSetting("ParticipaStorage", connectionString);
            b.UseSetting("Timers:RunLocally", "false");
            if (localIssuer is not null) b.UseSetting("Participa:LocalTokenIssuer", localIssuer.Value ? "true" : "false");
        });

    [Fact]
    public async Task In_development_a_newcomer_gets_a_token_the_api_accepts_for_the_chosen_role()
    {
        await using var app = App("Development", null, await Azurite.ConnectionStringAsync());
        using var client = app.CreateClient();

        var minted = await client.PostAsync("/dev/token?role=Participa.CongressStaff", null);
        var token = (await minted.ReadJsonAsync()).GetProperty("token").GetString();
        var me = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/staff/me").WithToken(token));

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(StaffRoles.CongressStaff, Assert.Single((await me.ReadJsonAsync()).GetProperty("roles").EnumerateArray()).GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/dev/token?role=Root", null)).StatusCode);
    }

    [Fact]
    public async Task Outside_development_there_is_no_token_endpoint_and_unconfigured_entra_id_fails_closed()
    {
        await using var app = App("Production", null, await Azurite.ConnectionStringAsync());
        using var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/dev/token?role=Participa.Admin", null)).StatusCode);
        // Even a token signed the way the local issuer signs cannot get in: no key is trusted.
        var forged = new LocalTokenIssuer().Mint([StaffRoles.Admin], "x", TimeSpan.FromMinutes(5));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/staff/me").WithToken(forged))).StatusCode);
        // Citizens are unaffected.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/processes")).StatusCode);
    }

    [Fact]
    public async Task Asking_for_the_local_issuer_outside_development_stops_the_app()
    {
        await using var app = App("Production", true, await Azurite.ConnectionStringAsync());
        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        Assert.Contains("Development only", error.ToString());
    }
}
