using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Participa.Api.Http;

/// <summary>
/// Reads a JSON request body with the checks every write endpoint needs: 415 for another media type, 413 past the
/// size limit, 400 naming the field for malformed JSON or a wrong type. Unknown fields are ignored, so plain HTML
/// forms and newer clients can send extra ones.
/// </summary>
/// <summary>A parsed body and the SHA-256 of its bytes (what an Idempotency-Key replay is compared against).</summary>
public sealed record Body<T>(T Value, string Sha256);

public static class JsonBody
{
    public const int DefaultLimit = 64 * 1024;
    static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    public static async Task<(Body<T>? Body, IResult? Problem)> ReadAsync<T>(HttpRequest request, int limit = DefaultLimit)
        where T : class
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !(mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                 || mediaType.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)))
            return (null, Problems.UnsupportedMediaType(request.ContentType));

        if (request.ContentLength > limit)
            return (null, Problems.TooLarge(limit));

        // Chunked bodies carry no length: read at most limit + 1 bytes to tell.
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limit) return (null, Problems.TooLarge(limit));
            buffer.Write(chunk, 0, read);
        }

        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
            // A UTF-8 byte-order mark (some editors and Windows tools send one) is not part of the JSON: it is
            // skipped before parsing and hashing, so a retry with or without it is the same request.
            if (bytes.StartsWith(Utf8Bom)) bytes = bytes[Utf8Bom.Length..];
            var value = JsonSerializer.Deserialize<T>(bytes, options);
            return value is null
                ? (null, Problems.BadRequest(Messages.BodyNotObject))
                : (new Body<T>(value, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))), null);
        }
        catch (JsonException e)
        {
            return (null, Describe<T>(e, options));
        }
    }

    static IResult Describe<T>(JsonException e, JsonSerializerOptions options)
    {
        // Path is "$.field" when a value had the wrong type; "$" or null when the JSON itself is broken.
        var field = e.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..].Split('.', '[')[0] : null;
        if (field is null)
            return Problems.BadRequest(e.LineNumber is { } line ? Localized.Format(Messages.BodyNotJsonAt, line + 1, e.BytePositionInLine + 1) : Messages.BodyNotJson);
        var property = options.GetTypeInfo(typeof(T)).Properties.FirstOrDefault(p => p.Name == field);
        return Problems.Validation(new Dictionary<string, string[]>
        {
            [field] = [Localized.Format(Messages.MustBe, Describe(property))],
        });
    }

    static string Describe(JsonPropertyInfo? property)
    {
        var type = property?.PropertyType;
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return Messages.TypeString;
        if (type == typeof(int) || type == typeof(long)) return Messages.TypeWholeNumber;
        if (type == typeof(bool)) return Messages.TypeBoolean;
        return Messages.TypeOther;
    }
}
