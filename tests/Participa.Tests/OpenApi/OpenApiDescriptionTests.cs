using System.Net;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Participa.Api.Features.OpenApi;
using Participa.Api.Hosting;
using Participa.Api.Http;

namespace Participa.Tests.OpenApi;

/// <summary>
/// The OpenAPI description and the reference page, built in-process from the app's code: no app instance, no storage.
/// </summary>
public class OpenApiDescriptionTests
{
    static readonly OpenApiDocument Document = ApiDescription.Build(FunctionCatalog.All(), ApiJson.Create());

    static IEnumerable<(string Path, HttpMethod Method, OpenApiOperation Operation)> Operations() =>
        Document.Paths.SelectMany(p => p.Value.Operations!.Select(o => (p.Key, o.Key, o.Value)));

    static OpenApiOperation Operation(string operationId) =>
        Operations().Single(o => o.Operation.OperationId == operationId).Operation;

    [Fact]
    public void Every_http_function_in_the_build_output_is_described_with_its_route_and_methods()
    {
        var metadata = JsonNode.Parse(File.ReadAllText(FunctionsMetadataPath()))!.AsArray();
        var functions = metadata
            .Select(f => (Name: (string)f!["name"]!, Trigger: f["bindings"]!.AsArray().FirstOrDefault(b => (string?)b!["type"] == "httpTrigger")))
            .Where(f => f.Trigger is not null)
            // The web pages are for people, not an API (ApiDescription.Describes).
            .Where(f => ApiDescription.Describes(FunctionCatalog.All().Single(c => c.Name == f.Name).Method))
            .ToList();
        Assert.NotEmpty(functions);

        var missing = new List<string>();
        foreach (var (name, trigger) in functions)
        {
            var path = "/" + ApiDescription.RouteValue().Replace((string)trigger!["route"]!, m => "{" + m.Groups["name"].Value + "}");
            foreach (var method in trigger["methods"]!.AsArray().Select(m => HttpMethod.Parse((string)m!)))
            {
                var described = Document.Paths.TryGetValue(path, out var item) && item.Operations!.TryGetValue(method, out var operation)
                    && operation.OperationId == name;
                if (!described) missing.Add($"{name}: {method} {path}");
            }
        }
        Assert.Empty(missing);
        // Nothing described that the host would not serve.
        Assert.Equal(functions.Select(f => f.Name).Order(StringComparer.Ordinal), Operations().Select(o => o.Operation.OperationId!).Distinct().Order(StringComparer.Ordinal));
        // And the catalog the generator reads agrees with the metadata the SDK generated.
        Assert.Equal(functions.Select(f => f.Name).Order(StringComparer.Ordinal),
            FunctionCatalog.All().Where(f => ApiDescription.Trigger(f.Method) is not null && ApiDescription.Describes(f.Method)).Select(f => f.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_served_description_reads_back_as_valid_OpenAPI_3_1_with_every_reference_resolved()
    {
        var json = ApiDescription.Json;
        var (read, diagnostic) = OpenApiDocument.Parse(json, "json");
        Assert.NotNull(diagnostic);
        Assert.Empty(diagnostic.Errors);
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, diagnostic.SpecificationVersion);
        Assert.NotNull(read);
        Assert.Empty(read.Validate(ValidationRuleSet.GetDefaultRuleSet()) ?? []);
        Assert.Empty(Document.Validate(ValidationRuleSet.GetDefaultRuleSet()) ?? []);
        Assert.Equal(Operations().Count(), read.Paths.Sum(p => p.Value.Operations!.Count));

        var root = JsonNode.Parse(json)!;
        var references = Descendants(root).OfType<JsonObject>().Where(o => o["$ref"] is not null).Select(o => (string)o["$ref"]!).Distinct().ToList();
        Assert.NotEmpty(references);
        foreach (var reference in references)
        {
            Assert.StartsWith("#/components/", reference);
            var parts = reference["#/components/".Length..].Split('/');
            Assert.True(root["components"]?[parts[0]]?[parts[1]] is not null, $"{reference} does not resolve");
        }
    }

    [Fact]
    public void Staff_operations_need_the_bearer_token_with_their_roles_and_public_ones_need_nothing()
    {
        var staffCount = 0;
        foreach (var (name, method) in FunctionCatalog.All().Where(f => ApiDescription.Trigger(f.Method) is not null && ApiDescription.Describes(f.Method)))
        {
            var operation = Operation(name);
            if (method.GetCustomAttribute<StaffOnlyAttribute>() is { } staff)
            {
                staffCount++;
                var requirement = Assert.Single(operation.Security!);
                var (scheme, roles) = Assert.Single(requirement);
                Assert.Equal(ApiDescription.BearerScheme, scheme.Reference.Id);
                Assert.Equal(StaffRoles.RolesOf(staff.Policy), roles);
                Assert.All(roles, role => Assert.Contains(role, operation.Description));
                Assert.Contains("401", operation.Responses!.Keys);
                Assert.Contains("403", operation.Responses!.Keys);
            }
            else
            {
                Assert.True(operation.Security is null or { Count: 0 }, $"{name} is public but has a security requirement");
                Assert.DoesNotContain("401", operation.Responses!.Keys);
            }
        }
        Assert.True(staffCount > 20);
        var bearer = Assert.IsType<OpenApiSecurityScheme>(Document.Components!.SecuritySchemes![ApiDescription.BearerScheme]);
        Assert.Equal(SecuritySchemeType.Http, bearer.Type);
        Assert.Equal("bearer", bearer.Scheme);
        Assert.Equal("JWT", bearer.BearerFormat);
        Assert.Null(Document.Security);
    }

    [Theory]
    [InlineData("SubmitProposal", "ProposalInput", new[] { "title", "problem", "proposedSolution", "theme", "department" })]
    [InlineData("RecordMeetingProposal", "ProposalInput", new[] { "title", "problem", "proposedSolution", "department" })]
    [InlineData("SubmitOpinion", "OpinionInput", new[] { "position" })]
    [InlineData("CommentOnProposal", "CommentInput", new[] { "text" })]
    [InlineData("CreateProcess", "ProcessInput", new[] { "id", "kind", "title", "organiser" })]
    public void Bodies_name_their_type_and_the_fields_validation_requires(string operationId, string type, string[] required)
    {
        var body = Operation(operationId).RequestBody!;
        Assert.True(body.Required);
        var schema = body.Content!["application/json"].Schema!;
        Assert.Equal(required.Order(StringComparer.Ordinal), schema.Required!.Order(StringComparer.Ordinal));
        var reference = Assert.IsType<OpenApiSchemaReference>(Assert.Single(schema.AllOf!));
        Assert.Equal(type, reference.Reference.Id);
        var component = Document.Components!.Schemas![type];
        Assert.All(required, field => Assert.Contains(field, component.Properties!.Keys));
        // Every input field is optional in the type itself: only the operation says what it requires.
        Assert.True(component.Required is null or { Count: 0 });
    }

    [Fact]
    public void Every_operation_declares_its_success_answer_and_problems_as_problem_json()
    {
        foreach (var (path, method, operation) in Operations())
        {
            Assert.True(operation.Responses!.Keys.Any(k => k[0] is '2' or '3'), $"{operation.OperationId} declares no success answer");
            foreach (var (status, response) in operation.Responses.Where(r => r.Key[0] is '4' or '5'))
                Assert.True(response.Content?.ContainsKey("application/problem+json") == true, $"{operation.OperationId} {status} is not a problem");
            Assert.Contains("429", operation.Responses.Keys);
            Assert.Contains("503", operation.Responses.Keys);
            if (path.Contains('{')) Assert.Contains("404", operation.Responses.Keys);
            if (operation.RequestBody is not null) Assert.Contains("415", operation.Responses.Keys);
        }
        var list = Operation("ListProposals").Responses!["200"].Content!["application/json"].Schema;
        Assert.Equal("PageResponseOfProposalResponse", Assert.IsType<OpenApiSchemaReference>(list).Reference.Id);
        var csv = Operation("ExportReviewedOpinions").Responses!["200"].Content!;
        Assert.Equal(JsonSchemaType.String, csv["text/csv"].Schema!.Type);
        // A file upload: the body is CSV, and the report comes as JSON or CSV.
        Assert.Equal(JsonSchemaType.String, Operation("ImportBulkEntries").RequestBody!.Content!["text/csv"].Schema!.Type);
        Assert.Equal(["application/json", "text/csv"], Operation("ImportMeetingBulkEntries").Responses!["200"].Content!.Keys.Order(StringComparer.Ordinal));
        var summary = Operation("GetProcessSummary").Responses!["200"].Content!;
        Assert.Equal(["application/json", "text/csv", "text/markdown"], summary.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("pageSize", Operation("ListProposals").Parameters!.Select(p => p.Name));
        Assert.Contains(Operation("SubmitProposal").Parameters!, p => p.Name == Submissions.IdempotencyHeader && p.In == ParameterLocation.Header);
    }

    [Fact]
    public void Response_schemas_follow_the_app_json_camel_case_enums_as_strings_times_as_date_time()
    {
        var proposal = Document.Components!.Schemas!["ProposalResponse"];
        Assert.Contains("proposedSolution", proposal.Properties!.Keys);
        Assert.Equal("date-time", proposal.Properties["submittedAt"].Format);
        // Always written: required; written only when set (supports, meetingId, outcome): not.
        Assert.Contains("submittedAt", proposal.Required!);
        Assert.DoesNotContain("supports", proposal.Required!);
        Assert.DoesNotContain("outcome", proposal.Required!);
        var kind = Document.Components.Schemas["TargetView"].Properties!["kind"];
        Assert.Contains(kind.Enum!, v => v!.ToString() == "proposal");
    }

    [Fact]
    public void The_reference_page_lists_every_operation_escapes_text_and_loads_nothing()
    {
        var page = ApiDescription.Page;
        foreach (var (path, _, operation) in Operations())
        {
            Assert.Contains($"id=\"op-{operation.OperationId}\"", page);
            Assert.Contains($"<code>{WebUtility.HtmlEncode(path)}</code>", page);
        }
        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" src=", page);
        Assert.Contains("Participa.CongressStaff", page);

        var style = page[(page.IndexOf("<style>", StringComparison.Ordinal) + 7)..page.IndexOf("</style>", StringComparison.Ordinal)];
        Assert.Contains($"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style)))}'", ApiReferencePage.ContentSecurityPolicy);

        var hostile = ApiDescription.Build(FunctionCatalog.All(), ApiJson.Create());
        var first = hostile.Paths.Values.First().Operations!.Values.First();
        first.Summary = "<script>alert(1)</script> & \"quoted\"";
        var escaped = ApiReferencePage.Render(hostile);
        Assert.DoesNotContain("<script", escaped, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot;", escaped);
    }

    static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        yield return node;
        var children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a.AsEnumerable(),
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>())
            foreach (var d in Descendants(child)) yield return d;
    }

    /// <summary>functions.metadata in the function app's build output, written by the Functions SDK.</summary>
    static string FunctionsMetadataPath() => Path.Combine(Infrastructure.FunctionApp.Directory, "functions.metadata");

    [Fact]
    public async Task The_app_serves_its_description_and_a_page_without_script()
    {
        await using var app = await Infrastructure.ParticipaApp.StartAsync();
        using var client = app.CreateClient();

        var json = await client.GetAsync("/api/openapi.json");
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        Assert.Equal("application/json", json.Content.Headers.ContentType!.MediaType);
        Assert.Equal(ApiDescription.Json, await json.Content.ReadAsStringAsync());

        var page = await client.GetAsync("/api/docs");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.DoesNotContain("script-src 'unsafe-inline'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("/api/processes/{processId}/proposals", await page.Content.ReadAsStringAsync());
    }
}
