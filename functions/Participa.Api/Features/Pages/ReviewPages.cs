using Microsoft.AspNetCore.Http.HttpResults;
using Participa.Api.Features.Review;
using Participa.Api.Features.Submitting;
using Participa.Api.Hosting;
using Participa.Api.Http;
using Participa.Domain;
using Participa.Storage;
using Participa.Web;
using Participa.Web.Pages;

namespace Participa.Api.Features.Pages;

/// <summary>
/// Congress staff's pages over the review API: the queue with its filters, one opinion's tags and reviewed state,
/// campaigns, the official response and the export. The rules are the API's: these pages call it and render its answers.
/// </summary>
public sealed class ReviewPages(Html html, Participation participation, ReviewApi api, ReviewStore review, DocumentStore documents, TimeProvider clock)
{
    [Function("ReviewQueuePage"), StaffOnly(StaffRoles.CongressStaff)]
    public async Task<IResult> Queue([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/processes/{processId}/review")] HttpRequest request,
        string processId, CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        if (await participation.FindProcessAsync(processId, cancellationToken) is not { } process) return await html.NotFoundAsync(request, context);
        string? Q(string name) => request.Query[name].ToString() is { Length: > 0 } v ? v : null;
        var filters = ReviewFilters.Select(f => (f, Q(f))).Where(p => p.Item2 is not null).ToDictionary(p => p.f, p => p.Item2);
        var answer = await api.Queue(request, processId, Q("article"), Q("position"), Q("department"), Q("sector"), Q("from"), Q("to"),
            Q("reviewed"), Q("tag"), "20", Q("page"), cancellationToken);
        var errors = Errors(answer);
        if (answer is not Ok<PageResponse<ReviewOpinionResponse>> && errors is null) return await html.NotFoundAsync(request, context);
        var page = (answer as Ok<PageResponse<ReviewOpinionResponse>>)?.Value;
        var query = string.Join('&', filters.Select(f => $"{f.Key}={Uri.EscapeDataString(f.Value!)}"));
        var next = page?.ContinuationToken is { } token ? $"{StaffUrls.Review(processId)}?{query}{(query.Length > 0 ? "&" : "")}page={Uri.EscapeDataString(token)}" : null;
        var bill = await participation.FindBillAsync(processId, cancellationToken);
        var version = bill is null ? null : await documents.FindVersionAsync(processId, bill.Id, bill.LatestVersion, cancellationToken);
        return await html.PageAsync<ReviewQueuePage>(request, context, new
        {
            Process = process,
            Articles = version?.Sections.Select(s => (s.Id, $"{s.Number} {s.Title}".Trim())).ToList() ?? [],
            Rows = page?.Items.Select(o => new ReviewRow(o.Id, o.Article, o.Position, Excerpt(o.Reasons), o.Participant.Department, o.SubmittedAt, o.Reviewed, o.Tags)).ToList() ?? [],
            Pager = new Pager(next, page?.Count ?? 0),
            Filters = new FormState(filters, (errors ?? new Dictionary<string, string[]>()).AsReadOnly()),
            Return = request.Path + request.QueryString,
        }, errors is null ? 200 : 422);
    }

    [Function("ReviewOpinionPage"), StaffOnly(StaffRoles.CongressStaff)]
    public async Task<IResult> Opinion([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/processes/{processId}/review/opinions/{opinionId}")] HttpRequest request,
        string processId, string opinionId, string? @return, CancellationToken cancellationToken) =>
        await OpinionAsync(request, html.Context(request), processId, opinionId, StaffPages.SafeReturn(@return ?? StaffUrls.Review(processId)), null, null, 200, cancellationToken);

    /// <summary>Tags are edited as one list; what changed is sent as additions and removals, with the version the page showed.</summary>
    [Function("UpdateReviewOpinionForm"), StaffOnly(StaffRoles.CongressStaff)]
    public async Task<IResult> UpdateOpinion([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/processes/{processId}/review/opinions/{opinionId}")] HttpRequest request,
        string processId, string opinionId, CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        var (form, problem) = await Html.ReadFormAsync(request);
        if (problem is not null) return problem;
        var back = StaffPages.SafeReturn(form!["return"]);
        if (await participation.FindProcessAsync(processId, cancellationToken) is null || !Ids.IsValid(opinionId)
            || await review.FindAsync(processId, opinionId, cancellationToken) is not { } found)
            return await html.NotFoundAsync(request, context);
        var tags = form["tags"].ToString().Split([',', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(t => t.ToLowerInvariant()).Distinct().ToArray();
        var input = new ReviewInput
        {
            Reviewed = form["reviewed"].ToString() == "true",
            AddTags = tags.Except(found.Tags).ToArray(),
            RemoveTags = found.Tags.Except(tags).ToArray(),
        };
        int? version = int.TryParse(form["version"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : -1;
        var outcome = await review.UpdateAsync(processId, opinionId, input, version, Timestamps.Truncate(clock.GetUtcNow()), cancellationToken);
        return outcome switch
        {
            ReviewOutcome.Updated => Html.SeeOther(back),
            ReviewOutcome.Invalid invalid => await OpinionAsync(request, context, processId, opinionId, back,
                Html.State(form, invalid.Errors.ToDictionary()), null, 422, cancellationToken),
            ReviewOutcome.Changed => await OpinionAsync(request, context, processId, opinionId, back, null,
                Web.Resources.UI.ReviewChanged, 409, cancellationToken),
            _ => await html.NotFoundAsync(request, context),
        };
    }

    async Task<IResult> OpinionAsync(HttpRequest request, PageContext context, string processId, string opinionId, string back, FormState? form,
        string? notice, int status, CancellationToken cancellationToken)
    {
        if (await participation.FindProcessAsync(processId, cancellationToken) is not { } process || !Ids.IsValid(opinionId)
            || await review.FindAsync(processId, opinionId, cancellationToken) is not { } found)
            return await html.NotFoundAsync(request, context);
        var o = found.Stored.Item;
        return await html.PageAsync<ReviewOpinionPage>(request, context, new
        {
            Process = process, Opinion = o, Reviewed = found.Reviewed, Tags = found.Tags, Version = found.ReviewVersion, Return = back, Notice = notice,
            Form = form ?? new FormState(new Dictionary<string, string?> { ["tags"] = string.Join(", ", found.Tags), ["reviewed"] = found.Reviewed ? "true" : null },
                new Dictionary<string, string[]>()),
        }, status);
    }

    [Function("CampaignsPage"), StaffOnly(StaffRoles.CongressStaff)]
    public async Task<IResult> Campaigns([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/processes/{processId}/review/campaigns")] HttpRequest request,
        string processId, CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        if (await participation.FindProcessAsync(processId, cancellationToken) is not { } process
            || await api.ListCampaigns(request, processId, "200", cancellationToken) is not Ok<CampaignsResponse> { Value: { } campaigns })
            return await html.NotFoundAsync(request, context);
        return await html.PageAsync<CampaignsPage>(request, context, new
        {
            Process = process, Opinions = campaigns.Opinions, ComputedAt = campaigns.ComputedAt,
            Groups = campaigns.Items.Select(c => new CampaignModel(c.Id, c.Count, c.Positions, c.DistinctTexts, c.RepresentativeText ?? "",
                c.FirstSubmittedAt, c.LastSubmittedAt, [], 0)).ToList(),
        });
    }

    [Function("CampaignPage"), StaffOnly(StaffRoles.CongressStaff)]
    public async Task<IResult> Campaign([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/processes/{processId}/review/campaigns/{campaignId}")] HttpRequest request,
        string processId, string campaignId, string? marked, string? remaining, CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        if (await participation.FindProcessAsync(processId, cancellationToken) is not { } process || !Ids.IsValid(campaignId))
            return await html.NotFoundAsync(request, context);
        // Right after marking, the grouping is read afresh: the staffer expects to see their change.
        var index = await review.CampaignsAsync(processId, fresh: marked is not null, cancellationToken);
        if (index.Groups.FirstOrDefault(g => g.Id == campaignId) is not { } group) return await html.NotFoundAsync(request, context);
        var representative = await review.FindAsync(processId, group.RepresentativeId, cancellationToken);
        var reviewed = await review.ReviewedIdsAsync(processId, cancellationToken);
        var model = new CampaignModel(group.Id, group.Count, group.Positions, group.DistinctTexts, Domain.Campaigns.Readable(representative?.Stored.Item.Reasons),
            group.FirstSubmittedAt, group.LastSubmittedAt, group.MemberIds.Take(100).ToList(), group.MemberIds.Count(reviewed.Contains));
        return await html.PageAsync<CampaignPage>(request, context, new
        {
            Process = process, Campaign = model,
            Notice = marked is null ? null : Display.Format(Web.Resources.UI.CampaignMarked, marked, remaining ?? "0"),
        });
    }

    [Function("MarkCampaignReviewedForm"), StaffOnly(StaffRoles.CongressStaff)]
    public async Task<IResult> MarkCampaign([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/processes/{processId}/review/campaigns/{campaignId}/reviewed")] HttpRequest request,
        string processId, string campaignId, CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        var (form, problem) = await Html.ReadFormAsync(request);
        if (problem is not null) return problem;
        if (await participation.FindProcessAsync(processId, cancellationToken) is null
            || await api.MarkAsync(processId, campaignId, form!["reviewed"].ToString() != "false", cancellationToken) is not { } marked)
            return await html.NotFoundAsync(request, context);
        return Html.SeeOther($"{StaffUrls.Campaigns(processId)}/{campaignId}?marked={marked.Changed}&remaining={marked.Remaining}");
    }

    [Function("OfficialResponsePage"), StaffOnly(StaffRoles.CongressStaff)]
    public async Task<IResult> Response([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/processes/{processId}/review/response")] HttpRequest request,
        string processId, string? published, CancellationToken cancellationToken) =>
        await ResponseAsync(request, html.Context(request), processId, FormState.Empty, published is null ? null : Web.Resources.UI.ResponsePublished, 200, cancellationToken);

    [Function("PublishOfficialResponseForm"), StaffOnly(StaffRoles.CongressStaff)]
    public async Task<IResult> PublishResponse([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/processes/{processId}/review/response")] HttpRequest request,
        string processId, CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        var (form, problem) = await Html.ReadFormAsync(request);
        if (problem is not null) return problem;
        if (await participation.FindProcessAsync(processId, cancellationToken) is not { } process) return await html.NotFoundAsync(request, context);
        var answer = await api.PublishAsync(process, new ResponseInput { Text = Html.Value(form!, "text"), Commission = Html.Value(form!, "commission") }, cancellationToken);
        if (answer is Ok<OfficialResponseView>) return Html.SeeOther(StaffUrls.Response(processId) + "?published=1");
        var state = Html.State(form!, Errors(answer) ?? new Dictionary<string, string[]>());
        return await ResponseAsync(request, context, processId, state, (answer as ProblemHttpResult)?.ProblemDetails.Detail, 422, cancellationToken);
    }

    async Task<IResult> ResponseAsync(HttpRequest request, PageContext context, string processId, FormState form, string? notice, int status, CancellationToken cancellationToken)
    {
        if (await participation.FindProcessAsync(processId, cancellationToken) is not { } process) return await html.NotFoundAsync(request, context);
        var current = (await review.ResponsesAsync(processId, 1, cancellationToken)).FirstOrDefault();
        return await html.PageAsync<OfficialResponsePage>(request, context, new { Process = process, Current = current, Form = form, Notice = notice }, status);
    }

    /// <summary>The API's export, for a signed-in browser: the same columns, never an email.</summary>
    [Function("ExportReviewPage"), StaffOnly(StaffRoles.CongressStaff)]
    public Task<IResult> Export([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/processes/{processId}/review/export.csv")] HttpRequest request,
        string processId, string? reviewed, CancellationToken cancellationToken) =>
        api.Export(request, processId, reviewed, cancellationToken);

    static readonly string[] ReviewFilters = ["article", "position", "department", "sector", "from", "to", "reviewed", "tag"];

    static IDictionary<string, string[]>? Errors(IResult answer) => answer is ValidationProblem v ? v.ProblemDetails.Errors : null;

    static string Excerpt(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
