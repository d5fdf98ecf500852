using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Participa.Api.Hosting;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Hosting;

/// <summary>The function.json files are generated from the app; these tests check what the host will read.</summary>
public class FunctionManifestTests
{
    static IReadOnlyList<FunctionDefinition> Manifest(ParticipaApp app) =>
        FunctionManifest.Build(app.Service<EndpointDataSource>().Endpoints, app.Services.GetServices<TimerFunction>());

    static JsonNode Trigger(FunctionDefinition f) => f.FunctionJson["bindings"]![0]!;

    [Fact]
    public async Task The_submit_function_is_an_anonymous_post_on_the_proposals_route()
    {
        await using var app = await ParticipaApp.StartAsync();
        var submit = Manifest(app).Single(f => f.Name == "SubmitProposal");

        Assert.Equal(
            """{"bindings":[{"type":"httpTrigger","direction":"in","name":"req","authLevel":"anonymous","route":"processes/{processId}/proposals","methods":["post"]},{"type":"http","direction":"out","name":"res"}]}""",
            submit.FunctionJson.ToJsonString());
    }

    [Fact]
    public async Task Every_http_function_reaches_an_app_endpoint_with_each_of_its_methods()
    {
        await using var app = await ParticipaApp.StartAsync();
        await app.AddProcessAsync(Participa.Domain.SampleData.CoCreation2021);
        using var client = app.CreateClient();
        var http = Manifest(app).Where(f => (string?)Trigger(f)["type"] == "httpTrigger").ToList();
        Assert.NotEmpty(http);

        foreach (var function in http)
        {
            var route = (string)Trigger(function)["route"]!;
            // The sample process exists; every other parameter names nothing, so the app's own 404 (with detail) is expected.
            var path = "/api/" + System.Text.RegularExpressions.Regex.Replace(route, "{([^}]+)}", m => m.Groups[1].Value == "processId" ? "pan5-cocreacion" : "unknown");
            Assert.DoesNotContain('{', path);
            foreach (var method in Trigger(function)["methods"]!.AsArray().Select(m => (string)m!))
            {
                using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), path) { Content = method == "post" ? Http.Json("{}") : null };
                var response = await client.SendAsync(request);
                // A routing miss is 404 without detail or 405; the app's own 404s always say what was not found.
                Assert.NotEqual(HttpStatusCode.MethodNotAllowed, response.StatusCode);
                if (response.StatusCode == HttpStatusCode.NotFound)
                    Assert.True((await response.ReadJsonAsync()).TryGetProperty("detail", out _), $"{function.Name}: {method} {path} matched no endpoint");
            }
        }
    }

    [Fact]
    public async Task Timers_carry_the_schedule_the_local_scheduler_uses()
    {
        await using var app = await ParticipaApp.StartAsync();
        var timers = app.Services.GetServices<TimerFunction>().ToList();
        Assert.Contains(timers, t => t.Name == "PublishStatistics");
        foreach (var registered in timers)
        {
            var function = Manifest(app).Single(f => f.Name == registered.Name);
            Assert.Equal("timerTrigger", (string?)Trigger(function)["type"]);
            Assert.Equal(registered.Schedule, (string?)Trigger(function)["schedule"]);
            // Six fields: NCRONTAB with seconds, as the host expects.
            Assert.Equal(6, registered.Schedule.Split(' ').Length);
        }
    }

    [Fact]
    public async Task Function_names_and_routes_are_acceptable_to_the_host()
    {
        await using var app = await ParticipaApp.StartAsync();
        foreach (var function in Manifest(app))
        {
            Assert.Matches("^[A-Za-z][A-Za-z0-9_-]{0,127}$", function.Name);
            var route = (string?)Trigger(function)["route"];
            if (route is null) continue;
            Assert.False(route.StartsWith("admin", StringComparison.OrdinalIgnoreCase) || route.StartsWith("runtime", StringComparison.OrdinalIgnoreCase));
            Assert.Equal("anonymous", (string?)Trigger(function)["authLevel"]);
        }
    }
}
