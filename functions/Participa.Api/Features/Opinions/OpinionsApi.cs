using Microsoft.AspNetCore.Mvc;
using Participa.Api.Features.Processes;
using Participa.Api.Http;
using Participa.Domain;
using Participa.Storage;

namespace Participa.Api.Features.Opinions;

public sealed record OpinionResponse(
    string Id, string ProcessId, string DocumentId, int Version, string? Article, string Position, string Reasons,
    ParticipantView Participant, DateTimeOffset SubmittedAt, ReceiptView Receipt)
{
    public static OpinionResponse From(Stored<Opinion> stored)
    {
        var o = stored.Item;
        return new(o.Id, o.ProcessId, o.DocumentId, o.Version, o.Article, o.Position, o.Reasons, ParticipantView.From(o.Participant),
            o.SubmittedAt, ReceiptView.For(o.ProcessId, o.Id, stored.Sha256));
    }
}

/// <summary>Opinions on the bill of a legislative process, on its current version, as a whole or per article.</summary>
public sealed class OpinionsApi(ProcessStore processes, DocumentStore documents, OpinionStore opinions, TimeProvider clock)
{
    [Function("SubmitOpinion")]
    [RequestBody<OpinionInput>("position"), RequestHeader(Submissions.IdempotencyHeader)]
    [ProducesResponseType<OpinionResponse>(201), ProducesResponseType(409), ProducesResponseType(422)]
    public async Task<IResult> Submit([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/processes/{processId}/opinions")] HttpRequest request,
        string processId, CancellationToken cancellationToken)
    {
        var (_, closed) = await Submissions.OpenProcessAsync(processes, processId, SubmissionKind.Opinion, clock, cancellationToken);
        if (closed is not null) return closed;
        if (await FindBillAsync(documents, processId, cancellationToken) is not { } bill)
            return Problems.NotFound(Localized.Format(Messages.NoBill, processId));
        var (body, problem) = await JsonBody.ReadAsync<OpinionInput>(request);
        if (problem is not null) return problem;
        var (key, badKey) = Submissions.ReadIdempotencyKey(request, body!.Sha256);
        if (badKey is not null) return badKey;

        var now = Timestamps.Truncate(clock.GetUtcNow());
        var errors = new Errors();
        var version = await documents.FindVersionAsync(processId, bill.Id, bill.LatestVersion, cancellationToken)
            ?? throw new InvalidDataException($"Bill {bill.Id} points at version {bill.LatestVersion}, which is not stored.");
        if (Opinion.Create(processId, bill, version, body.Value, Ids.New(now), now, errors) is not { } opinion)
            return Problems.Validation(errors.ToDictionary());
        var sha256 = opinion.Receipt().Sha256;
        var outcome = await opinions.AddAsync(opinion, sha256, key, cancellationToken);
        return await Submissions.RespondAsync(outcome, request.HttpContext.Response, OpinionStore.Path(processId, opinion.Id),
            OpinionResponse.From(new(opinion, sha256)),
            async id => await opinions.FindAsync(processId, id, cancellationToken) is { } first
                ? (OpinionStore.Path(processId, id), OpinionResponse.From(first)) : null);
    }

    [Function("ListOpinions")]
    [ProducesResponseType<PageResponse<OpinionResponse>>(200)]
    public async Task<IResult> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/processes/{processId}/opinions")] HttpRequest request,
        string processId, string? article, string? position, string? department, string? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var errors = new Errors();
        var paging = Paging.Parse(pageSize, continuationToken, errors);
        if (position is not null && !Positions.All.Contains(position)) errors.Add("position", Localized.Format(Messages.OneOf, string.Join(", ", Positions.All)));
        if (department is not null && Departments.Find(department) is null) errors.Add("department", Messages.DepartmentInvalid);
        if (article is not null && !Slug.IsValid(article, 63)) errors.Add("article", Messages.ArticleFormat);
        if (errors.Any) return Problems.Validation(errors.ToDictionary());
        if (await ProcessesApi.FindAsync(processes, processId, cancellationToken) is null) return ProcessesApi.NotFound(processId);

        var filter = new OpinionFilter(article, position, department);
        return await Paging.RespondAsync(
            () => opinions.ListAsync(processId, filter, paging.ContinuationToken, paging.PageSize, cancellationToken),
            () => opinions.CountAsync(processId, filter, cancellationToken),
            OpinionResponse.From);
    }

    [Function("GetOpinion")]
    [ProducesResponseType<OpinionResponse>(200)]
    public async Task<IResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/processes/{processId}/opinions/{opinionId}")] HttpRequest request,
        string processId, string opinionId, CancellationToken cancellationToken)
    {
        if (await ProcessesApi.FindAsync(processes, processId, cancellationToken) is null) return ProcessesApi.NotFound(processId);
        return Ids.IsValid(opinionId) && await opinions.FindAsync(processId, opinionId, cancellationToken) is { } found
            ? TypedResults.Ok(OpinionResponse.From(found))
            : Problems.NotFound(Localized.Format(Messages.NoOpinion, opinionId, processId));
    }

    static async Task<Document?> FindBillAsync(DocumentStore documents, string processId, CancellationToken cancellationToken) =>
        (await documents.ListAsync(processId, cancellationToken)).Where(d => d.Kind == DocumentKind.Bill).MinBy(d => d.Id, StringComparer.Ordinal);
}
