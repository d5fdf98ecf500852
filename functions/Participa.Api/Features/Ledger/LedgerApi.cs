using Participa.Api.Features.Processes;
using Participa.Api.Http;
using Participa.Domain;
using Participa.Storage;

namespace Participa.Api.Features.Ledger;

public sealed record LedgerProof(string ReceiptId, string Sha256, string State, int LeafIndex, IReadOnlyList<ProofStep> Proof, string Root, int Receipts);

/// <summary>
/// The proof that a receipt is in the ledger whose root the statistics publish (docs/ledger.md says how to check it).
/// Served from the ledger the last statistics run saved, so it matches the published root.
/// </summary>
public static class LedgerApi
{
    public static void MapLedger(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/processes/{processId}/ledger/proofs/{receiptId}", GetProof).WithName("GetLedgerProof");
    }

    static async Task<IResult> GetProof(string processId, string receiptId, ProcessStore processes, StatisticsStore states, CancellationToken cancellationToken)
    {
        if (await ProcessesApi.FindAsync(processes, processId, cancellationToken) is null) return ProcessesApi.NotFound(processId);
        if (!Ids.IsValid(receiptId)) return Problems.NotFound($"There is no receipt '{receiptId}'.");
        var (book, _) = await states.ReadLedgerAsync(processId, cancellationToken);
        var index = book.IndexOf(receiptId);
        if (index < 0)
            return Problems.NotFound($"Receipt '{receiptId}' is not in the published ledger yet: the ledger is brought up to date every few minutes.");
        var entry = book.Entries[index];
        return TypedResults.Ok(new LedgerProof(entry.Id, entry.Sha256, entry.State, index, Participa.Domain.Ledger.Proof(book.Entries, index), book.Root(), book.Entries.Count));
    }
}
