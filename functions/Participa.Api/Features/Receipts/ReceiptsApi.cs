using Microsoft.AspNetCore.Mvc;
using Participa.Api.Features.Processes;
using Participa.Api.Http;
using Participa.Domain;
using Participa.Storage;

namespace Participa.Api.Features.Receipts;

/// <summary>
/// What a receipt shows, for as long as the platform runs: the hash acknowledged at submission and the item's state
/// now. A hidden item keeps its receipt, with the public reason, but not its content: nothing is silently deleted.
/// </summary>
public sealed record ReceiptResponse(
    string Id, string ProcessId, string Kind, string Sha256, DateTimeOffset SubmittedAt, string State,
    string? ReasonCategory, string? Reason, DateTimeOffset? StateChangedAt, string? ItemUrl, string Appeal,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] Outcome? Outcome = null);

public sealed class ReceiptsApi(ProcessStore processes, ReceiptStore receipts)
{
    [Function("GetReceipt")]
    [ProducesResponseType<ReceiptResponse>(200)]
    public async Task<IResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/processes/{processId}/receipts/{receiptId}")] HttpRequest request,
        string processId, string receiptId, CancellationToken cancellationToken)
    {
        if (await ProcessesApi.FindAsync(processes, processId, cancellationToken) is null) return ProcessesApi.NotFound(processId);
        if (!Ids.IsValid(receiptId) || await receipts.FindAsync(processId, receiptId, cancellationToken) is not { } r)
            return Problems.NotFound(Localized.Format(Messages.NoReceiptInProcess, receiptId, processId));
        return TypedResults.Ok(new ReceiptResponse(r.Id, r.ProcessId, r.Kind, r.Sha256, r.SubmittedAt, r.State, r.ReasonCategory, r.Reason,
            r.StateChangedAt, r.State == "published" ? r.Path : null, r.Appeal, r.Outcome));
    }
}
