using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace Participa.Web;

/// <summary>
/// The pages' static files, embedded in this assembly and served under a name that carries a hash of their bytes,
/// so browsers cache them for a year and a new version is a new name.
/// </summary>
public static class StaticAssets
{
    public sealed record Asset(string Name, string ContentType, byte[] Content);

    static readonly FrozenDictionary<string, Asset> ByName;
    static readonly FrozenDictionary<string, string> Fingerprinted;

    static StaticAssets()
    {
        var assembly = typeof(StaticAssets).Assembly;
        var byName = new Dictionary<string, Asset>(StringComparer.Ordinal);
        var fingerprinted = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("assets/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var file = resource["assets/".Length..];
            var hash = Convert.ToHexStringLower(SHA256.HashData(content))[..12];
            var name = $"{Path.GetFileNameWithoutExtension(file)}.{hash}{Path.GetExtension(file)}";
            byName[name] = new Asset(name, ContentType(file), content);
            fingerprinted[file] = "/assets/" + name;
        }
        ByName = byName.ToFrozenDictionary(StringComparer.Ordinal);
        Fingerprinted = fingerprinted.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The URL of a file by its plain name ("site.css" → "/assets/site.0123456789ab.css").</summary>
    public static string Url(string file) => Fingerprinted[file];

    public static Asset? Find(string name) => ByName.GetValueOrDefault(name);

    static string ContentType(string file) => Path.GetExtension(file) switch
    {
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".ico" => "image/x-icon",
        _ => "application/octet-stream",
    };
}
