using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Participa.Domain;

/// <summary>
/// Proof of what was stored: the item id and the SHA-256 (hex) of its canonical form, a compact JSON object with
/// the fields in a fixed order. Anyone holding the item's public fields can recompute the hash.
/// </summary>
public sealed record Receipt(string Id, string Sha256)
{
    public static Receipt For(string id, params (string Name, string Value)[] fields) =>
        new(id, Convert.ToHexStringLower(SHA256.HashData(Canonical(fields))));

    public static byte[] Canonical(IEnumerable<(string Name, string Value)> fields)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            foreach (var (name, value) in fields)
                json.WriteString(name, value);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    public static string CanonicalText(IEnumerable<(string Name, string Value)> fields) => Encoding.UTF8.GetString(Canonical(fields));
}
