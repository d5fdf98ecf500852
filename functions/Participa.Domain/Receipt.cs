using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Participa.Domain;

/// <summary>
/// Proof of what was stored: the item id and the SHA-256 (lowercase hex) of its canonical form, the RFC 8785 (JCS)
/// JSON of its public fields: keys sorted, no whitespace, only quote, backslash and control characters escaped, UTF-8.
/// Anyone holding the item's public fields can recompute it (in JavaScript: JSON.stringify of the object with its
/// keys sorted).
/// </summary>
public sealed record Receipt(string Id, string Sha256)
{
    public static Receipt For(string id, IEnumerable<(string Name, string Value)> fields) =>
        new(id, Convert.ToHexStringLower(SHA256.HashData(Canonical(fields))));

    public static byte[] Canonical(IEnumerable<(string Name, string Value)> fields) =>
        Encoding.UTF8.GetBytes(CanonicalText(fields));

    public static string CanonicalText(IEnumerable<(string Name, string Value)> fields)
    {
        var json = new StringBuilder("{");
        foreach (var (name, value) in fields.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            if (json.Length > 1) json.Append(',');
            AppendString(json, name);
            json.Append(':');
            AppendString(json, value);
        }
        return json.Append('}').ToString();
    }

    static void AppendString(StringBuilder json, string value)
    {
        json.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\b': json.Append("\\b"); break;
                case '\f': json.Append("\\f"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                case < ' ': json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: json.Append(c); break;
            }
        }
        json.Append('"');
    }
}
