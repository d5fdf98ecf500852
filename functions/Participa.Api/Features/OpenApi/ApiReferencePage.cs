using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.OpenApi;

namespace Participa.Api.Features.OpenApi;

/// <summary>
/// A reference page rendered on the server from the description: operations by tag, then the schemas. No script, no
/// external resource, every text escaped; the stylesheet is one &lt;style&gt; block allowed by its hash.
/// </summary>
public static class ApiReferencePage
{
    const string Style = """
        body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem 1.5rem;color:#1b1b1b}
        h2{border-bottom:2px solid #ccc;margin-top:2.5rem}h3{margin:1.5rem 0 .3rem;font-size:1.05rem}
        code{font:13px ui-monospace,monospace}table{border-collapse:collapse;margin:.4rem 0}
        td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top}
        .m{display:inline-block;min-width:4.2rem;font:600 12px ui-monospace,monospace;color:#fff;background:#555;padding:.1rem .3rem;border-radius:3px;text-align:center}
        .get{background:#2f6f9f}.post{background:#3b7d3b}.put,.patch{background:#9a6a12}.delete{background:#a33}
        .staff{color:#8a1c1c}.public{color:#3b7d3b}nav a{margin-right:.8rem}p{margin:.3rem 0}
        """;

    /// <summary>The Content-Security-Policy the page is served with: nothing loads, only its own stylesheet applies.</summary>
    public static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)))}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static string Render(OpenApiDocument document)
    {
        var html = new StringBuilder();
        var title = document.Info?.Title ?? "API";
        html.Append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">")
            .Append("<title>").Append(E(title)).Append("</title><style>").Append(Style).Append("</style></head><body>\n")
            .Append("<h1>").Append(E(title)).Append("</h1>\n<p>").Append(E(document.Info?.Description)).Append("</p>\n")
            .Append("<p>The machine-readable description: <a href=\"/api/openapi.json\">/api/openapi.json</a> (OpenAPI 3.1).</p>\n");

        var operations = (document.Paths ?? [])
            .SelectMany(p => (p.Value.Operations ?? []).Select(o => (Path: p.Key, Method: o.Key.Method, Operation: o.Value)))
            .GroupBy(o => o.Operation.Tags?.FirstOrDefault()?.Name ?? "Other")
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        html.Append("<nav>");
        foreach (var tag in operations) html.Append("<a href=\"#tag-").Append(E(tag.Key)).Append("\">").Append(E(tag.Key)).Append("</a>");
        html.Append("<a href=\"#problems\">Problems</a><a href=\"#schemas\">Schemas</a></nav>\n");

        foreach (var tag in operations)
        {
            html.Append("<section id=\"tag-").Append(E(tag.Key)).Append("\"><h2>").Append(E(tag.Key)).Append("</h2>\n");
            foreach (var (path, method, operation) in tag.OrderBy(o => o.Path, StringComparer.Ordinal).ThenBy(o => o.Method, StringComparer.Ordinal))
                Operation(html, path, method, operation);
            html.Append("</section>\n");
        }

        html.Append("<section id=\"problems\"><h2>Problems</h2>\n<p>Every problem is <code>application/problem+json</code>: ")
            .Append(Type(new OpenApiSchemaReference("ProblemDetails", document))).Append(", or ").Append(Type(new OpenApiSchemaReference("ValidationProblemDetails", document)))
            .Append(" for 400.</p>\n<dl>");
        var statuses = operations.SelectMany(t => t).SelectMany(o => o.Operation.Responses ?? [])
            .Where(r => r.Value is OpenApiResponseReference).ToLookup(r => ((OpenApiResponseReference)r.Value).Reference.Id ?? "", r => r.Key);
        foreach (var (name, response) in (document.Components?.Responses ?? new Dictionary<string, IOpenApiResponse>()).OrderBy(r => statuses[r.Key].FirstOrDefault(), StringComparer.Ordinal))
            html.Append("<dt id=\"response-").Append(E(name)).Append("\">").Append(E(string.Join(", ", statuses[name].Distinct()))).Append(' ').Append(E(name))
                .Append("</dt><dd>").Append(E(response.Description)).Append("</dd>\n");
        html.Append("</dl></section>\n");

        html.Append("<section id=\"schemas\"><h2>Schemas</h2>\n");
        foreach (var (name, schema) in (document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>()).OrderBy(s => s.Key, StringComparer.Ordinal))
            Schema(html, name, schema);
        html.Append("</section>\n</body></html>\n");
        return html.ToString();
    }

    static void Operation(StringBuilder html, string path, string method, OpenApiOperation operation)
    {
        html.Append("<article id=\"op-").Append(E(operation.OperationId)).Append("\"><h3><span class=\"m ").Append(E(method.ToLowerInvariant())).Append("\">")
            .Append(E(method.ToUpperInvariant())).Append("</span> <code>").Append(E(path)).Append("</code></h3>\n<p><b>").Append(E(operation.Summary))
            .Append("</b> <code>").Append(E(operation.OperationId)).Append("</code></p>\n");
        var roles = operation.Security?.SelectMany(r => r.Values).SelectMany(v => v).Distinct().ToList() ?? [];
        html.Append(roles.Count > 0
            ? $"<p class=\"staff\">Staff: {E(string.Join(" or ", roles))}</p>\n"
            : "<p class=\"public\">Public: no sign-in.</p>\n");
        foreach (var paragraph in (operation.Description ?? "").Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
            html.Append("<p>").Append(E(paragraph)).Append("</p>\n");

        if (operation.Parameters is { Count: > 0 } parameters)
        {
            html.Append("<table><tr><th>parameter</th><th>in</th><th>type</th><th>description</th></tr>\n");
            foreach (var p in parameters)
                html.Append("<tr><td><code>").Append(E(p.Name)).Append("</code>").Append(p.Required ? " (required)" : "").Append("</td><td>")
                    .Append(E(p.In?.ToString().ToLowerInvariant())).Append("</td><td>").Append(Type(p.Schema)).Append("</td><td>").Append(E(p.Description)).Append("</td></tr>\n");
            html.Append("</table>\n");
        }
        if (operation.RequestBody?.Content is { } body)
            foreach (var (mediaType, content) in body)
            {
                html.Append("<p>Body (<code>").Append(E(mediaType)).Append("</code>): ").Append(Type(content.Schema));
                if (content.Schema?.Required is { Count: > 0 } required)
                    html.Append("; required: ").Append(string.Join(", ", required.Select(r => $"<code>{E(r)}</code>")));
                html.Append("</p>\n");
            }
        html.Append("<table><tr><th>status</th><th>answer</th><th>content</th></tr>\n");
        var responses = operation.Responses ?? [];
        foreach (var (status, response) in responses.Where(r => r.Key[0] is not ('4' or '5')))
        {
            html.Append("<tr><td>").Append(E(status)).Append("</td><td>").Append(E(response.Description)).Append("</td><td>");
            html.Append(string.Join("<br>", (response.Content ?? new Dictionary<string, IOpenApiMediaType>())
                .Select(c => $"<code>{E(c.Key)}</code> {Type(c.Value.Schema)}")));
            html.Append("</td></tr>\n");
        }
        // Problems are application/problem+json; the shared ones are explained once, under Problems.
        html.Append("</table>\n<p>Problems: ").Append(string.Join(", ", responses.Where(r => r.Key[0] is '4' or '5').Select(r => r.Value is OpenApiResponseReference shared
            ? $"<a href=\"#response-{E(shared.Reference.Id)}\">{E(r.Key)}</a>"
            : $"{E(r.Key)} ({E(r.Value.Description)})"))).Append("</p></article>\n");
    }

    static void Schema(StringBuilder html, string name, IOpenApiSchema schema)
    {
        html.Append("<article id=\"schema-").Append(E(name)).Append("\"><h3>").Append(E(name)).Append("</h3>\n");
        if (schema.Description is { } description) html.Append("<p>").Append(E(description)).Append("</p>\n");
        var properties = (schema.AllOf ?? []).Where(s => s is not OpenApiSchemaReference).Append(schema).SelectMany(s => s.Properties ?? new Dictionary<string, IOpenApiSchema>()).ToList();
        if (schema.AllOf is { Count: > 0 } parts && parts.OfType<OpenApiSchemaReference>().ToList() is { Count: > 0 } bases)
            html.Append("<p>All of ").Append(string.Join(", ", bases.Select(b => Type(b)))).Append(", and:</p>\n");
        if (properties.Count > 0)
        {
            html.Append("<table><tr><th>property</th><th>type</th></tr>\n");
            foreach (var (property, type) in properties)
                html.Append("<tr><td><code>").Append(E(property)).Append("</code>").Append(schema.Required?.Contains(property) == true ? " (always)" : "")
                    .Append("</td><td>").Append(Type(type)).Append("</td></tr>\n");
            html.Append("</table>\n");
        }
        html.Append("</article>\n");
    }

    /// <summary>A schema as a reader says it: a link to a named schema, "array of X", "map of X", "one of a, b".</summary>
    static string Type(IOpenApiSchema? schema)
    {
        switch (schema)
        {
            case null:
                return "";
            case OpenApiSchemaReference reference:
                var name = reference.Reference.Id ?? "";
                return $"<a href=\"#schema-{E(name)}\">{E(name)}</a>";
            case { AllOf: [var only] }:
                return Type(only);
            case { AnyOf: { Count: > 0 } any }:
                return string.Join(" or ", any.Select(Type));
            case { Enum: { Count: > 0 } values }:
                return "one of " + E(string.Join(", ", values.Select(v => v?.ToString())));
        }
        var type = schema.Type ?? 0;
        var nullable = type.HasFlag(JsonSchemaType.Null) ? " or null" : "";
        if (type.HasFlag(JsonSchemaType.Array)) return "array of " + Type(schema.Items) + nullable;
        if (type.HasFlag(JsonSchemaType.Object) && schema.AdditionalProperties is { } values2) return "map of " + Type(values2) + nullable;
        var names = Enum.GetValues<JsonSchemaType>().Where(t => t != JsonSchemaType.Null && type.HasFlag(t)).Select(t => t.ToString().ToLowerInvariant()).ToList();
        return E((names.Count == 0 ? "any" : string.Join(" or ", names)) + (schema.Format is { } format ? $" ({format})" : "")) + nullable;
    }

    static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}
