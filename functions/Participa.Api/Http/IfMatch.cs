using Azure;

namespace Participa.Api.Http;

/// <summary>Optimistic concurrency for staff edits: the ETag a client read goes back in If-Match; a stale one is 412.</summary>
public static class IfMatch
{
    public const string Header = "If-Match";

    /// <summary>
    /// The client's If-Match as a storage ETag; null when absent or "*" (then the version just read is used). A value of
    /// another shape than the ETags handed out can match nothing: it becomes one that cannot match, so the answer is 412.
    /// </summary>
    public static ETag? Read(HttpRequest request) => Parse(request.Headers.IfMatch.ToString());

    /// <summary>As <see cref="Read"/>, for an ETag a staff page's form carried back.</summary>
    public static ETag? Parse(string value)
    {
        if (value.Length == 0 || value == "*") return null;
        return value.Length <= 200 && value.StartsWith("W/\"datetime'", StringComparison.Ordinal) && value.EndsWith("'\"", StringComparison.Ordinal)
            && value.All(c => c is > ' ' and < '\x7f')
            ? new ETag(value)
            : new ETag("W/\"datetime'1970-01-01T00%3A00%3A00.0000000Z'\"");
    }

    public static void Set(HttpResponse response, ETag etag) => response.Headers.ETag = etag.ToString();

    public static IResult Stale() => TypedResults.Problem(Messages.Stale,
        statusCode: StatusCodes.Status412PreconditionFailed, title: Messages.TitlePreconditionFailed);

    public static IResult Required() => TypedResults.Problem(Messages.IfMatchRequired,
        statusCode: StatusCodes.Status428PreconditionRequired, title: Messages.TitlePreconditionRequired);
}
