using System.Globalization;
using Participa.Api.Features.Processes;
using Participa.Api.Http;
using Participa.Domain;
using Participa.Storage;

namespace Participa.Api.Features.Proposals;

public sealed record ReceiptResponse(string Id, string Sha256);

public sealed record ProposalResponse(
    string Id, string ProcessId, string Title, string Problem, string ProposedSolution,
    string Theme, string Department, DateTimeOffset SubmittedAt, ReceiptResponse Receipt)
{
    public static ProposalResponse From(Stored<Proposal> stored)
    {
        var p = stored.Item;
        return new(p.Id, p.ProcessId, p.Title, p.Problem, p.ProposedSolution, p.Theme, p.Department, p.SubmittedAt, new(p.Id, stored.Sha256));
    }
}

public sealed record ProposalPage(IReadOnlyList<ProposalResponse> Items, string? ContinuationToken);

public static class ProposalsApi
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public static void MapProposals(this IEndpointRouteBuilder app)
    {
        var proposals = app.MapGroup("/api/processes/{processId}/proposals");
        proposals.MapPost("", Submit).WithName("SubmitProposal");
        proposals.MapGet("", List).WithName("ListProposals");
        proposals.MapGet("{proposalId}", Get).WithName("GetProposal");
    }

    static async Task<IResult> Submit(string processId, HttpRequest request, ProcessStore processes, ProposalStore proposals, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await ProcessesApi.FindAsync(processes, processId, cancellationToken) is not { } process)
            return ProcessesApi.NotFound(processId);

        var (input, problem) = await JsonBody.ReadAsync<ProposalInput>(request);
        if (problem is not null) return problem;

        var now = Timestamps.Truncate(clock.GetUtcNow());
        var errors = new Errors();
        if (Proposal.Create(process, input!, Ids.New(now), now, errors) is not { } proposal)
            return Problems.Validation(errors.ToDictionary());

        var receipt = proposal.Receipt();
        // Only after this write succeeds is the submission acknowledged; a storage fault becomes a 503.
        await proposals.AddAsync(proposal, receipt.Sha256, cancellationToken);
        return TypedResults.Created($"/api/processes/{processId}/proposals/{proposal.Id}", ProposalResponse.From(new(proposal, receipt.Sha256)));
    }

    static async Task<IResult> List(string processId, string? pageSize, string? continuationToken, ProcessStore processes, ProposalStore proposals, CancellationToken cancellationToken)
    {
        var errors = new Errors();
        var size = DefaultPageSize;
        if (pageSize is not null && (!int.TryParse(pageSize, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxPageSize))
            errors.Add("pageSize", $"'pageSize' must be a whole number from 1 to {MaxPageSize}.");
        if (continuationToken is not null && !Ids.IsValid(continuationToken))
            errors.Add("continuationToken", "'continuationToken' is not one this API returned.");
        if (errors.Any) return Problems.Validation(errors.ToDictionary());

        if (await ProcessesApi.FindAsync(processes, processId, cancellationToken) is null)
            return ProcessesApi.NotFound(processId);

        var page = await proposals.ListAsync(processId, continuationToken, size, cancellationToken);
        return TypedResults.Ok(new ProposalPage(page.Items.Select(ProposalResponse.From).ToList(), page.Next));
    }

    static async Task<IResult> Get(string processId, string proposalId, ProcessStore processes, ProposalStore proposals, CancellationToken cancellationToken)
    {
        if (await ProcessesApi.FindAsync(processes, processId, cancellationToken) is null)
            return ProcessesApi.NotFound(processId);
        if (!Ids.IsValid(proposalId) || await proposals.FindAsync(processId, proposalId, cancellationToken) is not { } found)
            return Problems.NotFound($"There is no proposal '{proposalId}' in process '{processId}'.");
        return TypedResults.Ok(ProposalResponse.From(found));
    }
}
