using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Participa.Api.Features.OpenApi;

/// <summary>
/// JSON schemas of .NET types as the app serializes them (JsonSchemaExporter over the app's options), turned into
/// OpenAPI schemas. Every record or class becomes one entry of components/schemas and is referenced by name.
/// Response types list as required every property that is always written; request types list none (the function's
/// [RequestBody] says which fields it requires).
/// </summary>
sealed class SchemaRegistry(OpenApiDocument document, JsonSerializerOptions options)
{
    // The functions write numbers as numbers; that reading also accepts "12" is leniency, not the contract.
    readonly JsonSerializerOptions _json = new(options) { NumberHandling = JsonNumberHandling.Strict };

    enum Use { Request, Response }

    readonly Dictionary<Type, (string Name, Use Use)> _types = [];
    readonly Dictionary<string, Type> _names = new(StringComparer.Ordinal);
    readonly Dictionary<string, JsonNode> _pending = new(StringComparer.Ordinal);

    public IOpenApiSchema Request(Type type) => Schema(type, Use.Request);

    public IOpenApiSchema Response(Type type) => Schema(type, Use.Response);

    /// <summary>A component reference for a schema written by hand (problem details).</summary>
    public OpenApiSchemaReference Add(string name, OpenApiSchema schema)
    {
        document.Components!.Schemas![name] = schema;
        return new OpenApiSchemaReference(name, document);
    }

    IOpenApiSchema Schema(Type type, Use use)
    {
        var node = JsonSchemaExporter.GetJsonSchemaAsNode(_json, type, new JsonSchemaExporterOptions
        {
            // A body or an answer is never null at the top; properties keep their nullable annotations.
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = (context, schema) => Transform(context, schema, use),
        });
        foreach (var (name, component) in _pending)
            document.Components!.Schemas![name] = Read(component);
        _pending.Clear();
        return node is JsonObject { Count: 1 } only && only["$ref"] is { } reference
            ? new OpenApiSchemaReference(NameOf(reference.GetValue<string>()), document)
            : Read(node);
    }

    JsonNode Transform(JsonSchemaExporterContext context, JsonNode schema, Use use)
    {
        var type = context.TypeInfo.Type;
        var nullable = IsNullable(schema);
        if ((Nullable.GetUnderlyingType(type) ?? type) == typeof(DateTimeOffset))
            // UtcTimestampConverter writes them; the exporter cannot see through a custom converter.
            return new JsonObject { ["type"] = Types("string", nullable || Nullable.GetUnderlyingType(type) is not null), ["format"] = "date-time" };
        if (!IsComponent(context.TypeInfo)) return schema;

        var name = Register(type, use);
        if (!_pending.ContainsKey(name) && !document.Components!.Schemas!.ContainsKey(name))
        {
            var component = (JsonObject)schema.DeepClone();
            component["type"] = "object";
            // The exporter calls constructor parameters required; what matters is what a client must send or can count on.
            component.Remove("required");
            if (use == Use.Response)
            {
                var required = context.TypeInfo.Properties
                    .Where(p => p.Get is not null && p.ShouldSerialize is null && !p.IsExtensionData)
                    .Select(p => (JsonNode?)p.Name).ToArray();
                if (required.Length > 0) component["required"] = new JsonArray(required);
            }
            _pending[name] = component;
        }
        var reference = new JsonObject { ["$ref"] = "#/components/schemas/" + name };
        return nullable ? new JsonObject { ["anyOf"] = new JsonArray(reference, new JsonObject { ["type"] = "null" }) } : reference;
    }

    /// <summary>Records and classes of the app and the domain; not strings, collections, dictionaries or System types.</summary>
    static bool IsComponent(JsonTypeInfo info) =>
        info.Kind == JsonTypeInfoKind.Object && info.Type != typeof(object) && info.Type.Namespace?.StartsWith("Participa", StringComparison.Ordinal) == true;

    string Register(Type type, Use use)
    {
        if (_types.TryGetValue(type, out var known))
        {
            // One schema per type: a type sent both ways would need two (required fields differ); none is today.
            if (known.Use != use)
                throw new InvalidOperationException($"{type} is used in a request and in a response; give each its own type.");
            return known.Name;
        }
        var name = Name(type);
        if (_names.ContainsKey(name)) name = type.FullName!.Replace('+', '.').Replace("Participa.", "", StringComparison.Ordinal);
        _names[name] = type;
        _types[type] = (name, use);
        return name;
    }

    /// <summary>ProposalResponse; PageResponse&lt;ProposalResponse&gt; is PageResponseOfProposalResponse.</summary>
    static string Name(Type type) => type.IsGenericType
        ? type.Name[..type.Name.IndexOf('`')] + "Of" + string.Join("And", type.GetGenericArguments().Select(Name))
        : type.Name;

    static string NameOf(string reference) => reference["#/components/schemas/".Length..];

    static bool IsNullable(JsonNode schema) =>
        schema is JsonObject o && o["type"] is JsonArray types && types.Any(t => t?.GetValue<string>() == "null");

    static JsonNode Types(string type, bool nullable) => nullable ? new JsonArray(type, "null") : type;

    IOpenApiSchema Read(JsonNode node)
    {
        // The exporter points at an enclosing schema ("#/properties/...") for a type that contains itself.
        if (node.ToJsonString() is var text && text.Replace("\"$ref\":\"#/components/", "", StringComparison.Ordinal).Contains("\"$ref\"", StringComparison.Ordinal))
            throw new InvalidOperationException($"A recursive type is not supported by the generator: {text}");
        var schema = new OpenApiJsonReader().ReadFragment<OpenApiSchema>(node, OpenApiSpecVersion.OpenApi3_1, document, out var diagnostic);
        if (diagnostic?.Errors is { Count: > 0 } errors)
            throw new InvalidOperationException($"Schema {text} does not read as OpenAPI: {string.Join("; ", errors)}");
        return schema ?? throw new InvalidOperationException($"Schema {text} read as nothing.");
    }
}
