using Microsoft.AspNetCore.Mvc;
using Participa.Api.Features.Processes;
using Participa.Api.Features.Submitting;
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
public sealed class OpinionsApi(ProcessStore processes, OpinionStore opinions, Participation participation, TimeProvider clock)
{
    [Function("SubmitOpinion")]
    [RequestBody<OpinionInput>("position"), RequestHeader(Submissions.IdempotencyHeader)]
    [ProducesResponseType<OpinionResponse>(201), ProducesResponseType(409), ProducesResponseType(422)]
    public async Task<IResult> Submit([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/processes/{processId}/opinions")] HttpRequest request,
        string processId, CancellationToken cancellationToken)
    {
        var (_, closed) = await Submissions.OpenProcessAsync(processes, processId, SubmissionKind.Opinion, clock, cancellationToken);
        if (closed is not null) return closed;
        if (await participation.FindBillAsync(processId, cancellationToken) is null)
            return Problems.NotFound(Localized.Format(Messages.NoBill, processId));
        var (body, problem) = await JsonBody.ReadAsync<OpinionInput>(request);
        if (problem is not null) return problem;
        var (key, badKey) = Submissions.ReadIdempotencyKey(request, body!.Sha256);
        if (badKey is not null) return badKey;

        var submitted = await participation.GiveOpinionAsync(processId, body.Value, key, cancellationToken);
        if (submitted is not Submitted.Written written) return Submissions.Refused(submitted, processId, _ => Localized.Format(Messages.NoBill, processId));
        return await Submissions.RespondAsync(written.Outcome, request.HttpContext.Response, OpinionStore.Path(processId, written.ItemId),
            WithCode(OpinionResponse.From(new((Opinion)written.Item, written.Sha256)), await participation.AppealCodeAsync(processId, written.ItemId, cancellationToken)),
            async id => await opinions.FindAsync(processId, id, cancellationToken) is { } first
                ? (OpinionStore.Path(processId, id), WithCode(OpinionResponse.From(first), await participation.AppealCodeAsync(processId, id, cancellationToken))) : null);
    }

    static OpinionResponse WithCode(OpinionResponse r, string code) => r with { Receipt = r.Receipt with { AppealCode = code } };

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

}
