using Microsoft.AspNetCore.Mvc;
using Participa.Api.Features.Processes;
using Participa.Api.Http;
using Participa.Domain;
using Participa.Storage;

namespace Participa.Api.Features.Ledger;

public sealed record LedgerProof(string ReceiptId, string Sha256, string State, long LeafIndex, IReadOnlyList<ProofStep> Proof, string Root, long Receipts);

/// <summary>
/// The proof that a receipt is in the ledger whose root the statistics publish (docs/ledger.md says how to check it).
/// Served from the ledger the last statistics run saved, so it matches the published root.
/// </summary>
public sealed class LedgerApi(ProcessStore processes, StatisticsStore states)
{
    [Function("GetLedgerProof")]
    [ProducesResponseType<LedgerProof>(200)]
    public async Task<IResult> GetProof([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/processes/{processId}/ledger/proofs/{receiptId}")] HttpRequest request,
        string processId, string receiptId, CancellationToken cancellationToken)
    {
        if (await ProcessesApi.FindAsync(processes, processId, cancellationToken) is null) return ProcessesApi.NotFound(processId);
        if (!Ids.IsValid(receiptId)) return Problems.NotFound(Localized.Format(Messages.NoReceipt, receiptId));
        var ledger = await ReadAsync(states, processId, receiptId, cancellationToken);
        if (ledger.Find(receiptId) is not var (entry, index, proof))
            return Problems.NotFound(Localized.Format(Messages.ReceiptNotInLedgerYet, receiptId));
        return TypedResults.Ok(new LedgerProof(entry.Id, entry.Sha256, entry.State, index, proof, ledger.Root(), ledger.Count));
    }

    /// <summary>The ledger's index and the one page the receipt would be in: a proof costs the same at any size.</summary>
    static async Task<PagedLedger> ReadAsync(StatisticsStore states, string processId, string receiptId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var ledger = await states.ReadLedgerAsync(processId, cancellationToken);
            if (ledger.Pages.Count == 0) return ledger;
            try
            {
                var page = ledger.PageOf(receiptId);
                ledger.Load(page, await states.ReadLedgerPageAsync(processId, ledger.Pages[page], cancellationToken));
                return ledger;
            }
            catch (Azure.RequestFailedException e) when (e.Status == 404 && attempt == 1)
            {
                // A run replaced the page between reading the index and the page: the new index lists its successor.
            }
        }
    }
}
