using Azure;
using Microsoft.AspNetCore.Mvc;
using Participa.Api.Features.Processes;
using Participa.Api.Hosting;
using Participa.Api.Http;
using Participa.Domain;
using Participa.Storage;

namespace Participa.Api.Features.Outcomes;

public sealed record OutcomeResponse(string ProposalId, Outcome Outcome, string ProposalUrl, string ReceiptUrl);

/// <summary>One proposal on the way to its outcome; title and URL only while it is published.</summary>
public sealed record TraceStep(string ProposalId, string? Title, string? Url, string State, Outcome? Outcome)
{
    public string Status => Outcome?.Status ?? OutcomeStatus.Received;
}

public sealed record TraceResponse(string ProposalId, IReadOnlyList<TraceStep> Steps, TraceStep Final);

public sealed record FunnelResponse(string ProcessId, long Received, long Pending, long UnderReview, long Adopted, long Merged, long NotAdopted);

public sealed class OutcomesApi(ProcessStore processes, DocumentStore documents, OutcomeStore outcomes, TimeProvider clock, ProposalStore proposals)
{
    /// <summary>
    /// Records a decision on every copy of the proposal and on its receipt, in one transaction under the receipt's
    /// ETag (If-Match if given, else the one just read): two staff deciding at once cannot interleave.
    /// </summary>
    [Function("SetProposalOutcome"), StaffOnly(StaffRoles.AdminOrFacilitator)]
    [RequestBody<OutcomeInput>("status"), RequestHeader(IfMatch.Header)]
    [ProducesResponseType<OutcomeResponse>(200), ProducesResponseType(409), ProducesResponseType(412)]
    public async Task<IResult> Set([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/processes/{processId}/proposals/{proposalId}/outcome")] HttpRequest request,
        string processId, string proposalId, CancellationToken cancellationToken)
    {
        if (await ProcessesApi.FindAsync(processes, processId, cancellationToken) is null) return ProcessesApi.NotFound(processId);
        if (!Ids.IsValid(proposalId) || await outcomes.FindAsync(processId, proposalId, cancellationToken) is not { } current)
            return NotFound(processId, proposalId);
        var (body, problem) = await JsonBody.ReadAsync<OutcomeInput>(request);
        if (problem is not null) return problem;
        return await SetAsync(processId, proposalId, current.Receipt, body!.Value, IfMatch.Read(request), request.HttpContext.Response, cancellationToken);
    }

    /// <summary>Records the outcome on a proposal found with its receipt (the API's PUT and the staff page's form).</summary>
    public async Task<IResult> SetAsync(string processId, string proposalId, Azure.Data.Tables.TableEntity receipt, OutcomeInput input, ETag? ifMatch,
        HttpResponse response, CancellationToken cancellationToken)
    {
        var errors = new Errors();
        if (Outcome.Create(input, proposalId, Timestamps.Truncate(clock.GetUtcNow()), errors) is not { } outcome)
            return Problems.Validation(errors.ToDictionary());
        if (outcome.Commitment is { } commitment && await CommitmentErrorAsync(documents, processId, commitment, cancellationToken) is { } noCommitment)
            return Field("commitment", noCommitment);
        if (outcome.MergedInto is { } target && await MergeProblemAsync(outcomes, processId, proposalId, target, cancellationToken) is { } badMerge)
            return badMerge;

        try
        {
            var etag = await outcomes.SetAsync(receipt, outcome, ifMatch ?? receipt.ETag, cancellationToken);
            IfMatch.Set(response, etag);
        }
        catch (RequestFailedException e) when (e.Status == StatusCodes.Status412PreconditionFailed)
        {
            return IfMatch.Stale();
        }
        return TypedResults.Ok(new OutcomeResponse(proposalId, outcome, ProposalStore.Path(processId, proposalId), $"/api/processes/{processId}/receipts/{proposalId}"));
    }

    /// <summary>Follows merges from a proposal to the one it ended in, and that one's outcome.</summary>
    [Function("TraceProposal")]
    [ProducesResponseType<TraceResponse>(200)]
    public async Task<IResult> Trace([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/processes/{processId}/proposals/{proposalId}/trace")] HttpRequest request,
        string processId, string proposalId, CancellationToken cancellationToken)
    {
        if (await ProcessesApi.FindAsync(processes, processId, cancellationToken) is null) return ProcessesApi.NotFound(processId);
        if (!Ids.IsValid(proposalId) || await outcomes.FindAsync(processId, proposalId, cancellationToken) is not { } first)
            return NotFound(processId, proposalId);

        var steps = new List<TraceStep>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var (id, receipt) = (proposalId, first);
        while (true)
        {
            seen.Add(id);
            var published = receipt.Receipt.GetString("State") == "published"
                ? await proposals.FindAsync(processId, id, cancellationToken) : null;
            steps.Add(new TraceStep(id, published?.Item.Title, published is null ? null : ProposalStore.Path(processId, id), receipt.Receipt.GetString("State"), receipt.Outcome));
            // The chain ends at a proposal not merged, a target that vanished, or (only after a race between two merges) a loop.
            if (receipt.Outcome?.MergedInto is not { } next || seen.Contains(next) || steps.Count > Outcome.ChainMax
                || await outcomes.FindAsync(processId, next, cancellationToken) is not { } nextReceipt)
                break;
            (id, receipt) = (next, nextReceipt);
        }
        return TypedResults.Ok(new TraceResponse(proposalId, steps, steps[^1]));
    }

    /// <summary>Counted from the proposals' rows on every call (a one-column scan), so it always agrees with them.</summary>
    [Function("GetProposalFunnel")]
    [ProducesResponseType<FunnelResponse>(200)]
    public async Task<IResult> GetFunnel([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/processes/{processId}/funnel")] HttpRequest request,
        string processId, CancellationToken cancellationToken)
    {
        if (await ProcessesApi.FindAsync(processes, processId, cancellationToken) is null) return ProcessesApi.NotFound(processId);
        var f = await outcomes.FunnelAsync(processId, cancellationToken);
        return TypedResults.Ok(new FunnelResponse(processId, f.Received, f.Pending, f.UnderReview, f.Adopted, f.Merged, f.NotAdopted));
    }

    /// <summary>The commitment must be a section of kind "commitment" in the latest version of one of the process's action-plan documents.</summary>
    static async Task<string?> CommitmentErrorAsync(DocumentStore documents, string processId, string commitment, CancellationToken cancellationToken)
    {
        var plans = (await documents.ListAsync(processId, cancellationToken)).Where(d => d.Kind == DocumentKind.ActionPlanDraft).ToList();
        if (plans.Count == 0) return Messages.NoActionPlan;
        foreach (var plan in plans)
            if (await documents.FindVersionAsync(processId, plan.Id, plan.LatestVersion, cancellationToken) is { } version
                && version.FindSection(commitment) is { Kind: "commitment" })
                return null;
        return Localized.Format(Messages.NoCommitment, commitment, string.Join(", ", plans.Select(p => p.Id)));
    }

    /// <summary>The target must be a published proposal of the process, and following its merges must not lead back here.</summary>
    static async Task<IResult?> MergeProblemAsync(OutcomeStore outcomes, string processId, string proposalId, string target, CancellationToken cancellationToken)
    {
        if (await outcomes.FindAsync(processId, target, cancellationToken) is not { } next || next.Receipt.GetString("State") != "published")
            return Field("mergedInto", Localized.Format(Messages.NoPublishedProposal, target));
        for (var steps = 0; next.Outcome?.MergedInto is { } further; steps++)
        {
            if (further == proposalId)
                return TypedResults.Problem(Localized.Format(Messages.MergeCycle, target, proposalId),
                    statusCode: StatusCodes.Status409Conflict, title: Messages.TitleMergeCycle);
            if (steps >= Outcome.ChainMax || await outcomes.FindAsync(processId, further, cancellationToken) is not { } after)
                break;
            next = after;
        }
        return null;
    }

    static IResult Field(string field, string message) => Problems.Validation(new Dictionary<string, string[]> { [field] = [message] });

    static IResult NotFound(string processId, string proposalId) => Problems.NotFound(Localized.Format(Messages.NoProposal, proposalId, processId));
}
