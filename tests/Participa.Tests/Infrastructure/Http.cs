using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Participa.Tests.Infrastructure;

public static class Http
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static StringContent Json(object value) => Json(JsonSerializer.Serialize(value));

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();

    /// <summary>A valid proposal for the sample themes, with fields overridable per test.</summary>
    public static Dictionary<string, object?> Proposal(string theme = "ambiente-clima", string department = "solola", string? title = null) => new()
    {
        ["title"] = title ?? "Datos abiertos de reforestación",
        ["problem"] = "No se publica cuántos árboles sobreviven.",
        ["proposedSolution"] = "Publicar la supervivencia por municipio cada año.",
        ["theme"] = theme,
        ["department"] = department,
    };
}
