using System.Net;
using Participa.Api.Hosting;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Hosting;

public class LocalTokenIssuerTests
{
    /// <summary>An app in the given environment, with the local issuer as a newcomer's run has it (its own key file).</summary>
    static Task<ParticipaApp> StartAsync(string environment, bool? localIssuer, string? keyFile = null) =>
        ParticipaApp.StartAsync(settings: new()
        {
            ["AZURE_FUNCTIONS_ENVIRONMENT"] = environment,
            ["Participa:LocalTokenIssuer"] = localIssuer is null ? null : localIssuer.Value ? "true" : "false",
            ["Participa:LocalIssuerKeyFile"] = keyFile,
        });

    [Fact]
    public async Task In_development_a_newcomer_gets_a_token_the_api_accepts_for_the_chosen_role_and_it_survives_a_restart()
    {
        var keyFile = Path.Combine(Path.GetTempPath(), "participa-issuer-" + Guid.NewGuid().ToString("N") + ".pem");
        try
        {
            string token;
            await using (var app = await StartAsync("Development", null, keyFile))
            {
                using var client = app.CreateClient();
                var minted = await client.PostAsync("/dev/token?role=Participa.CongressStaff", null);
                token = (await minted.ReadJsonAsync()).GetProperty("token").GetString()!;
                var me = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/staff/me").WithToken(token));

                Assert.Equal(HttpStatusCode.OK, me.StatusCode);
                Assert.Equal(StaffRoles.CongressStaff, Assert.Single((await me.ReadJsonAsync()).GetProperty("roles").EnumerateArray()).GetString());
                Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/dev/token?role=Root", null)).StatusCode);
            }
            // scripts/run.sh keeps the key in .data: a restart does not sign everyone out.
            await using (var again = await StartAsync("Development", null, keyFile))
            {
                using var client = again.CreateClient();
                var me = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/staff/me").WithToken(token));
                Assert.Equal(HttpStatusCode.OK, me.StatusCode);
            }
        }
        finally
        {
            File.Delete(keyFile);
        }
    }

    [Fact]
    public async Task Outside_development_there_is_no_token_endpoint_and_unconfigured_entra_id_fails_closed()
    {
        await using var app = await StartAsync("Production", null);
        using var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/dev/token?role=Participa.Admin", null)).StatusCode);
        // Even a token signed with the key a Development app would trust cannot get in: no key is trusted.
        var forged = StaffTokens.For(StaffRoles.Admin);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/staff/me").WithToken(forged))).StatusCode);
        // Citizens are unaffected.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/processes")).StatusCode);
    }

    [Fact]
    public async Task Asking_for_the_local_issuer_outside_development_stops_the_app()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync("Production", true));
        Assert.Contains("Development only", error.ToString());
    }

    [Fact]
    public async Task A_test_clock_outside_development_stops_the_app()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => ParticipaApp.StartAsync(DateTimeOffset.UtcNow, new() { ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Production", ["Participa:LocalTokenIssuer"] = "false" }));
        Assert.Contains("Development only", error.ToString());
    }
}
