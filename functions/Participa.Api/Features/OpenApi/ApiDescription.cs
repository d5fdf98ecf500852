using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.Formatters;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;
using Participa.Api.Features.Participants;
using Participa.Api.Hosting;
using Participa.Api.Http;

namespace Participa.Api.Features.OpenApi;

/// <summary>
/// The OpenAPI 3.1 description of every HTTP function, built from the code: routes and methods from [HttpTrigger],
/// query parameters from the method's string parameters, bodies from [RequestBody], answers from
/// [ProducesResponseType]/[Produces], staff roles from [StaffOnly]. The problems every function shares are added here
/// rather than declared on each: 429 and 503 everywhere; 400 with a body or query; 404 with route values; 413 and 415
/// with a body; 401 and 403 for staff.
/// </summary>
public static partial class ApiDescription
{
    public const string BearerScheme = "bearer";

    static readonly Lazy<OpenApiDocument> Built = new(() => Build(FunctionCatalog.All(), ApiJson.Create()));
    static readonly Lazy<string> BuiltJson = new(() => ToJson(Built.Value));
    static readonly Lazy<string> BuiltPage = new(() => ApiReferencePage.Render(Built.Value));

    /// <summary>The app's description as served at /api/openapi.json, built once.</summary>
    public static string Json => BuiltJson.Value;

    /// <summary>The reference page served at /api/docs, built once.</summary>
    public static string Page => BuiltPage.Value;

    public static string ToJson(OpenApiDocument document)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        document.SerializeAsV31(new OpenApiJsonWriter(text, new OpenApiJsonWriterSettings { Terse = true }));
        return text.ToString();
    }

    /// <summary>Every HTTP function but the web pages, which answer people in HTML and are not an API.</summary>
    public static bool Describes(MethodInfo function) => function.DeclaringType?.Namespace != typeof(Pages.CitizenPages).Namespace;

    public static OpenApiDocument Build(IEnumerable<(string Name, MethodInfo Method)> functions, JsonSerializerOptions json)
    {
        var document = new OpenApiDocument
        {
            Info = new OpenApiInfo
            {
                Title = "Participa API",
                Version = "1",
                Description = "Public participation in Open Government processes: proposals, comments, opinions and supports; " +
                    "receipts, moderation, roundtables and the review of opinions by staff. Errors are application/problem+json " +
                    "(RFC 9457), in Spanish unless Accept-Language prefers English (Content-Language says which); lists are paged with pageSize and continuationToken. Staff operations need an Entra ID bearer token " +
                    "with the app role each one names.",
            },
            Paths = [],
            Tags = new HashSet<OpenApiTag>(),
            Components = new OpenApiComponents
            {
                Schemas = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal),
                Responses = new Dictionary<string, IOpenApiResponse>(StringComparer.Ordinal),
                SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal)
                {
                    [BearerScheme] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.Http,
                        Scheme = "bearer",
                        BearerFormat = "JWT",
                        Description = "An Entra ID access token for the Participa API carrying the app role the operation names " +
                            "(locally, scripts/token.sh ROLE prints one).",
                    },
                },
            },
        };
        var schemas = new SchemaRegistry(document, json);
        var problems = new Problems(document, schemas);
        var builder = new OperationBuilder(document, schemas, problems, json);

        // Timer functions have no trigger here. A function without a route answers at its name (routePrefix is "").
        // The web pages (HTML, outside api/) are for people, not API clients: not described.
        var http = functions.Select(f => (f.Name, f.Method, Trigger: Trigger(f.Method)))
            .Where(f => f.Trigger is not null).Select(f => (f.Name, f.Method, f.Trigger!.Methods, Route: f.Trigger.Route ?? f.Name))
            .Where(f => Describes(f.Method));
        foreach (var (name, method, methods, route) in http.OrderBy(f => f.Route, StringComparer.Ordinal).ThenBy(f => f.Name, StringComparer.Ordinal))
        {
            var path = "/" + RouteValue().Replace(route, m => "{" + m.Groups["name"].Value + "}");
            if (!document.Paths.TryGetValue(path, out var item))
                document.Paths[path] = item = new OpenApiPathItem { Operations = [] };
            foreach (var verb in methods ?? ["get", "post", "put", "patch", "delete"])
                ((OpenApiPathItem)item).Operations![HttpMethod.Parse(verb)] = builder.Build(name, method, route);
        }
        // Sorted, so the document reads (and diffs) the same from build to build.
        document.Tags = new HashSet<OpenApiTag>(document.Tags.OrderBy(t => t.Name, StringComparer.Ordinal));
        document.Components.Schemas = document.Components.Schemas.OrderBy(s => s.Key, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
        document.Components.Responses = document.Components.Responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
        // References resolve through the document's workspace, which learns the components here.
        document.RegisterComponents();
        return document;
    }

    public static HttpTriggerAttribute? Trigger(MethodInfo method) =>
        method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null);

    /// <summary>A route value with its optional constraints: {id}, {id:int}, {id?}, {*rest}.</summary>
    [GeneratedRegex(@"\{\**(?<name>[A-Za-z0-9_]+)(?<constraints>[^}]*)\}")]
    internal static partial Regex RouteValue();

    /// <summary>"SubmitProposal" reads "Submit proposal".</summary>
    public static string Humanize(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : c.ToString()));

    sealed class OperationBuilder(OpenApiDocument document, SchemaRegistry schemas, Problems problems, JsonSerializerOptions json)
    {
        public OpenApiOperation Build(string name, MethodInfo method, string route)
        {
            var tag = method.GetCustomAttribute<TagsAttribute>()?.Tags[0] ?? Feature(method);
            document.Tags!.Add(new OpenApiTag { Name = tag });
            var staff = method.GetCustomAttribute<StaffOnlyAttribute>();
            var body = method.GetCustomAttribute<RequestBodyAttribute>();
            var file = method.GetCustomAttribute<RequestFileAttribute>();
            var operation = new OpenApiOperation
            {
                OperationId = name,
                Summary = method.GetCustomAttribute<EndpointSummaryAttribute>()?.Summary ?? Humanize(name),
                Description = Description(method, staff),
                Tags = new HashSet<OpenApiTagReference> { new(tag, document) },
                Parameters = [],
                Responses = [],
            };

            var routeValues = RouteValue().Matches(route).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["constraints"].Value, StringComparer.Ordinal);
            foreach (var (value, constraints) in routeValues)
                operation.Parameters.Add(Parameter(value, ParameterLocation.Path, required: true,
                    constraints.Contains(":int", StringComparison.Ordinal) ? new OpenApiSchema { Type = JsonSchemaType.Integer } : null));
            var query = method.GetParameters()
                .Where(p => p.ParameterType == typeof(string) && p.GetCustomAttribute<HttpTriggerAttribute>() is null && !routeValues.ContainsKey(p.Name!))
                .ToList();
            foreach (var p in query)
            {
                var parameter = Parameter(p.Name!, ParameterLocation.Query, required: false, null);
                if (p.GetCustomAttribute<DescriptionAttribute>() is { } description) parameter.Description = description.Description;
                operation.Parameters.Add(parameter);
            }
            foreach (var header in method.GetCustomAttributes<RequestHeaderAttribute>())
                operation.Parameters.Add(Parameter(header.Name, ParameterLocation.Header, header.Required, null));

            if (body is not null) operation.RequestBody = RequestBody(body);
            if (file is not null)
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Description = file.Description,
                    Content = new Dictionary<string, IOpenApiMediaType> { [file.MediaType] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } } },
                };
            if (staff is not null)
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = StaffRoles.RolesOf(staff.Policy).ToList() }];

            foreach (var (status, response) in Responses(method))
                operation.Responses[status.ToString(CultureInfo.InvariantCulture)] = response;
            // What every function of this shape can answer, unless the function says more about it.
            var shared = new List<int> { 429, 503 };
            if (body is not null || file is not null || query.Count > 0) shared.Add(400);
            if (routeValues.Count > 0) shared.Add(404);
            if (body is not null || file is not null) shared.AddRange([413, 415]);
            if (staff is not null) shared.AddRange([401, 403]);
            foreach (var status in shared)
                operation.Responses.TryAdd(status.ToString(CultureInfo.InvariantCulture), problems.Shared(status));
            operation.Responses = Sorted(operation.Responses);
            return operation;
        }

        static string Feature(MethodInfo method) =>
            method.DeclaringType!.Namespace is { } ns && ns.LastIndexOf('.') is var dot and >= 0 ? ns[(dot + 1)..] : method.DeclaringType.Name;

        static string? Description(MethodInfo method, StaffOnlyAttribute? staff)
        {
            var lines = new List<string>();
            if (method.GetCustomAttribute<EndpointDescriptionAttribute>() is { } description) lines.Add(description.Description);
            if (staff is not null)
            {
                var roles = StaffRoles.RolesOf(staff.Policy);
                lines.Add(roles.Count == 1 ? $"Staff only: needs the role {roles[0]}." : $"Staff only: needs one of the roles {string.Join(", ", roles)}.");
            }
            if (method.GetCustomAttribute<RateLimitedAttribute>() is { } limited) lines.Add($"Has its own, stricter rate limit ({limited.Policy}).");
            return lines.Count == 0 ? null : string.Join("\n\n", lines);
        }

        OpenApiRequestBody RequestBody(RequestBodyAttribute body)
        {
            var schema = schemas.Request(body.Type);
            var fields = json.GetTypeInfo(body.Type).Properties.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            if (body.Required.FirstOrDefault(f => !fields.Contains(f)) is { } unknown)
                throw new InvalidOperationException($"[RequestBody] of {body.Type.Name} requires '{unknown}', which is not one of its fields ({string.Join(", ", fields)}).");
            if (body.Required.Count > 0)
                schema = new OpenApiSchema { AllOf = [schema], Required = new HashSet<string>(body.Required, StringComparer.Ordinal) };
            return new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, IOpenApiMediaType> { ["application/json"] = new OpenApiMediaType { Schema = schema } },
            };
        }

        /// <summary>[ProducesResponseType] and [Produces], merged by status: one status may have several media types.</summary>
        IEnumerable<(int Status, IOpenApiResponse Response)> Responses(MethodInfo method)
        {
            var declared = method.GetCustomAttributes().OfType<IApiResponseMetadataProvider>().ToList();
            foreach (var group in declared.GroupBy(d => d.StatusCode))
            {
                var status = group.Key;
                var description = group.Select(d => d.Description).FirstOrDefault(d => d is not null);
                if (status >= 400)
                {
                    yield return (status, description is null ? problems.Shared(status) : problems.Described(status, description));
                    continue;
                }
                var response = new OpenApiResponse { Description = description ?? ReasonPhrases.GetReasonPhrase(status) };
                foreach (var d in group)
                {
                    var type = d.Type is { } t && t != typeof(void) ? t : null;
                    var mediaTypes = new MediaTypeCollection();
                    d.SetContentTypes(mediaTypes);
                    if (mediaTypes.Count == 0 && type is not null) mediaTypes.Add("application/json");
                    foreach (var mediaType in mediaTypes)
                    {
                        IOpenApiSchema schema = type is not null ? schemas.Response(type)
                            : mediaType.StartsWith("text/", StringComparison.Ordinal) ? new OpenApiSchema { Type = JsonSchemaType.String }
                            : new OpenApiSchema { Type = JsonSchemaType.Object };
                        response.Content ??= new Dictionary<string, IOpenApiMediaType>(StringComparer.Ordinal);
                        response.Content[mediaType] = new OpenApiMediaType { Schema = schema };
                    }
                }
                yield return (status, response);
            }
        }

        static OpenApiParameter Parameter(string name, ParameterLocation location, bool required, OpenApiSchema? schema)
        {
            var (description, known) = KnownParameters.TryGetValue(name, out var k) ? k : (null, null);
            return new OpenApiParameter
            {
                Name = name,
                In = location,
                Required = required,
                Description = description,
                Schema = schema ?? known?.Invoke() ?? new OpenApiSchema { Type = JsonSchemaType.String },
            };
        }

        static OpenApiResponses Sorted(OpenApiResponses responses)
        {
            var sorted = new OpenApiResponses();
            foreach (var (status, response) in responses.OrderBy(r => r.Key, StringComparer.Ordinal)) sorted[status] = response;
            return sorted;
        }
    }

    /// <summary>What the parameters that recur across functions mean; a function may describe others with [Description].</summary>
    static readonly Dictionary<string, (string Description, Func<OpenApiSchema>? Schema)> KnownParameters = new(StringComparer.Ordinal)
    {
        ["pageSize"] = ("Items per page, 1-100 (default 20).", () => new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1", Maximum = "100", Default = 20 }),
        ["continuationToken"] = ("The continuationToken of the previous page, as it was returned.", null),
        ["version"] = ("A version number of the document, from 1.", () => new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" }),
        ["theme"] = ("A theme id of the process.", null),
        ["department"] = ("One of Guatemala's 22 departments, by id.", null),
        ["article"] = ("An article (section) id of the bill, such as art-3.", null),
        ["position"] = ("for, against or neutral.", () => Enum("for", "against", "neutral")),
        ["sector"] = ("A sector id, such as civil-society.", null),
        ["from"] = ("Submitted on or after this UTC date.", () => new OpenApiSchema { Type = JsonSchemaType.String, Format = "date" }),
        ["to"] = ("Submitted on or before this UTC date.", () => new OpenApiSchema { Type = JsonSchemaType.String, Format = "date" }),
        ["tag"] = ("A review tag.", null),
        ["reviewed"] = ("true or false.", null),
        ["status"] = ("A meeting status.", null),
        ["format"] = ("json (the default), csv or md; without it the Accept header decides.", () => Enum("json", "csv", "md")),
        ["Idempotency-Key"] = ("1-128 visible ASCII characters. A retry with the same key and body gets the first answer again " +
            "(with Idempotent-Replayed: true); the same key with another body is 422.", null),
        ["If-Match"] = ("The ETag read with the item; a stale one is 412.", null),
        [ParticipantTokens.Header] = ("The token from POST /api/participants; the cookie it sets works too.", null),
    };

    static OpenApiSchema Enum(params string[] values) =>
        new() { Type = JsonSchemaType.String, Enum = values.Select(v => (JsonNode)JsonValue.Create(v)!).ToList() };

    /// <summary>RFC 9457 problem details, as components: a function's problems refer to them.</summary>
    sealed class Problems
    {
        readonly OpenApiDocument _document;
        readonly OpenApiSchemaReference _problem, _validation;

        public Problems(OpenApiDocument document, SchemaRegistry schemas)
        {
            _document = document;
            _problem = schemas.Add("ProblemDetails", new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "RFC 9457 problem details; some problems add members (opensAt and closedAt when a process is closed, receipt when already supported).",
                Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
                {
                    ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
                    ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
                },
            });
            _validation = schemas.Add("ValidationProblemDetails", new OpenApiSchema
            {
                Description = "Problem details with every invalid field and its messages (errors is absent when the body was not JSON at all).",
                AllOf =
                [
                    _problem,
                    new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
                        {
                            ["errors"] = new OpenApiSchema
                            {
                                Type = JsonSchemaType.Object,
                                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                            },
                        },
                    },
                ],
            });
        }

        static readonly Dictionary<int, (string Name, string Description)> Known = new()
        {
            [400] = ("BadRequest", "Invalid: the problem names each invalid field (errors) or says what is wrong."),
            [401] = ("Unauthorized", "No valid staff token: send an Entra ID access token as Authorization: Bearer."),
            [403] = ("Forbidden", "The token's roles do not allow this."),
            [404] = ("NotFound", "Something the path names does not exist (or its id is malformed)."),
            [409] = ("Conflict", "Not possible in the current state; the problem says why."),
            [412] = ("PreconditionFailed", "It changed since it was read (If-Match is stale): read it again and retry with its new ETag."),
            [413] = ("PayloadTooLarge", "The body is larger than this function takes."),
            [415] = ("UnsupportedMediaType", "The body is not application/json."),
            [422] = ("UnprocessableEntity", "This Idempotency-Key was already used for a different request."),
            [428] = ("PreconditionRequired", "If-Match is required: send the ETag read with the item."),
            [429] = ("TooManyRequests", "Too many requests from this address or to this process; Retry-After says when to retry."),
            [503] = ("ServiceUnavailable", "Storage is unavailable and nothing was stored; Retry-After says when to retry."),
        };

        /// <summary>The shared response for a status, as a reference to components/responses.</summary>
        public IOpenApiResponse Shared(int status)
        {
            var (name, description) = Known.TryGetValue(status, out var known) ? known : (ReasonPhrases.GetReasonPhrase(status).Replace(" ", ""), ReasonPhrases.GetReasonPhrase(status));
            _document.Components!.Responses!.TryAdd(name, Described(status, description));
            return new OpenApiResponseReference(name, _document);
        }

        public OpenApiResponse Described(int status, string description)
        {
            var response = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, IOpenApiMediaType>(StringComparer.Ordinal)
                {
                    ["application/problem+json"] = new OpenApiMediaType { Schema = status == 400 ? _validation : _problem },
                },
            };
            if (status is 429 or 503)
                response.Headers = new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal)
                {
                    ["Retry-After"] = new OpenApiHeader { Description = "Seconds to wait.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } },
                };
            return response;
        }
    }
}
