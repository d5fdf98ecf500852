using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Participa.Api.Hosting;
using Participa.LocalHost;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Hostile;

/// <summary>One generated request: what is sent, and a short description for a failure message.</summary>
public sealed record HostileRequest(string Function, string Method, string PathAndQuery, byte[]? Body, string? ContentType,
    IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), PathAndQuery);
        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            if (ContentType is not null) message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        }
        foreach (var (name, value) in Headers)
            if (name == "Authorization") message.Headers.Authorization = AuthenticationHeaderValue.TryParse(value, out var a) ? a : null;
            else message.Headers.TryAddWithoutValidation(name, value);
        return message;
    }

    public override string ToString()
    {
        var body = Body is null ? "" : Encoding.UTF8.GetString(Body.AsSpan(0, Math.Min(Body.Length, 300)));
        var headers = string.Join("; ", Headers.Where(h => h.Key != "Authorization").Select(h => $"{h.Key}: {Cut(h.Value)}"));
        return $"{Function}: {Method} {Cut(PathAndQuery, 300)} [{ContentType}] {{{headers}}} body({Body?.Length ?? 0} bytes): {body}";
    }

    static string Cut(string s, int max = 80) => s.Length <= max ? s : s[..max] + "…";
}

/// <summary>
/// Generators of hostile requests for one function of the loaded app: route values, query parameters, headers and
/// bodies drawn from the kinds of abuse issue 15 lists. Field and parameter names come from the app's own OpenAPI
/// description, so a new function or field is attacked without anyone listing it here.
/// </summary>
public sealed class HostileRequests(IReadOnlyDictionary<string, string[]> validRouteValues, JsonElement openApi)
{
    // A marker that must never come back unencoded in a page.
    public const string ScriptMarker = "<script>alert(15)</script>";
    public const string HandlerMarker = "\" onmouseover=\"alert(15)";

    static readonly string[] FormFields =
    [
        "idempotencyKey", "title", "problem", "proposedSolution", "theme", "department", "municipality", "sector", "gender",
        "ageBand", "authorName", "authorOrganisation", "authorEmail", "showName", "text", "parentId", "position", "article",
        "reasons", "reason", "appealCode", "code",
    ];

    static readonly string[] ExtraQueryNames = ["pageSize", "continuationToken", "page", "reply", "format", "return", "to", "$filter", "from", "theme"];

    public static readonly Gen<string> Texts = Gen.OneOf(
        Gen.Elements(
            "", " ", "\t\r\n", "a", "null", "true", "[]", "{}", "0", "-1", "1.5", "1e308", "NaN", "2147483648", "99999999999999999999",
            // control characters, noncharacters, lone surrogates, bidi and zero-width tricks
            "\u0000", "a\u0000b", "\u0007\u001b[31m", "\u007f", "\u0085", "\uFFFE", "\uFFFF", "\uFDD0", "\U0010FFFF", "\U0001FFFE",
            "\uD800", "x\uDC00y", "\uDBFF", "\u202Eevil", "\u200B", "\uFEFF",
            // path traversal and encoded slashes
            "../../etc/passwd", "..\\..\\windows", "..", ".", "a/b", "a%2Fb", "%2e%2e%2f", "%00", "~", "//", "\\",
            // OData filter injection
            "x' or '1' eq '1", "' or PartitionKey ne '", "a' and RowKey gt '", "x') or (true", "'", "''", "\"",
            // script and event handlers
            ScriptMarker, HandlerMarker, "<img src=x onerror=alert(15)>", "javascript:alert(15)", "<svg onload=alert(15)>",
            "{{7*7}}", "${7*7}", "=HYPERLINK(\"http://x\")", "+1", "@SUM(1)",
            // dates at and beyond the boundaries
            "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999Z", "10000-01-01T00:00:00Z", "2026-02-30T00:00:00Z",
            "2026-12-02T24:00:00Z", "2026-12-02T23:59:60Z", "1970-01-01T00:00:00Z", "2038-01-19T03:14:08Z", "2026-12-02",
            "2026-12-02T00:00:00+14:00", "2026-12-02T00:00:00-12:00", "2026-12-02T00:00:00+99:00", "-2026-01-01", "2026-13-01",
            "9999-12-31", "0000-00-00"),
        Gen.Choose(1, 4).Select(n => new string('a', n switch { 1 => 101, 2 => 1001, 3 => 4097, _ => 70_000 })),
        Gen.Choose(1, 200).Select(n => string.Concat(Enumerable.Repeat("é😀\u0301", n))),
        ArbMap.Default.GeneratorFor<string>().Select(s => s ?? ""),
        ArbMap.Default.GeneratorFor<NonWhiteSpaceString>().Select(s => s.Get));

    // URLs and headers have their own limits (414, 431) in front of the app: most of what goes there is shorter.
    static readonly Gen<string> ShortTexts = Gen.Frequency((19, Texts.Select(t => t.Length > 1000 ? t[..1000] : t)), (1, Texts));

    // Segments that go into a URL as they are: raw percent-escapes for invalid UTF-8, encoded slashes and dots.
    static readonly Gen<string> RawSegments = Gen.Elements(
        "%C3%28", "%FF%FE", "%ED%A0%80", "%EF%BF%BE", "%F4%90%80%80", "%C0%AF", "%2F", "..%2F..%2F", "%2e%2e", "%5C..%5C", "%00",
        "%25", "%", "%zz", "a%2Fb%2Fc", "%E2%80%AE", "%0D%0ASet-Cookie:%20x=1");

    static readonly Gen<string> ContinuationTokens = Gen.OneOf(
        Gen.Elements("cHxub3Q", "b3xub3Q", "____", "////", "=", "AAAA", "eyJ4IjoxfQ", "cHwnIG9yICcxJyBlcSAnMQ", "%2F%2F"),
        Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>()).Select(b => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_')),
        Texts.Select(t => Convert.ToBase64String(Encoding.UTF8.GetBytes("p|" + t))));

    public Gen<HostileRequest> For(HostedFunction function)
    {
        var method = function.Methods[0].ToUpperInvariant();
        var operation = Operation(function.Name, method);
        var queryNames = QueryNames(operation).Concat(ExtraQueryNames).Distinct().ToArray();
        var isPage = !function.Route!.StartsWith("api/", StringComparison.Ordinal);
        var properties = BodyProperties(operation);

        var path = RoutePath(function.Route!);
        var query = Gen.Choose(0, 4).SelectMany(n => Gen.ListOf(QueryPair(queryNames), n))
            .Select(pairs => pairs.Count == 0 ? "" : "?" + string.Join('&', pairs));
        var headers = Headers(function);
        var body = method is "GET" or "DELETE" && function.Name != "RemoveAttendee"
            ? Gen.Frequency((9, Gen.Constant<(byte[]?, string?)>((null, null))), (1, JsonBody(properties)))
            : isPage ? Gen.Frequency((5, FormBody()), (1, JsonBody(properties)), (1, WeirdBody())) : Gen.Frequency((6, JsonBody(properties)), (1, FormBody()), (1, WeirdBody()));

        return from p in path
               from q in query
               from h in headers
               from b in body
               select new HostileRequest(function.Name, method, p + q, b.Item1, b.Item2, h);
    }

    Gen<string> RoutePath(string route)
    {
        // Each {value} is a real id most of the time (so the handler's deeper paths run) and hostile otherwise.
        var parts = route.Split('/');
        var segmentGens = parts.Select(part =>
        {
            if (!part.StartsWith('{')) return Gen.Constant(part);
            var name = part.Trim('{', '}', '*').Split(':', '?')[0];
            var valid = validRouteValues.TryGetValue(name, out var values) ? values : ["unknown"];
            if (name == "ignored") return Gen.Frequency((5, Gen.Constant("")), (1, RawSegments));
            return Gen.Frequency(
                (5, Gen.Elements(valid)),
                (2, ShortTexts.Where(t => t.Length > 0).Select(Segment)),
                (2, RawSegments),
                (1, Gen.Elements(valid).SelectMany(v => RawSegments.Select(r => v + r))));
        }).ToArray();
        return Gen.CollectToArray(segmentGens).Select(s => "/" + string.Join('/', s).TrimEnd('/'));
    }

    // Uri.EscapeDataString refuses lone surrogates: such text goes as the bytes of its UTF-8 replacement.
    static string Segment(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return string.Concat(bytes.Select(b => b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'_'
            ? ((char)b).ToString() : "%" + b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
    }

    Gen<string> QueryPair(string[] names) =>
        from name in Gen.Elements(names)
        from value in name == "continuationToken" || name == "page"
            ? ContinuationTokens.Select(Segment)
            : Gen.Frequency((3, ShortTexts.Select(Segment)), (1, RawSegments), (1, ContinuationTokens.Select(Segment)))
        select Uri.EscapeDataString(name) + "=" + value;

    Gen<IReadOnlyList<KeyValuePair<string, string>>> Headers(HostedFunction function)
    {
        var staff = StaffTokens.For(StaffRoles.All.ToArray());
        var authorization = Gen.Frequency(
            (6, Gen.Constant<string?>("Bearer " + staff)),
            (1, Gen.Constant<string?>(null)),
            (1, Gen.Elements<string?>("Bearer ", "Bearer x.y.z", "Basic YTpi", "Bearer " + StaffTokens.Expired(StaffRoles.Admin), "Bearer " + staff + "x")));
        var headerValue = Gen.OneOf(Texts.Select(t => new string(t.Where(c => c is >= ' ' and <= '~').Take(500).ToArray())), Gen.Elements("*", "W/\"x\"", "\"0x8D\"", "\"\"", "W/"));
        var extra = Gen.ListOf(Gen.Elements("Idempotency-Key", "If-Match", "Accept-Language", "Accept", "X-Forwarded-For", "Cookie", "X-Participant-Token")
            .SelectMany(name => headerValue.Select(v => new KeyValuePair<string, string>(name, v))));
        return from a in authorization
               from e in extra
               select (IReadOnlyList<KeyValuePair<string, string>>)(a is null ? e.ToList() : [new("Authorization", a), .. e]);
    }

    Gen<(byte[]?, string?)> JsonBody(string[] properties)
    {
        var names = properties.Length == 0 ? ["text", "title"] : properties;
        var value = JsonValueGen(3);
        var objectGen = Gen.ListOf(Gen.Elements(names).SelectMany(n => value.Select(v => (n, v)))).Select(fields =>
        {
            var o = new JsonObject();
            foreach (var (n, v) in fields) o[n] = v?.DeepClone();
            return o.ToJsonString();
        });
        var text = Gen.Frequency(
            (6, objectGen),
            (1, objectGen.SelectMany(j => Gen.Choose(0, Math.Max(0, j.Length - 1)).Select(n => j[..n]))), // truncated
            (1, Gen.Elements("{", "}", "{\"a\":}", "{\"text\":\"x\",}", "{'text':'x'}", "{\"text\":NaN}", "/* c */ {}", "[1,2", "\"", "{\"text\":\"\\ud800\"}",
                "{\"text\":\"\\u0000\"}", "{\"text\":1e99999}", "{\"text\":\"a\",\"text\":\"b\"}", "\u00EF\u00BB\u00BF{}", "{\"__proto__\":{}}")),
            (1, Gen.Choose(64, 5000).Select(depth => string.Concat(Enumerable.Repeat("{\"a\":[", depth)) + string.Concat(Enumerable.Repeat("]}", depth)))),
            (1, Gen.Elements(70_000, 1_100_000).Select(n => "{\"text\":\"" + new string('x', n) + "\"}")));
        var bytes = Gen.Frequency(
            (8, text.Select(t => Encoding.UTF8.GetBytes(t))),
            // invalid UTF-8 inside a JSON string: a bare continuation byte, an overlong slash, an encoded surrogate, 0xFF
            (2, Gen.Elements(names).SelectMany(n => Gen.Elements<byte[]>([0xC3, 0x28], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xFF, 0xFE], [0x80], [0xF4, 0x90, 0x80, 0x80])
                .Select(bad => Encoding.UTF8.GetBytes($"{{\"{n}\":\"a").Concat(bad).Concat(Encoding.UTF8.GetBytes("b\"}")).ToArray()))),
            (1, text.Select(t => Encoding.Unicode.GetBytes(t))));
        var contentType = Gen.Frequency((8, Gen.Constant<string?>("application/json")),
            (1, Gen.Elements<string?>(null, "application/json; charset=utf-16", "application/json; charset=\"", "text/plain", "application/problem+json",
                "application/json; boundary=x", "*/*", "application/x-www-form-urlencoded", "multipart/form-data; boundary=zz")));
        return from b in bytes from c in contentType select ((byte[]?)b, c);
    }

    static Gen<JsonNode?> JsonValueGen(int depth)
    {
        var leaf = Gen.OneOf(
            Texts.Select(t => (JsonNode?)JsonValue.Create(t)),
            Gen.Elements<JsonNode?>(null, JsonValue.Create(true), JsonValue.Create(0), JsonValue.Create(-1), JsonValue.Create(long.MaxValue),
                JsonValue.Create(1.5e300), JsonValue.Create(int.MinValue), JsonValue.Create(0.000001m)));
        if (depth == 0) return leaf;
        var inner = JsonValueGen(depth - 1);
        return Gen.Frequency(
            (6, leaf),
            (1, Gen.ListOf(inner).Select(items => (JsonNode?)new JsonArray(items.Select(i => i?.DeepClone()).ToArray()))),
            (1, Gen.ListOf(Texts.Where(t => t.Length < 50 && !t.Any(char.IsSurrogate)).SelectMany(k => inner.Select(v => (k, v))))
                .Select(pairs =>
                {
                    var o = new JsonObject();
                    foreach (var (k, v) in pairs) o[k] = v?.DeepClone();
                    return (JsonNode?)o;
                })));
    }

    static Gen<(byte[]?, string?)> FormBody()
    {
        var value = Gen.Frequency((4, Texts.Select(Segment)), (1, RawSegments), (1, Gen.Constant("0123456789abcdef0123456789abcdef")));
        var pairs = Gen.ListOf(Gen.Frequency((8, Gen.Elements(FormFields)), (1, Texts.Select(Segment))).SelectMany(n => value.Select(v => n + "=" + v)));
        var text = Gen.Frequency(
            (8, pairs.Select(p => string.Join('&', p))),
            (1, Gen.Elements("&&&", "=", "a", "%", "title=%zz", "a=1;b=2", string.Join('&', Enumerable.Range(0, 60).Select(i => $"f{i}=x")),
                "title=" + new string('x', 70_000), "k" + new string('k', 200) + "=1")));
        var contentType = Gen.Frequency((8, Gen.Constant<string?>("application/x-www-form-urlencoded")),
            (1, Gen.Elements<string?>(null, "application/x-www-form-urlencoded; charset=utf-16", "multipart/form-data; boundary=zz", "text/html", "application/json")));
        return from t in text from c in contentType select ((byte[]?)Encoding.UTF8.GetBytes(t), c);
    }

    static Gen<(byte[]?, string?)> WeirdBody() => Gen.Elements<(byte[]?, string?)>(
        ([], "application/json"),
        ([], "application/x-www-form-urlencoded"),
        ([0xFF, 0xFE, 0x00, 0x01], "application/json"),
        ([0xEF, 0xBB, 0xBF], "application/json"),
        (Encoding.UTF8.GetBytes("--zz\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nx\r\n--zz--\r\n"), "multipart/form-data; boundary=zz"),
        (Encoding.UTF8.GetBytes("<x/>"), "application/xml"),
        (new byte[2_000_000], "application/octet-stream"));

    JsonElement? Operation(string name, string method)
    {
        foreach (var path in openApi.GetProperty("paths").EnumerateObject())
            foreach (var op in path.Value.EnumerateObject())
                if (op.Value.ValueKind == JsonValueKind.Object && op.Value.TryGetProperty("operationId", out var id) && id.GetString() == name)
                    return op.Value;
        return null;
    }

    static IEnumerable<string> QueryNames(JsonElement? operation) =>
        operation is { } op && op.TryGetProperty("parameters", out var ps)
            ? ps.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query").Select(p => p.GetProperty("name").GetString()!)
            : [];

    string[] BodyProperties(JsonElement? operation)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (operation is { } op && op.TryGetProperty("requestBody", out var body))
            Collect(body, names, 0);
        return names.ToArray();
    }

    // The property names of a body schema, following $refs into components a few levels deep.
    void Collect(JsonElement element, HashSet<string> names, int depth)
    {
        if (depth > 6) return;
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject())
                {
                    if (p.Name == "$ref" && p.Value.GetString() is { } reference && reference.StartsWith("#/components/schemas/", StringComparison.Ordinal)
                        && openApi.GetProperty("components").GetProperty("schemas").TryGetProperty(reference["#/components/schemas/".Length..], out var target))
                        Collect(target, names, depth + 1);
                    else if (p.Name == "properties" && p.Value.ValueKind == JsonValueKind.Object)
                        foreach (var property in p.Value.EnumerateObject())
                        {
                            names.Add(property.Name);
                            Collect(property.Value, names, depth + 1);
                        }
                    else Collect(p.Value, names, depth + 1);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) Collect(item, names, depth + 1);
                break;
        }
    }
}
