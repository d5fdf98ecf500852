using System.Text.Json;
using System.Text.Json.Serialization;

namespace Participa.Storage;

static class Json
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Without null properties: statistics records are mostly empty fields, and a journal row holds up to 99 of them.</summary>
    public static readonly JsonSerializerOptions Compact = new(Options) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
}
