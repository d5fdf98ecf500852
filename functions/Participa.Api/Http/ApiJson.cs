using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Participa.Api.Hosting;

namespace Participa.Api.Http;

/// <summary>
/// The app's JSON, in one place so the OpenAPI description shows exactly what the functions send: web defaults
/// (camelCase), enums as camelCase strings, times as UTC ISO 8601 with milliseconds.
/// </summary>
public static class ApiJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.Converters.Add(new UtcTimestampConverter());
    }

    /// <summary>Options like the ones the functions serialize with, for code that runs without the app's services.</summary>
    public static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
        Configure(options);
        options.MakeReadOnly();
        return options;
    }
}
