using System.Net;
using System.Text.Json;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Languages;

/// <summary>API errors come in the reader's language, chosen by Accept-Language: Spanish unless English is preferred.</summary>
public class ApiLanguageTests
{
    [Fact]
    public async Task A_validation_error_is_in_the_language_the_reader_prefers()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient(acceptLanguage: null);
        var proposal = Http.Proposal();
        proposal.Remove("title");
        proposal["problem"] = new string('x', 4001);

        foreach (var (acceptLanguage, language) in new (string?, string)[] { (null, "es"), ("es-GT", "es"), ("en-US,en;q=0.9", "en"), ("fr", "es"), ("fr;q=0.9,en;q=0.5", "en") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/processes/{process.Id}/proposals") { Content = Http.Json(proposal) };
            if (acceptLanguage is not null) request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
            var response = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal([language], response.Content.Headers.ContentLanguage);
            Assert.Contains("Accept-Language", response.Headers.Vary);
            var problem = await response.ReadJsonAsync();
            var errors = problem.GetProperty("errors");
            // The field keys never change; only the words do.
            Assert.Equal(["problem", "title"], errors.EnumerateObject().Select(e => e.Name).Order());
            if (language == "es")
            {
                Assert.Equal("Algunos campos del envío no son válidos.", problem.GetProperty("title").GetString());
                Assert.Equal("Este campo es obligatorio.", Single(errors, "title"));
                Assert.Equal("Tiene 4001 caracteres; el máximo es 4000.", Single(errors, "problem"));
            }
            else
            {
                Assert.Equal("The submission has invalid fields.", problem.GetProperty("title").GetString());
                Assert.Equal("This field is required.", Single(errors, "title"));
                Assert.Equal("This is 4001 characters long; the limit is 4000.", Single(errors, "problem"));
            }
        }
    }

    [Fact]
    public async Task Problems_from_the_functions_and_the_middleware_are_translated_too()
    {
        await using var app = await ParticipaApp.StartAsync();
        using var spanish = app.CreateClient(acceptLanguage: "es-GT,es;q=0.9,en;q=0.5");
        using var english = app.CreateClient();

        var missing = await spanish.GetAsync("/api/processes/no-existe");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var problem = await missing.ReadJsonAsync();
        Assert.Equal("No encontrado", problem.GetProperty("title").GetString());
        Assert.Equal("No existe el proceso 'no-existe'.", problem.GetProperty("detail").GetString());
        Assert.Equal(["es"], missing.Content.Headers.ContentLanguage);

        // A staff function without a token: refused by the worker middleware before any function runs.
        var unauthorized = await spanish.GetAsync("/api/manage/processes/no-existe");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal("No autenticado", (await unauthorized.ReadJsonAsync()).GetProperty("title").GetString());
        Assert.Equal(["es"], unauthorized.Content.Headers.ContentLanguage);
        Assert.Equal("Unauthorized", (await (await english.GetAsync("/api/manage/processes/no-existe")).ReadJsonAsync()).GetProperty("title").GetString());

        // Data is not a problem: it carries no Content-Language, and its numbers and times stay invariant.
        var processes = await spanish.GetAsync("/api/processes");
        Assert.Equal(HttpStatusCode.OK, processes.StatusCode);
        Assert.Empty(processes.Content.Headers.ContentLanguage);
    }

    static string? Single(JsonElement errors, string field) => Assert.Single(errors.GetProperty(field).EnumerateArray()).GetString();
}
