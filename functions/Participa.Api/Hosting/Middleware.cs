using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Participa.Api.Http;
using Participa.Storage;

namespace Participa.Api.Hosting;

// ASP.NET Core middleware is not part of the worker's pipeline (functions-worker.md): cross-cutting policy lives here,
// and a middleware that refuses a request sets the invocation's result to a problem instead of calling next.

/// <summary>Every log line written during an invocation carries its id and function name.</summary>
public sealed class InvocationLogScope(ILogger<InvocationLogScope> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["InvocationId"] = context.InvocationId,
            ["FunctionName"] = context.FunctionDefinition.Name,
        });
        await next(context);
    }

    /// <summary>
    /// Browsers say where a request comes from (Fetch Metadata). The Host header is not a safe comparison here: the
    /// Functions host may forward to the worker under another one.
    /// </summary>
    static bool SameOrigin(HttpRequest request) => request.Headers["Sec-Fetch-Site"].ToString() is "" or "same-origin" or "none";
}

/// <summary>
/// The reader's language for the invocation: CurrentUICulture (which text) and CurrentCulture (how values in it are
/// formatted) from Accept-Language, matched against <see cref="Languages.Setting"/>. Timers have no request and run
/// invariant, so published files and logs never follow a reader's culture. Problems say which language they are in.
/// </summary>
public sealed class RequestLanguage(IConfiguration configuration) : IFunctionsWorkerMiddleware
{
    readonly IReadOnlyList<string> _supported = Languages.Supported(configuration[Languages.Setting]);

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        // Culture lives in the async flow: what is set here is this invocation's alone.
        var http = context.GetHttpContext();
        var culture = http is null
            ? CultureInfo.InvariantCulture
            : CultureInfo.GetCultureInfo(Languages.Choose(http.Request.Headers.AcceptLanguage.ToString(), _supported));
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = culture;
        await next(context);
        // The ASP.NET Core integration writes the result after this returns, so the headers can still be set.
        if (http is { Response.HasStarted: false } && IsProblem(context.GetInvocationResult().Value))
        {
            http.Response.Headers.ContentLanguage = culture.Name;
            http.Response.Headers.Append("Vary", "Accept-Language");
        }
    }

    static bool IsProblem(object? result) => result switch
    {
        INestedHttpResult nested => IsProblem(nested.Result),
        ProblemHttpResult or ValidationProblem => true,
        _ => false,
    };
}

/// <summary>
/// Exceptions become problem details: storage down or throttling is 503 with Retry-After (nothing was stored), a
/// malformed request Kestrel caught keeps its 4xx, anything else is a logged 500 without a trace. Without this the
/// worker answers an empty 200 for a failed function.
/// </summary>
public sealed class ProblemsMiddleware(ILogger<ProblemsMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (context.GetHttpContext() is { Response.HasStarted: false } http && !http.RequestAborted.IsCancellationRequested)
        {
            context.GetInvocationResult().Value = Describe(e, http);
        }
    }

    IResult Describe(Exception exception, HttpContext http)
    {
        var e = exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerException! : exception;
        if (e is BadHttpRequestException bad)
            return TypedResults.Problem(bad.Message, statusCode: bad.StatusCode, title: Messages.TitleBadRequest);
        if (StorageFaults.IsUnavailable(e))
        {
            logger.LogWarning(e, "Storage unavailable");
            http.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem(Messages.StorageUnavailable,
                statusCode: StatusCodes.Status503ServiceUnavailable, title: Messages.TitleServiceUnavailable);
        }
        logger.LogError(e, "Unhandled error");
        return TypedResults.Problem(Messages.InternalError,
            statusCode: StatusCodes.Status500InternalServerError, title: Messages.TitleInternalError);
    }
}

/// <summary>Bodies past the app's limit (413) and clients past the rate limits (429 with Retry-After) stop here.</summary>
public sealed class RequestLimitsMiddleware(RateLimiting limits, FunctionCatalog catalog) : IFunctionsWorkerMiddleware
{
    /// <summary>No function takes more unless it says so ([BodyLimit]); JSON bodies are further limited to 64 KiB (JsonBody).</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>The largest [BodyLimit]: the bulk upload's file.</summary>
    public const int LargestBodyBytes = Features.Bulk.BulkEntry.MaxFileBytes;

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext() is not { } http)
        {
            await next(context);
            return;
        }
        var limit = catalog.Attribute<BodyLimitAttribute>(context.FunctionDefinition)?.Bytes ?? MaxBodyBytes;
        if (http.Request.ContentLength > limit)
        {
            context.GetInvocationResult().Value = Problems.TooLarge(limit);
            return;
        }
        // Kestrel's own limit is the largest any function takes; a chunked body to any other stops at the usual one.
        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = limit;
        if (limits.Acquire(http, catalog.Attribute<RateLimitedAttribute>(context.FunctionDefinition)?.Policy) is { } retryAfter)
        {
            http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            context.GetInvocationResult().Value = TypedResults.Problem(Localized.Format(Messages.SlowDown, retryAfter),
                statusCode: StatusCodes.Status429TooManyRequests, title: Messages.TitleTooManyRequests);
            return;
        }
        await next(context);
    }

    /// <summary>
    /// Browsers say where a request comes from (Fetch Metadata). The Host header is not a safe comparison here: the
    /// Functions host may forward to the worker under another one.
    /// </summary>
    static bool SameOrigin(HttpRequest request) => request.Headers["Sec-Fetch-Site"].ToString() is "" or "same-origin" or "none";
}

/// <summary>
/// A function marked [StaffOnly(policy)] needs a bearer token that Microsoft.Identity.Web validates (401 otherwise)
/// and that satisfies the policy (403 otherwise). Every other function is public.
/// </summary>
public sealed class StaffAuthorizationMiddleware(FunctionCatalog catalog, IAuthorizationService authorization) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (catalog.Attribute<StaffOnlyAttribute>(context.FunctionDefinition) is not { } staff || context.GetHttpContext() is not { } http)
        {
            await next(context);
            return;
        }
        var page = Features.Pages.PageErrorsMiddleware.IsPage(context);
        if (page && HttpMethods.IsPost(http.Request.Method) && !SameOrigin(http.Request))
        {
            // The cookie is SameSite=Strict already; this also refuses a post another site's page made.
            context.GetInvocationResult().Value = TypedResults.Problem(Messages.RolesDoNotAllow,
                statusCode: StatusCodes.Status403Forbidden, title: Messages.TitleForbidden);
            return;
        }
        var authenticated = await http.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
        if (!authenticated.Succeeded && page)
        {
            // A person, not a client: to the sign-in page, and back here afterwards.
            var back = HttpMethods.IsGet(http.Request.Method) ? http.Request.Path + http.Request.QueryString : Features.Pages.StaffPages.Path;
            context.GetInvocationResult().Value = Features.Pages.Html.SeeOther("/staff/sign-in?return=" + Uri.EscapeDataString(back));
            return;
        }
        if (!authenticated.Succeeded)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            context.GetInvocationResult().Value = TypedResults.Problem(Messages.SignInAsStaff,
                statusCode: StatusCodes.Status401Unauthorized, title: Messages.TitleUnauthorized);
            return;
        }
        http.User = authenticated.Principal;
        if (!(await authorization.AuthorizeAsync(http.User, staff.Policy)).Succeeded)
        {
            context.GetInvocationResult().Value = TypedResults.Problem(Messages.RolesDoNotAllow,
                statusCode: StatusCodes.Status403Forbidden, title: Messages.TitleForbidden);
            return;
        }
        await next(context);
    }

    /// <summary>
    /// Browsers say where a request comes from (Fetch Metadata). The Host header is not a safe comparison here: the
    /// Functions host may forward to the worker under another one.
    /// </summary>
    static bool SameOrigin(HttpRequest request) => request.Headers["Sec-Fetch-Site"].ToString() is "" or "same-origin" or "none";
}
