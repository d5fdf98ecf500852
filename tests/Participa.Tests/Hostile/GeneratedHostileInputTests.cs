using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Participa.Api.Hosting;
using Participa.LocalHost;
using Participa.Tests.Infrastructure;
using Participa.Tests.Roundtables;
using Xunit.Abstractions;

namespace Participa.Tests.Hostile;

/// <summary>
/// Generated malformed and adversarial requests (FsCheck) to every HTTP function the worker loaded, public and staff,
/// pages and API: every answer is a 4xx (a problem for the API, a page or a problem for the pages) or a success, never
/// a 5xx, and no page echoes a script tag or an event handler unencoded. The README's test command sends a few per
/// function; the long command (scripts/test.sh --long) at least 10,000 in all (PARTICIPA_HOSTILE_REQUESTS overrides).
/// </summary>
public class GeneratedHostileInputTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Generated_hostile_requests_to_every_function_get_a_4xx_or_a_success_never_a_5xx()
    {
        var total = LongRun.Count("PARTICIPA_HOSTILE_REQUESTS", shortRun: 500, longRun: 10_000);
        await using var app = await ParticipaApp.StartAsync();
        var routeValues = await SetUpAsync(app);
        using var client = app.CreateClient();
        var openApi = await client.GetFromJsonAsync<JsonElement>("/api/openapi.json");
        var requests = new HostileRequests(routeValues, openApi);

        var functions = app.Host.Functions.Where(f => f.Route is not null).ToList();
        Assert.True(functions.Count > 60, "the worker loaded too few HTTP functions: " + functions.Count);
        var perFunction = Math.Max(3, (total + functions.Count - 1) / functions.Count);

        var failures = new ConcurrentBag<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        var sent = 0;
        var clock = Stopwatch.StartNew();
        // A few functions at a time: each one's property runs its requests one after another.
        await Parallel.ForEachAsync(functions, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (function, _) =>
        {
            await Task.Yield();
            var property = Prop.ForAll(Arb.From(requests.For(function)), request =>
            {
                Interlocked.Increment(ref sent);
                var problem = Task.Run(() => CheckAsync(client, function, request, statuses)).GetAwaiter().GetResult();
                if (problem is not null) failures.Add(problem);
                return problem is null;
            });
            try
            {
                Check.One(Config.QuickThrowOnFailure.WithMaxTest(perFunction).WithQuietOnSuccess(true), property);
            }
            catch (Exception e)
            {
                // FsCheck stops a function at its first failure and names the seed that replays it; other functions go on.
                failures.Add($"{function.Name}: {e.Message.Split('\n').FirstOrDefault(l => l.Contains("Replay", StringComparison.Ordinal))}");
            }
        });

        output.WriteLine($"{sent} generated requests to {functions.Count} functions in {clock.Elapsed.TotalSeconds:0.0} s; " +
            "statuses: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));
        Assert.True(failures.IsEmpty, string.Join("\n", failures.OrderBy(f => f, StringComparer.Ordinal)));
        Assert.True(sent >= perFunction * functions.Count, $"only {sent} requests were sent");
    }

    static async Task<string?> CheckAsync(HttpClient client, HostedFunction function, HostileRequest request, ConcurrentDictionary<int, int> statuses)
    {
        using var message = request.ToMessage();
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(message);
        }
        catch (HttpRequestException) when (request.Body is { Length: > Participa.Api.Hosting.RequestLimitsMiddleware.MaxBodyBytes })
        {
            // A body past the limit is refused before it is read, and the connection may close while this client is
            // still uploading it: a transport race, not the app's answer. Asked again as a careful client asks (it
            // waits for the server's word before sending the body), the 413 must come.
            using var careful = request.ToMessage();
            careful.Headers.ExpectContinue = true;
            try
            {
                response = await client.SendAsync(careful);
            }
            catch (HttpRequestException e)
            {
                return $"no answer ({e.Message}) to {request}, even with Expect: 100-continue";
            }
        }
        catch (HttpRequestException e)
        {
            return $"no answer ({e.Message}) to {request}";
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            var text = await response.Content.ReadAsStringAsync();
            if (status >= 500) return $"{status} {Cut(text)} to {request}";
            // The HTTP server itself refuses what it cannot parse (a NUL in the path, a URL or headers past its
            // limits) with a bare status before any function runs: a 4xx all the same.
            if (status is 400 or 414 or 431 && mediaType is null && text.Length == 0) return null;
            var isApi = function.Route!.StartsWith("api/", StringComparison.Ordinal);
            if (status >= 400 && isApi && mediaType != "application/problem+json")
                return $"{status} as {mediaType}, not a problem, to {request}";
            if (status >= 400 && !isApi && mediaType is not ("application/problem+json" or "text/html"))
                return $"{status} as {mediaType}, neither a page nor a problem, to {request}";
            if (mediaType == "text/html" && (text.Contains(HostileRequests.ScriptMarker, StringComparison.OrdinalIgnoreCase)
                || text.Contains(HostileRequests.HandlerMarker, StringComparison.OrdinalIgnoreCase)))
                return $"{status}: the page echoes markup unencoded, to {request}";
            return null;
        }
    }

    static string Cut(string s) => s.Length <= 300 ? s : s[..300] + "…";

    /// <summary>Real records for the route values, so generated requests also reach the handlers' deeper paths.</summary>
    static async Task<Dictionary<string, string[]>> SetUpAsync(ParticipaApp app)
    {
        var plan = await app.AddCoCreationWithDraftAsync();
        var bill = await app.AddBillProcessAsync();
        using var client = app.CreateClient();
        var proposal = await (await client.PostAsync($"/api/processes/{plan.Id}/proposals", Http.Json(Http.Proposal()))).ReadJsonAsync();
        var proposalId = proposal.GetProperty("id").GetString()!;
        var comment = await (await client.PostAsync($"/api/processes/{plan.Id}/proposals/{proposalId}/comments", Http.Json(new { text = "Una raíz" }))).ReadJsonAsync();
        var commentId = comment.GetProperty("id").GetString()!;
        var opinion = await (await client.PostAsync($"/api/processes/{bill.Id}/opinions",
            Http.Json(new { position = "for", article = "art-2", reasons = "Porque sí" }))).ReadJsonAsync();
        var opinionId = opinion.GetProperty("id").GetString()!;
        var (meetingId, _) = await MeetingsTests.CreateAsync(client, plan.Id);
        return new()
        {
            ["processId"] = [plan.Id, bill.Id],
            ["documentId"] = ["borrador-pan5", "iniciativa-5210"],
            ["version"] = ["1", "2"],
            ["sectionId"] = ["c1", "c1-h1", "art-2"],
            ["proposalId"] = [proposalId],
            ["commentId"] = [commentId],
            ["opinionId"] = [opinionId],
            ["receiptId"] = [proposalId, commentId, opinionId],
            ["itemId"] = [proposalId, commentId, opinionId],
            ["meetingId"] = [meetingId],
            ["themeId"] = ["ambiente-clima", "educacion-salud-san"],
            ["attendeeId"] = [Guid.NewGuid().ToString()],
            ["campaignId"] = ["c-0"],
            ["name"] = ["site.css"],
            ["path"] = [$"processes/{bill.Id}/statistics.json", "x.csv"],
        };
    }
}
