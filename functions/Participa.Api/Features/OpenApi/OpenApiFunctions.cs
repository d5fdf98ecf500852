using System.Text;
using Microsoft.AspNetCore.Mvc;

namespace Participa.Api.Features.OpenApi;

/// <summary>The API's own description (built once from the code, see ApiDescription) and a page for people to read it.</summary>
public sealed class OpenApiFunctions
{
    [Function("GetOpenApiDocument"), EndpointSummary("This description, as OpenAPI 3.1")]
    [Produces("application/json")]
    public IResult Document([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/openapi.json")] HttpRequest request)
    {
        request.HttpContext.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Text(ApiDescription.Json, "application/json", Encoding.UTF8);
    }

    [Function("GetApiReference"), EndpointSummary("This description, as a page to read")]
    [Produces("text/html")]
    public IResult Reference([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/docs")] HttpRequest request)
    {
        var headers = request.HttpContext.Response.Headers;
        headers.CacheControl = "public, max-age=300";
        headers.ContentSecurityPolicy = ApiReferencePage.ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        return TypedResults.Text(ApiDescription.Page, "text/html", Encoding.UTF8);
    }
}
