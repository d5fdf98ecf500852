using Microsoft.AspNetCore.Mvc;
using Participa.Api.Features.Participants;
using Participa.Api.Features.Submitting;
using Participa.Api.Http;
using Participa.Domain;
using Participa.Storage;

namespace Participa.Api.Features.Proposals;

public sealed record ProposalResponse(
    string Id, string ProcessId, string Title, string Problem, string ProposedSolution, string Theme,
    ParticipantView Participant, DateTimeOffset SubmittedAt, ReceiptView Receipt,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] long? Supports = null)
{
    /// <summary>The meeting where a facilitator recorded it (absent for proposals sent online).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? MeetingId { get; init; }

    /// <summary>
    /// Of <see cref="Supports"/>, those from participant tokens minted in a burst from one address (docs/abuse.md):
    /// counted, and shown apart so a reader can judge the count. Only with the count.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? SupportsFromBursts { get; init; }

    /// <summary>When staff typed it in (a proposal made at a meeting or on paper; submittedAt is then the meeting's date). Absent for one sent online.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? RecordedAt { get; init; }

    /// <summary>What became of it; absent while it is only received.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public Outcome? Outcome { get; init; }

    public static ProposalResponse From(Stored<Proposal> stored, long? supports = null)
    {
        var p = stored.Item;
        return new(p.Id, p.ProcessId, p.Title, p.Problem, p.ProposedSolution, p.Theme, ParticipantView.From(p.Participant),
            p.SubmittedAt, ReceiptView.For(p.ProcessId, p.Id, stored.Sha256), supports)
        {
            // With a count, its burst part too (0 for a new proposal), so a 201 and the GET after it are the same document.
            MeetingId = p.MeetingId, RecordedAt = p.RecordedAt, Outcome = p.Outcome, SupportsFromBursts = supports is null ? null : 0,
        };
    }
}

public sealed record SupportResponse(string Id, string ProcessId, string ProposalId, DateTimeOffset SubmittedAt, ReceiptView Receipt)
{
    public static SupportResponse From(Stored<Support> stored) =>
        new(stored.Item.Id, stored.Item.ProcessId, stored.Item.ProposalId, stored.Item.SubmittedAt, ReceiptView.For(stored.Item.ProcessId, stored.Item.Id, stored.Sha256));
}

public sealed class ProposalsApi(ProcessStore processes, ProposalStore proposals, SupportStore supports, ParticipantTokens tokens, Participation participation, TimeProvider clock)
{
    const string Base = "api/processes/{processId}/proposals";
    const string One = Base + "/{proposalId}";

    [Function("SubmitProposal")]
    [RequestBody<ProposalInput>("title", "problem", "proposedSolution", "theme", "department"), RequestHeader(Submissions.IdempotencyHeader)]
    [ProducesResponseType<ProposalResponse>(201), ProducesResponseType(409), ProducesResponseType(422)]
    public async Task<IResult> Submit([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Base)] HttpRequest request, string processId, CancellationToken cancellationToken)
    {
        var (process, closed) = await Submissions.OpenProcessAsync(processes, processId, SubmissionKind.Proposal, clock, cancellationToken);
        if (closed is not null) return closed;
        var (body, problem) = await JsonBody.ReadAsync<ProposalInput>(request);
        if (problem is not null) return problem;
        var (key, badKey) = Submissions.ReadIdempotencyKey(request, body!.Sha256);
        if (badKey is not null) return badKey;

        var submitted = await participation.ProposeAsync(processId, body.Value, key, cancellationToken);
        if (submitted is not Submitted.Written written) return Submissions.Refused(submitted, processId);
        // Acknowledged only once one transaction (item, index copies, receipt, contact, key) is stored. The appeal code goes to the author only.
        return await Submissions.RespondAsync(written.Outcome, request.HttpContext.Response, ProposalStore.Path(processId, written.ItemId),
            WithCode(ProposalResponse.From(new((Proposal)written.Item, written.Sha256), supports: 0), await participation.AppealCodeAsync(processId, written.ItemId, cancellationToken)),
            async id => await proposals.FindAsync(processId, id, cancellationToken) is { } first
                ? (ProposalStore.Path(processId, id), WithCode(ProposalResponse.From(first), await participation.AppealCodeAsync(processId, id, cancellationToken))) : null);
    }

    static ProposalResponse WithCode(ProposalResponse r, string code) => r with { Receipt = r.Receipt with { AppealCode = code } };

    [Function("ListProposals")]
    [ProducesResponseType<PageResponse<ProposalResponse>>(200)]
    public async Task<IResult> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Base)] HttpRequest request,
        string processId, string? theme, string? department, string? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var errors = new Errors();
        var paging = Paging.Parse(pageSize, continuationToken, errors);
        if (department is not null && Departments.Find(department) is null)
            errors.Add("department", Messages.DepartmentInvalid);
        if (await Processes.ProcessesApi.FindAsync(processes, processId, cancellationToken) is not { } process)
            return Processes.ProcessesApi.NotFound(processId);
        if (theme is not null && process.FindTheme(theme) is null)
            errors.Add("theme", Localized.Format(Messages.ThemeOneOf, string.Join(", ", process.Themes.Select(t => t.Id))));
        if (errors.Any) return Problems.Validation(errors.ToDictionary());

        var filter = new ProposalFilter(theme, department);
        return await Paging.RespondAsync(
            () => proposals.ListAsync(processId, filter, paging.ContinuationToken, paging.PageSize, cancellationToken),
            () => proposals.CountAsync(processId, filter, cancellationToken),
            p => ProposalResponse.From(p));
    }

    [Function("GetProposal")]
    [ProducesResponseType<ProposalResponse>(200)]
    public async Task<IResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = One)] HttpRequest request,
        string processId, string proposalId, CancellationToken cancellationToken)
    {
        if (await Processes.ProcessesApi.FindAsync(processes, processId, cancellationToken) is null)
            return Processes.ProcessesApi.NotFound(processId);
        if (!Ids.IsValid(proposalId) || await proposals.FindAsync(processId, proposalId, cancellationToken) is not { } found)
            return NotFound(processId, proposalId);
        return TypedResults.Ok(ProposalResponse.From(found, await supports.CountAsync(processId, proposalId, cancellationToken))
            with { SupportsFromBursts = await supports.CountFromBurstsAsync(processId, proposalId, cancellationToken) });
    }

    /// <summary>One support per participant token; the body, if any, is ignored.</summary>
    [Function("SupportProposal")]
    [RequestHeader(ParticipantTokens.Header), RequestHeader(Submissions.IdempotencyHeader)]
    [ProducesResponseType<SupportResponse>(201), ProducesResponseType(400), ProducesResponseType(409), ProducesResponseType(422)]
    public async Task<IResult> Support([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = One + "/supports")] HttpRequest request,
        string processId, string proposalId, CancellationToken cancellationToken)
    {
        var (_, closed) = await Submissions.OpenProcessAsync(processes, processId, SubmissionKind.Support, clock, cancellationToken);
        if (closed is not null) return closed;
        if (!Ids.IsValid(proposalId) || await proposals.FindAsync(processId, proposalId, cancellationToken) is not { } proposal)
            return NotFound(processId, proposalId);
        if (await tokens.VerifyAsync(tokens.FromRequest(request), cancellationToken) is not { Key: var participant, MintedInBurst: var burst })
            return Problems.Validation(new Dictionary<string, string[]>
            {
                [ParticipantTokens.Header] = [Messages.ParticipantTokenRequired],
            });
        var (key, badKey) = Submissions.ReadIdempotencyKey(request, participant);
        if (badKey is not null) return badKey;

        var submitted = await participation.SupportAsync(processId, proposalId, participant, burst, key, cancellationToken);
        if (submitted is not Submitted.Written { Outcome: var outcome, Item: Support support, Sha256: var sha256 }) return Submissions.Refused(submitted, processId);
        if (outcome is WriteOutcome.Duplicate or WriteOutcome.Replayed { SameRequest: true })
        {
            var existing = await supports.FindAsync(processId, proposalId, participant, cancellationToken);
            if (outcome is WriteOutcome.Replayed && existing is not null)
            {
                request.HttpContext.Response.Headers["Idempotent-Replayed"] = "true";
                return TypedResults.Created(SupportStore.Path(processId, proposalId), SupportResponse.From(existing));
            }
            return TypedResults.Problem(Messages.AlreadySupported,
                statusCode: StatusCodes.Status409Conflict, title: Messages.TitleAlreadySupported,
                extensions: new Dictionary<string, object?> { ["receipt"] = existing is null ? null : ReceiptView.For(processId, existing.Item.Id, existing.Sha256) });
        }
        return await Submissions.RespondAsync<SupportResponse>(outcome, request.HttpContext.Response, SupportStore.Path(processId, proposalId),
            SupportResponse.From(new(support, sha256)), _ => Task.FromResult<(string, SupportResponse)?>(null));
    }

    static IResult NotFound(string processId, string proposalId) => Problems.NotFound(Localized.Format(Messages.NoProposal, proposalId, processId));
}
