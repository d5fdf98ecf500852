using Microsoft.AspNetCore.Mvc;
using Participa.Api.Http;
using Participa.Domain;
using Participa.Storage;

namespace Participa.Api.Features.Processes;

public sealed class ProcessesApi(ProcessStore processes)
{
    /// <summary>Paged like every list; processes are few, so the page is cut from the whole ordered list in memory.</summary>
    [Function("ListProcesses")]
    [ProducesResponseType<PageResponse<Process>>(200)]
    public async Task<IResult> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/processes")] HttpRequest request,
        string? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var errors = new Errors();
        var paging = Paging.Parse(pageSize, continuationToken, errors);
        if (errors.Any) return Problems.Validation(errors.ToDictionary());
        return Paging.Respond(await processes.ListAsync(cancellationToken), p => p.Id, Process.IsValidId, paging, p => p);
    }

    [Function("GetProcess")]
    [ProducesResponseType<Process>(200)]
    public async Task<IResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/processes/{processId}")] HttpRequest request,
        string processId, CancellationToken cancellationToken) =>
        await FindAsync(processes, processId, cancellationToken) is { } process
            ? TypedResults.Ok(process)
            : NotFound(processId);

    /// <summary>Null for a malformed id too: it cannot name a process, and must not reach a storage key.</summary>
    public static async Task<Process?> FindAsync(ProcessStore processes, string processId, CancellationToken cancellationToken) =>
        Process.IsValidId(processId) ? await processes.FindAsync(processId, cancellationToken) : null;

    public static IResult NotFound(string processId) => Problems.NotFound(Localized.Format(Messages.NoProcess, processId));
}
