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

    static async Task<IResult> List(ProcessStore processes, CancellationToken cancellationToken) =>
        TypedResults.Ok(new { items = (await processes.ListAsync(cancellationToken)).OrderBy(p => p.Id, StringComparer.Ordinal) });

    static async Task<IResult> Get(string processId, ProcessStore processes, CancellationToken cancellationToken) =>
        await FindAsync(processes, processId, cancellationToken) is { } process
            ? TypedResults.Ok(process)
            : NotFound(processId);

    /// <summary>Null for a malformed id too: it cannot name a process, and must not reach a storage key.</summary>
    public static async Task<Process?> FindAsync(ProcessStore processes, string processId, CancellationToken cancellationToken) =>
        Process.IsValidId(processId) ? await processes.FindAsync(processId, cancellationToken) : null;

    public static IResult NotFound(string processId) => Problems.NotFound($"There is no process '{processId}'.");
}
