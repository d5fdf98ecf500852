using Microsoft.AspNetCore.Mvc;
using System.Text.RegularExpressions;
using Participa.Api.Http;
using Participa.Storage;

namespace Participa.Api.Features.Downloads;

/// <summary>
/// A link to the published open data that stays the same wherever the files live (a public container in Azure, an
/// Azurite port that changes with each local run): the app redirects to the file itself, which is served by storage.
/// </summary>
public sealed partial class OpenDataApi(PublishedFiles published)
{
    [Function("GetOpenDataFile"), ProducesResponseType(StatusCodes.Status302Found, Description = "Redirects to the file in Blob Storage, readable without credentials.")]
    public IResult Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/open-data/{*path}")] HttpRequest request, string? path)
    {
        // Only names the timers publish: lower-case segments, no traversal, no query smuggled into the blob URL.
        if (path is null || path.Length > 200 || !PublishedPath().IsMatch(path))
            return Problems.NotFound(Localized.Format(Messages.NoPublishedFile, path));
        request.HttpContext.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Redirect(published.UriOf(path).AbsoluteUri);
    }

    [GeneratedRegex(@"^(index\.json|processes/[a-z0-9][a-z0-9-]{0,62}/[a-z0-9][a-z0-9.-]{0,80})$")]
    private static partial Regex PublishedPath();
}
