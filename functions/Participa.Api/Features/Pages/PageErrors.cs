using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker.Middleware;
using Participa.Web.Pages;
using Participa.Web.Resources;

namespace Participa.Api.Features.Pages;

/// <summary>
/// A page answers people: when the shared middleware refuses a page request with a problem (429, 503, 413, a 500),
/// the reader gets the same status as an HTML page in their language, not JSON. Headers such as Retry-After stay.
/// </summary>
public sealed class PageErrorsMiddleware : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        await next(context);
        if (context.GetHttpContext() is not { } http || !IsPage(context) || context.GetInvocationResult().Value is not ProblemHttpResult problem) return;
        var html = context.InstanceServices.GetRequiredService<Html>();
        var page = html.Context(http.Request);
        var (title, message) = problem.StatusCode switch
        {
            StatusCodes.Status429TooManyRequests => (UI.TooManyTitle, UI.TooManyMessage),
            StatusCodes.Status503ServiceUnavailable => (UI.UnavailableTitle, UI.UnavailableMessage),
            StatusCodes.Status403Forbidden => (UI.ForbiddenTitle, UI.ForbiddenMessage),
            >= 500 => (UI.ErrorTitle, UI.ErrorMessage),
            _ => (UI.RejectedTitle, UI.RejectedMessage),
        };
        context.GetInvocationResult().Value = await html.PageAsync<MessagePage>(http.Request, page, new { Title = title, Message = message }, problem.StatusCode);
    }

    public static bool IsPage(FunctionContext context) =>
        context.FunctionDefinition.EntryPoint.StartsWith(typeof(CitizenPages).Namespace + ".", StringComparison.Ordinal);
}
