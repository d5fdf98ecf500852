using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Participa.Api.Hosting;

/// <summary>One Azure Functions function: its folder name and the function.json the host reads.</summary>
public sealed record FunctionDefinition(string Name, JsonObject FunctionJson);

/// <summary>
/// Generates every function.json from the app itself, so routes, methods and schedules have one source of truth:
/// each named endpoint under /api becomes an HTTP function (name = endpoint name), each registered timer a timer
/// function. The publish script calls this through <c>--write-functions DIR</c>.
/// </summary>
public static class FunctionManifest
{
    public const string RoutePrefix = "api";

    public static IReadOnlyList<FunctionDefinition> Build(IEnumerable<Endpoint> endpoints, IEnumerable<TimerFunction> timers)
    {
        var functions = new List<FunctionDefinition>();
        foreach (var endpoint in endpoints.OfType<RouteEndpoint>())
        {
            var route = Template(endpoint.RoutePattern);
            if (!route.StartsWith(RoutePrefix + "/", StringComparison.Ordinal)) continue;

            var name = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName
                ?? throw new InvalidOperationException($"Endpoint '{route}' has no name; every /api endpoint needs .WithName(...) to become a function.");
            var trigger = new JsonObject
            {
                ["type"] = "httpTrigger",
                ["direction"] = "in",
                ["name"] = "req",
                // Citizens need no key; staff identity is an Entra ID token checked by the app, not a function key.
                ["authLevel"] = "anonymous",
                ["route"] = route[(RoutePrefix.Length + 1)..],
            };
            if (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is { HttpMethods.Count: > 0 } methods)
                trigger["methods"] = new JsonArray(methods.HttpMethods.Select(m => (JsonNode)m.ToLowerInvariant()).ToArray());
            functions.Add(new(name, Bindings(trigger, new JsonObject { ["type"] = "http", ["direction"] = "out", ["name"] = "res" })));
        }

        foreach (var timer in timers)
            functions.Add(new(timer.Name, Bindings(new JsonObject
            {
                ["type"] = "timerTrigger",
                ["direction"] = "in",
                ["name"] = "timer",
                ["schedule"] = timer.Schedule,
            })));

        var duplicate = functions.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidOperationException($"Two functions are named '{duplicate.Key}'.");
        return functions.OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
    }

    public static void Write(IEndpointRouteBuilder app, string directory)
    {
        foreach (var function in Build(app.DataSources.SelectMany(d => d.Endpoints), app.ServiceProvider.GetServices<TimerFunction>()))
        {
            var folder = Path.Combine(directory, function.Name);
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "function.json"),
                function.FunctionJson.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        }
    }

    static JsonObject Bindings(params JsonNode[] bindings) => new() { ["bindings"] = new JsonArray(bindings) };

    /// <summary>The route template as the Functions host writes it: no leading slash, the same {parameter} syntax.</summary>
    static string Template(RoutePattern pattern)
    {
        var text = new StringBuilder();
        foreach (var segment in pattern.PathSegments)
        {
            if (text.Length > 0) text.Append('/');
            foreach (var part in segment.Parts)
            {
                text.Append(part switch
                {
                    RoutePatternLiteralPart literal => literal.Content,
                    RoutePatternParameterPart { IsCatchAll: true } p => $"{{*{p.Name}}}",
                    RoutePatternParameterPart p => $"{{{p.Name}{(p.IsOptional ? "?" : "")}}}",
                    _ => throw new InvalidOperationException($"Route '{pattern.RawText}' uses a part the Functions host cannot express."),
                });
            }
        }
        return text.ToString();
    }
}
