using Participa.Api.Http;
using Participa.Domain;
using Participa.Storage;

namespace Participa.Api.Features.Processes;

public static class ProcessesApi
{
    public static void MapProcesses(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/processes", List).WithName("ListProcesses");
        app.MapGet("/api/processes/{processId}", Get).WithName("GetProcess");
    }

    /// <summary>Paged like every list; processes are few, so the page is cut from the whole ordered list in memory.</summary>
    static async Task<IResult> List(string? pageSize, string? continuationToken, ProcessStore processes, CancellationToken cancellationToken)
    {
        var errors = new Errors();
        var paging = Paging.Parse(pageSize, continuationToken, errors);
        if (errors.Any) return Problems.Validation(errors.ToDictionary());
        return Paging.Respond(await processes.ListAsync(cancellationToken), p => p.Id, Process.IsValidId, paging, p => p);
    }

    static async Task<IResult> Get(string processId, ProcessStore processes, CancellationToken cancellationToken) =>
        await FindAsync(processes, processId, cancellationToken) is { } process
            ? TypedResults.Ok(process)
            : NotFound(processId);

    /// <summary>Null for a malformed id too: it cannot name a process, and must not reach a storage key.</summary>
    public static async Task<Process?> FindAsync(ProcessStore processes, string processId, CancellationToken cancellationToken) =>
        Process.IsValidId(processId) ? await processes.FindAsync(processId, cancellationToken) : null;

    public static IResult NotFound(string processId) => Problems.NotFound($"There is no process '{processId}'.");
}
