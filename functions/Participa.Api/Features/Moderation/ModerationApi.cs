using System.Security.Claims;
using System.Text.Json.Serialization;
using Azure;
using Microsoft.AspNetCore.Mvc;
using Participa.Api.Features.Processes;
using Participa.Api.Hosting;
using Participa.Api.Features.Submitting;
using Participa.Api.Http;
using Participa.Domain;
using Participa.Storage;

namespace Participa.Api.Features.Moderation;

public sealed record ReportResponse(string Id, string ItemId, string Reason, DateTimeOffset ReportedAt);

public sealed record AppealResponse(string ReceiptId, string Appeal, DateTimeOffset SubmittedAt, string ReceiptUrl);

/// <summary>An item as moderators see it: hidden content included, and the ETag a decision must send as If-Match.</summary>
public sealed record ModerationItemResponse(
    string ItemId, string Kind, string State, string? ReasonCategory, string? Reason, string Appeal, [property: JsonPropertyName("etag")] string ETag,
    IReadOnlyDictionary<string, object?> Content, int PendingReports, int TotalReports, IReadOnlyDictionary<string, int> PendingReportsByReason,
    string DecisionsUrl)
{
    public static ModerationItemResponse From(string processId, ModerationItem i, ReportCounts c) => new(
        i.Id, i.Kind, i.State, i.ReasonCategory, i.Reason, Domain.Moderation.Format(i.Appeal), i.ETag, i.Content,
        c.Pending, c.Total, c.PendingByReason, $"/api/processes/{processId}/moderation/{i.Id}/decisions");
}

public sealed record QueueEntryResponse(DateTimeOffset QueuedAt, ModerationItemResponse Item);

public sealed record StaffDecisionView(string Id, string Action, string Effect, string? ReasonCategory, string? Note, DateTimeOffset DecidedAt,
    string? AppealResolution, string? ModeratorId);

public sealed record StaffAppealView(string State, string Reason, DateTimeOffset SubmittedAt, DateTimeOffset? ResolvedAt);

public sealed record ModerationDetailResponse(ModerationItemResponse Item, IReadOnlyList<StaffDecisionView> Decisions,
    IReadOnlyList<ReportRecord> Reports, StaffAppealView? Appeal);

public sealed record DecisionResponse(string Id, string ItemId, string Action, string Effect, string? ReasonCategory, string? Note,
    DateTimeOffset DecidedAt, string State, string Appeal, [property: JsonPropertyName("etag")] string ETag);

/// <summary>One entry of the public log: what was decided about which item and why; never content, never who.</summary>
public sealed record LogEntryResponse(string Id, string ItemId, string Kind, DateTimeOffset DecidedAt, string Action, string Effect,
    string? ReasonCategory, string? Note, string? AppealResolution);

/// <summary>
/// Moderation: anyone reports, moderators decide with a public reason, everyone reads the log, the author appeals
/// once. docs/moderation.md has the workflow, the rows and what is public.
/// </summary>
public sealed class ModerationApi(ProcessStore processes, ModerationStore moderation, Participation participation, TimeProvider clock)
{
    /// <summary>Anyone may report; nothing about the reporter is stored. Items already hidden are not reported again.</summary>
    [Function("ReportItem")]
    [RequestBody<ReportInput>("itemId", "reason"), RequestHeader(Submissions.IdempotencyHeader)]
    [ProducesResponseType<ReportResponse>(201), ProducesResponseType(409)]
    public async Task<IResult> Report([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/processes/{processId}/reports")] HttpRequest request,
        string processId, CancellationToken cancellationToken)
    {
        if (await ProcessesApi.FindAsync(processes, processId, cancellationToken) is null) return ProcessesApi.NotFound(processId);
        var (body, problem) = await JsonBody.ReadAsync<ReportInput>(request);
        if (problem is not null) return problem;
        var (key, badKey) = Submissions.ReadIdempotencyKey(request, body!.Sha256);
        if (badKey is not null) return badKey;
        var now = Timestamps.Truncate(clock.GetUtcNow());
        var errors = new Errors();
        if (Domain.Report.Create(body.Value, Ids.New(now), now, errors) is not { } report)
            return Problems.Validation(errors.ToDictionary());
        if (await moderation.ReceiptAsync(processId, report.ItemId, cancellationToken) is not { } receipt)
            return NoItem(processId, report.ItemId);
        if (ModerationStore.IsHidden(receipt))
            return TypedResults.Problem(Messages.AlreadyHidden, statusCode: StatusCodes.Status409Conflict, title: Messages.TitleAlreadyHidden);
        // A retried report (same Idempotency-Key) is the first answer again, not a second report against the item.
        if (await moderation.AddReportAsync(processId, report, receipt.GetString("Kind"), key, cancellationToken) is { } earlier)
        {
            if (!earlier.SameRequest)
                return TypedResults.Problem(Messages.IdempotencyKeyReused, statusCode: StatusCodes.Status422UnprocessableEntity, title: Messages.TitleIdempotencyKeyReused);
            request.HttpContext.Response.Headers["Idempotent-Replayed"] = "true";
            report = earlier.Report;
        }
        return TypedResults.Created((string?)null, new ReportResponse(report.Id, report.ItemId, report.Reason, report.ReportedAt));
    }

    /// <summary>Oldest first: an item waits no longer than those queued before it, and a flood of new reports cannot bury old ones.</summary>
    [Function("ListModerationQueue"), StaffOnly(StaffRoles.Moderator)]
    [ProducesResponseType<PageResponse<QueueEntryResponse>>(200)]
    public async Task<IResult> Queue([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/processes/{processId}/moderation-queue")] HttpRequest request,
        string processId, string? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var errors = new Errors();
        var paging = Paging.Parse(pageSize, continuationToken, errors);
        if (await ProcessesApi.FindAsync(processes, processId, cancellationToken) is null) return ProcessesApi.NotFound(processId);
        if (errors.Any) return Problems.Validation(errors.ToDictionary());
        return await Paging.RespondAsync(
            () => moderation.QueueAsync(processId, paging.ContinuationToken, paging.PageSize, cancellationToken),
            () => moderation.QueueCountAsync(processId, cancellationToken),
            e => new QueueEntryResponse(e.QueuedAt, ModerationItemResponse.From(processId, e.Item, e.Reports)));
    }

    [Function("GetModerationItem"), StaffOnly(StaffRoles.Moderator)]
    [ProducesResponseType<ModerationDetailResponse>(200)]
    public async Task<IResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/processes/{processId}/moderation/{itemId}")] HttpRequest request,
        string processId, string itemId, CancellationToken cancellationToken)
    {
        var response = request.HttpContext.Response;
        if (await ProcessesApi.FindAsync(processes, processId, cancellationToken) is null) return ProcessesApi.NotFound(processId);
        if (!Ids.IsValid(itemId) || await moderation.ItemAsync(processId, itemId, cancellationToken) is not { } item)
            return NoItem(processId, itemId);
        var history = await moderation.HistoryAsync(processId, itemId, cancellationToken);
        response.Headers.ETag = item.ETag;
        return TypedResults.Ok(new ModerationDetailResponse(
            ModerationItemResponse.From(processId, item, history.Counts),
            history.Decisions.Select(d => new StaffDecisionView(d.Id, d.Action, d.Effect, d.ReasonCategory, d.Note, d.DecidedAt, d.AppealResolution, d.ModeratorId)).ToList(),
            history.Reports,
            history.Appeal is { } a ? new StaffAppealView(Domain.Moderation.Format(a.State), a.Reason, a.SubmittedAt, a.ResolvedAt) : null));
    }

    /// <summary>
    /// If-Match is required and must be the ETag the moderator saw (queue or staff view): a decision made on a view
    /// that is no longer current (another decision, an appeal) is 412, never applied.
    /// </summary>
    [Function("DecideModeration"), StaffOnly(StaffRoles.Moderator)]
    [RequestBody<DecisionInput>("action"), RequestHeader(IfMatch.Header, Required = true)]
    [ProducesResponseType<DecisionResponse>(201), ProducesResponseType(412), ProducesResponseType(428)]
    public async Task<IResult> Decide([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/processes/{processId}/moderation/{itemId}/decisions")] HttpRequest request,
        string processId, string itemId, CancellationToken cancellationToken)
    {
        var user = request.HttpContext.User;
        if (await ProcessesApi.FindAsync(processes, processId, cancellationToken) is null) return ProcessesApi.NotFound(processId);
        if (!Ids.IsValid(itemId) || await moderation.ReceiptAsync(processId, itemId, cancellationToken) is not { } receipt)
            return NoItem(processId, itemId);
        var ifMatch = request.Headers.IfMatch;
        if (ifMatch.Count != 1 || ifMatch.ToString().Trim() is { Length: 0 } or "*")
            return TypedResults.Problem(Messages.ModerationIfMatchRequired, statusCode: StatusCodes.Status428PreconditionRequired,
                title: Messages.TitleIfMatchRequired);
        var (body, problem) = await JsonBody.ReadAsync<DecisionInput>(request);
        if (problem is not null) return problem;

        var now = Timestamps.Truncate(clock.GetUtcNow());
        var errors = new Errors();
        if (Decision.Create(body!.Value, itemId, Ids.New(now), now, user.StaffId(), errors) is not { } decision)
            return Problems.Validation(errors.ToDictionary());

        var outcome = await moderation.DecideAsync(processId, decision, receipt.GetString("Kind"), new ETag(ifMatch.ToString().Trim()), cancellationToken);
        switch (outcome)
        {
            case ModerationStore.DecisionOutcome.Decided d:
                request.HttpContext.Response.Headers.ETag = d.ETag;
                var hidden = d.Effect is DecisionEffect.Hidden or DecisionEffect.KeptHidden;
                return TypedResults.Created($"/api/processes/{processId}/moderation/{itemId}", new DecisionResponse(decision.Id, itemId,
                    Domain.Moderation.Format(decision.Action), Domain.Moderation.Format(d.Effect), decision.ReasonCategory, decision.Note, decision.DecidedAt,
                    hidden ? "hidden" : "published", Domain.Moderation.Format(d.Appeal), d.ETag));
            case ModerationStore.DecisionOutcome.Stale stale:
                request.HttpContext.Response.Headers.ETag = stale.CurrentETag;
                return TypedResults.Problem(Messages.ItemChanged,
                    statusCode: StatusCodes.Status412PreconditionFailed, title: Messages.TitleStaleETag);
            default:
                return NoItem(processId, itemId);
        }
    }

    [Function("GetModerationLog")]
    [ProducesResponseType<PageResponse<LogEntryResponse>>(200)]
    public async Task<IResult> Log([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/processes/{processId}/moderation-log")] HttpRequest request,
        string processId, string? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var errors = new Errors();
        var paging = Paging.Parse(pageSize, continuationToken, errors);
        if (await ProcessesApi.FindAsync(processes, processId, cancellationToken) is null) return ProcessesApi.NotFound(processId);
        if (errors.Any) return Problems.Validation(errors.ToDictionary());
        return await Paging.RespondAsync(
            () => moderation.LogAsync(processId, paging.ContinuationToken, paging.PageSize, cancellationToken),
            () => moderation.LogCountAsync(processId, cancellationToken),
            d => new LogEntryResponse(d.Id, d.ItemId, d.Kind, d.DecidedAt, d.Action, d.Effect, d.ReasonCategory, d.Note, d.AppealResolution));
    }

    /// <summary>
    /// Once per item, only while it is hidden, and only by its author: the body carries the appeal code that came
    /// with the receipt (docs/moderation.md). A wrong code is 403; the receipt id alone is public and not enough.
    /// </summary>
    [Function("AppealReceipt")]
    [RequestBody<AppealInput>("reason", "appealCode")]
    [ProducesResponseType<AppealResponse>(201), ProducesResponseType(403), ProducesResponseType(409)]
    public async Task<IResult> Appeal([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/processes/{processId}/receipts/{receiptId}/appeal")] HttpRequest request,
        string processId, string receiptId, CancellationToken cancellationToken)
    {
        if (await ProcessesApi.FindAsync(processes, processId, cancellationToken) is null) return ProcessesApi.NotFound(processId);
        var (body, problem) = await JsonBody.ReadAsync<AppealInput>(request);
        if (problem is not null) return problem;
        var receiptUrl = $"/api/processes/{processId}/receipts/{receiptId}";
        return await participation.AppealAsync(processId, receiptId, body!.Value, cancellationToken) switch
        {
            Participation.Appealed.Stored stored => TypedResults.Created(receiptUrl, new AppealResponse(receiptId, "pending", stored.Appeal.SubmittedAt, receiptUrl)),
            Participation.Appealed.Invalid invalid => Problems.Validation(invalid.Errors.ToDictionary()),
            Participation.Appealed.WrongCode => TypedResults.Problem(Messages.WrongAppealCode,
                statusCode: StatusCodes.Status403Forbidden, title: Messages.TitleWrongAppealCode),
            Participation.Appealed.AlreadyAppealed already => TypedResults.Problem(Localized.Format(Messages.AlreadyAppealed, already.State),
                statusCode: StatusCodes.Status409Conflict, title: Messages.TitleAlreadyAppealed),
            Participation.Appealed.NotHidden => TypedResults.Problem(Messages.NotHidden,
                statusCode: StatusCodes.Status409Conflict, title: Messages.TitleNotHidden),
            _ => Problems.NotFound(Localized.Format(Messages.NoReceiptInProcess, receiptId, processId)),
        };
    }

    static IResult NoItem(string processId, string itemId) => Problems.NotFound(Localized.Format(Messages.NoItem, itemId, processId));
}
