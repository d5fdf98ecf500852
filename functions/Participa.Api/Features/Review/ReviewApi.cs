using System.ComponentModel;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Participa.Api.Features.Processes;
using Participa.Api.Hosting;
using Participa.Api.Http;
using Participa.Domain;
using Participa.Storage;

namespace Participa.Api.Features.Review;

public sealed record ReviewOpinionResponse(
    string Id, string? Article, string Position, string Reasons, ParticipantView Participant, DateTimeOffset SubmittedAt,
    bool Reviewed, DateTimeOffset? ReviewedAt, IReadOnlyList<string> Tags, string ETag)
{
    public static ReviewOpinionResponse From(ReviewedOpinion r)
    {
        var o = r.Stored.Item;
        return new(o.Id, o.Article, o.Position, o.Reasons, ParticipantView.From(o.Participant), o.SubmittedAt,
            r.Reviewed, r.Reviewed ? r.ReviewedAt : null, r.Tags, ReviewApi.ETagOf(r.ReviewVersion));
    }
}

public sealed record CampaignResponse(
    string Id, int Count, IReadOnlyDictionary<string, int> Positions, int DistinctTexts, string RepresentativeId, string? RepresentativeText,
    DateTimeOffset FirstSubmittedAt, DateTimeOffset LastSubmittedAt, IReadOnlyList<string> MemberIds, bool MembersTruncated);

public sealed record CampaignsResponse(IReadOnlyList<CampaignResponse> Items, int Groups, int GroupedOpinions, int Opinions, DateTimeOffset ComputedAt);

public sealed record MarkCampaignInput
{
    public bool? Reviewed { get; init; }
}

public sealed record MarkCampaignResponse(string CampaignId, int Count, int Changed, int AlreadyDone, int Remaining);

public sealed record OfficialResponseView(int Version, string Text, string Commission, DateTimeOffset PublishedAt);

public sealed record ResponseWithHistory(int Version, string Text, string Commission, DateTimeOffset PublishedAt, IReadOnlyList<OfficialResponseView> History);

/// <summary>Congress staff's review of the opinions on a bill: queue, tags, campaigns, the official response, the export.</summary>
public sealed class ReviewApi(ProcessStore processes, ReviewStore review, TimeProvider clock, OpinionStore opinions)
{
    const int MemberCap = 100;
    const int CampaignsMax = 200;
    /// <summary>Members changed per batch request; past that the answer says how many remain and the client asks again.</summary>
    const int BatchMax = 2000;

    [Function("ListReviewQueue"), StaffOnly(StaffRoles.CongressStaff)]
    [ProducesResponseType<PageResponse<ReviewOpinionResponse>>(200)]
    public async Task<IResult> Queue([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/processes/{processId}/review/opinions")] HttpRequest request,
        string processId, string? article, string? position, string? department, string? sector, string? from, string? to, string? reviewed, string? tag, string? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var errors = new Errors();
        var paging = Paging.Parse(pageSize, continuationToken, errors);
        var filter = ParseFilter(article, position, department, sector, from, to, reviewed, tag, errors);
        if (errors.Any) return Problems.Validation(errors.ToDictionary());
        if (await ProcessesApi.FindAsync(processes, processId, cancellationToken) is null) return ProcessesApi.NotFound(processId);
        return await Paging.RespondAsync(
            () => review.PageAsync(processId, filter, paging.ContinuationToken, paging.PageSize, cancellationToken),
            () => review.CountAsync(processId, filter, cancellationToken),
            ReviewOpinionResponse.From);
    }

    [Function("GetReviewOpinion"), StaffOnly(StaffRoles.CongressStaff)]
    [ProducesResponseType<ReviewOpinionResponse>(200)]
    public async Task<IResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/processes/{processId}/review/opinions/{opinionId}")] HttpRequest request,
        string processId, string opinionId, CancellationToken cancellationToken)
    {
        var response = request.HttpContext.Response;
        if (await ProcessesApi.FindAsync(processes, processId, cancellationToken) is null) return ProcessesApi.NotFound(processId);
        if (!Ids.IsValid(opinionId) || await review.FindAsync(processId, opinionId, cancellationToken) is not { } found) return OpinionNotFound(processId, opinionId);
        response.Headers.ETag = ETagOf(found.ReviewVersion);
        return TypedResults.Ok(ReviewOpinionResponse.From(found));
    }

    /// <summary>If-Match is required: a change made without having seen the current state is how edits get lost.</summary>
    [Function("UpdateReviewOpinion"), StaffOnly(StaffRoles.CongressStaff)]
    [RequestBody<ReviewInput>, RequestHeader(IfMatch.Header, Required = true)]
    [ProducesResponseType<ReviewOpinionResponse>(200), ProducesResponseType(412), ProducesResponseType(428)]
    public async Task<IResult> Update([HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "api/processes/{processId}/review/opinions/{opinionId}")] HttpRequest request,
        string processId, string opinionId, CancellationToken cancellationToken)
    {
        if (await ProcessesApi.FindAsync(processes, processId, cancellationToken) is null) return ProcessesApi.NotFound(processId);
        if (!Ids.IsValid(opinionId)) return OpinionNotFound(processId, opinionId);
        var (body, problem) = await JsonBody.ReadAsync<ReviewInput>(request);
        if (problem is not null) return problem;
        if (request.Headers.IfMatch.ToString() is not { Length: > 0 } ifMatch)
            return TypedResults.Problem(Messages.ReviewIfMatchRequired, statusCode: StatusCodes.Status428PreconditionRequired, title: Messages.TitleIfMatchRequired);
        int? expected = ifMatch.Trim() == "*" ? null : ParseETag(ifMatch);
        if (expected is null && ifMatch.Trim() != "*") return PreconditionFailed(Messages.IfMatchNotOurs);

        var outcome = await review.UpdateAsync(processId, opinionId, body!.Value, expected, Timestamps.Truncate(clock.GetUtcNow()), cancellationToken);
        switch (outcome)
        {
            case ReviewOutcome.Updated updated:
                request.HttpContext.Response.Headers.ETag = ETagOf(updated.Opinion.ReviewVersion);
                return TypedResults.Ok(ReviewOpinionResponse.From(updated.Opinion));
            case ReviewOutcome.Invalid invalid:
                return Problems.Validation(invalid.Errors.ToDictionary());
            case ReviewOutcome.Changed changed:
                return PreconditionFailed(Localized.Format(Messages.OpinionChanged, ETagOf(changed.CurrentVersion)));
            default:
                return OpinionNotFound(processId, opinionId);
        }
    }

    [Function("ListCampaigns"), StaffOnly(StaffRoles.CongressStaff)]
    [ProducesResponseType<CampaignsResponse>(200)]
    public async Task<IResult> ListCampaigns([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/processes/{processId}/review/campaigns")] HttpRequest request,
        string processId, [Description("Groups shown, largest first: 1-200 (default 50).")] string? limit, CancellationToken cancellationToken)
    {
        var max = 50;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out max) || max is < 1 or > CampaignsMax))
            return Problems.Validation(new Dictionary<string, string[]> { ["limit"] = [Localized.Format(Messages.WholeNumberRange, CampaignsMax)] });
        if (await ProcessesApi.FindAsync(processes, processId, cancellationToken) is null) return ProcessesApi.NotFound(processId);

        var index = await review.CampaignsAsync(processId, fresh: false, cancellationToken);
        var top = index.Groups.Take(max).ToList();
        // One point read per group shown, in parallel; a representative hidden since the grouping shows no text.
        var texts = await Task.WhenAll(top.Select(async g => (await opinions.FindAsync(processId, g.RepresentativeId, cancellationToken))?.Item.Reasons));
        var items = top.Select((g, i) => new CampaignResponse(g.Id, g.Count, g.Positions, g.DistinctTexts, g.RepresentativeId, texts[i] is { } text ? Campaigns.Readable(text) : null,
            g.FirstSubmittedAt, g.LastSubmittedAt, g.MemberIds.Take(MemberCap).ToList(), g.MemberIds.Count > MemberCap)).ToList();
        return TypedResults.Ok(new CampaignsResponse(items, index.Groups.Count, index.Groups.Sum(g => g.Count), index.Opinions, index.ComputedAt));
    }

    /// <summary>
    /// Marks every member of a group in one request, though not in one transaction: each opinion is its own
    /// transaction (its copies and receipt), so a failure part-way leaves some marked; asking again finishes the rest.
    /// </summary>
    [Function("MarkCampaignReviewed"), StaffOnly(StaffRoles.CongressStaff)]
    [RequestBody<MarkCampaignInput>("reviewed")]
    [ProducesResponseType<MarkCampaignResponse>(200)]
    public async Task<IResult> MarkCampaign([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/processes/{processId}/review/campaigns/{campaignId}/reviewed")] HttpRequest request,
        string processId, string campaignId, CancellationToken cancellationToken)
    {
        if (await ProcessesApi.FindAsync(processes, processId, cancellationToken) is null) return ProcessesApi.NotFound(processId);
        var (body, problem) = await JsonBody.ReadAsync<MarkCampaignInput>(request);
        if (problem is not null) return problem;
        if (body!.Value.Reviewed is not { } reviewed)
            return Problems.Validation(new Dictionary<string, string[]> { ["reviewed"] = [Localized.Format(Messages.RequiredOneOf, "true, false")] });
        return await MarkAsync(processId, campaignId, reviewed, cancellationToken) is { } marked ? TypedResults.Ok(marked) : CampaignNotFound(campaignId);
    }

    /// <summary>The batch behind MarkCampaignReviewed (and the staff page's button); null when there is no such group.</summary>
    public async Task<MarkCampaignResponse?> MarkAsync(string processId, string campaignId, bool reviewed, CancellationToken cancellationToken)
    {
        if (!Ids.IsValid(campaignId)) return null;
        // Fresh, so the members and their state are as of now, not of a cached grouping.
        var index = await review.CampaignsAsync(processId, fresh: true, cancellationToken);
        if (index.Groups.FirstOrDefault(g => g.Id == campaignId) is not { } group) return null;
        var already = await review.ReviewedIdsAsync(processId, cancellationToken);
        var pending = group.MemberIds.Where(id => already.Contains(id) != reviewed).ToList();
        var now = Timestamps.Truncate(clock.GetUtcNow());
        var changed = 0;
        await Parallel.ForEachAsync(pending.Take(BatchMax), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (id, ct) =>
        {
            // A concurrent edit of one member is retried once on its new state: the batch sets only the flag.
            for (var attempt = 0; attempt < 2; attempt++)
                if (await review.UpdateAsync(processId, id, new ReviewInput { Reviewed = reviewed }, null, now, ct) is ReviewOutcome.Updated)
                {
                    Interlocked.Increment(ref changed);
                    break;
                }
        });
        review.Forget(processId);
        return new MarkCampaignResponse(campaignId, group.Count, changed, group.Count - pending.Count, pending.Count - changed);
    }

    [Function("PublishOfficialResponse"), StaffOnly(StaffRoles.CongressStaff)]
    [RequestBody<ResponseInput>("text", "commission")]
    [ProducesResponseType<OfficialResponseView>(200), ProducesResponseType(409)]
    public async Task<IResult> PublishResponse([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/processes/{processId}/review/response")] HttpRequest request,
        string processId, CancellationToken cancellationToken)
    {
        if (await ProcessesApi.FindAsync(processes, processId, cancellationToken) is not { } process) return ProcessesApi.NotFound(processId);
        var (body, problem) = await JsonBody.ReadAsync<ResponseInput>(request);
        if (problem is not null) return problem;
        return await PublishAsync(process, body!.Value, cancellationToken);
    }

    /// <summary>Publishes the next version of the commission's response (the API's PUT and the staff page's form).</summary>
    public async Task<IResult> PublishAsync(Process process, ResponseInput input, CancellationToken cancellationToken)
    {
        var processId = process.Id;
        if (process.Kind != ProcessKind.LegislativeInitiative)
            return TypedResults.Problem(Localized.Format(Messages.NotABill, processId),
                statusCode: StatusCodes.Status409Conflict, title: Messages.TitleNotABill);

        var latest = (await review.ResponsesAsync(processId, 1, cancellationToken)).FirstOrDefault();
        var errors = new Errors();
        if (OfficialResponse.Create(input, (latest?.Version ?? 0) + 1, Timestamps.Truncate(clock.GetUtcNow()), errors) is not { } response)
            return Problems.Validation(errors.ToDictionary());
        if (!await review.AddResponseAsync(processId, response, cancellationToken))
            return TypedResults.Problem(Messages.PublishedConcurrently,
                statusCode: StatusCodes.Status409Conflict, title: Messages.TitlePublishedConcurrently);
        return TypedResults.Ok(View(response));
    }

    [Function("GetOfficialResponse")]
    [ProducesResponseType<ResponseWithHistory>(200)]
    public async Task<IResult> GetResponse([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/processes/{processId}/response")] HttpRequest request,
        string processId, CancellationToken cancellationToken)
    {
        if (await ProcessesApi.FindAsync(processes, processId, cancellationToken) is null) return ProcessesApi.NotFound(processId);
        var all = await review.ResponsesAsync(processId, 100, cancellationToken);
        if (all.Count == 0) return Problems.NotFound(Localized.Format(Messages.NoOfficialResponse, processId));
        var current = all[0];
        return TypedResults.Ok(new ResponseWithHistory(current.Version, current.Text, current.Commission, current.PublishedAt, all.Skip(1).Select(View).ToList()));
    }

    /// <summary>
    /// Streams the CSV row by row from a projection scan, so 100,000 opinions never sit in memory as one text. The
    /// columns are a fixed list: never the email, and never gender or age band per row.
    /// </summary>
    [Function("ExportReviewedOpinions"), StaffOnly(StaffRoles.CongressStaff)]
    [ProducesResponseType<string>(200, "text/csv")]
    public async Task<IResult> Export([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/processes/{processId}/review/export.csv")] HttpRequest request,
        string processId, [Description("true (the default), false or all.")] string? reviewed, CancellationToken cancellationToken)
    {
        var context = request.HttpContext;
        var errors = new Errors();
        bool? filter = reviewed is "all" ? null : ParseBool(reviewed ?? "true", "reviewed", errors, allowAll: true);
        if (errors.Any) return Problems.Validation(errors.ToDictionary());
        if (await ProcessesApi.FindAsync(processes, processId, cancellationToken) is null) return ProcessesApi.NotFound(processId);
        var campaigns = await review.CampaignsAsync(processId, fresh: false, cancellationToken);

        return TypedResults.Stream(async stream =>
        {
            await using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 64 * 1024);
            await writer.WriteAsync(Csv.Line(["id", "submittedAt", "article", "position", "reasons", "department", "municipality", "sector",
                "tags", "reviewed", "campaignId", "authorName", "authorOrganisation"]));
            await foreach (var row in review.ExportAsync(processId, filter, cancellationToken))
            {
                var id = row.GetString("Id");
                await writer.WriteAsync(Csv.Line([
                    id, Timestamps.Format(row.GetDateTimeOffset("SubmittedAt")!.Value), row.GetString("Article"), row.GetString("Position"),
                    row.GetString("Reasons"), row.GetString("Department"), row.GetString("Municipality"), row.GetString("Sector"),
                    row.GetString("Tags"), Csv.Bool(row.GetBoolean("Reviewed") ?? false), campaigns.GroupOf.GetValueOrDefault(id),
                    row.GetString("AuthorName"), row.GetString("AuthorOrganisation"),
                ]));
            }
        }, "text/csv; charset=utf-8", $"{processId}-opinions.csv");
    }

    /// <summary>The queue's filters as the query gives them; errors are added for the ones that cannot be.</summary>
    public static ReviewFilter ParseFilter(string? article, string? position, string? department, string? sector, string? from, string? to,
        string? reviewed, string? tag, Errors errors)
    {
        if (position is not null && !Positions.All.Contains(position)) errors.Add("position", Localized.Format(Messages.OneOf, string.Join(", ", Positions.All)));
        if (department is not null && Departments.Find(department) is null) errors.Add("department", Messages.DepartmentInvalid);
        if (sector is not null && !Slug.IsValid(sector, 63)) errors.Add("sector", Messages.SectorFormat);
        if (article is not null && !Slug.IsValid(article, 63)) errors.Add("article", Messages.ArticleFormat);
        if (tag is not null && !Domain.Review.IsTag(tag)) errors.Add("tag", Localized.Format(Messages.TagFormat, Domain.Review.TagMax));
        var isReviewed = ParseBool(reviewed, "reviewed", errors);
        var fromDate = ParseDate(from, "from", errors);
        var toDay = ParseDate(to, "to", errors);
        if (fromDate is { } first && toDay is { } last && first > last) errors.Add("to", Messages.ToNotBeforeFrom);
        // 'to' is inclusive: the range ends at the next midnight, or stays open after the last day a date can hold.
        var toDate = toDay is { } day && day < DateTimeOffset.MaxValue.AddDays(-1) ? day.AddDays(1) : (DateTimeOffset?)null;
        return new ReviewFilter(article, position, department, sector, fromDate, toDate, isReviewed, tag);
    }

    public static string ETagOf(int version) => $"\"r{version.ToString(CultureInfo.InvariantCulture)}\"";

    static int? ParseETag(string value)
    {
        var v = value.Trim();
        if (v.StartsWith("W/", StringComparison.Ordinal)) v = v[2..];
        return v.Length > 3 && v[0] == '"' && v[^1] == '"' && v[1] == 'r'
               && int.TryParse(v.AsSpan(2, v.Length - 3), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    static bool? ParseBool(string? value, string field, Errors errors, bool allowAll = false)
    {
        switch (value)
        {
            case null: return null;
            case "true": return true;
            case "false": return false;
            default:
                errors.Add(field, Localized.Format(Messages.OneOf, allowAll ? "true, false, all" : "true, false"));
                return null;
        }
    }

    static DateTimeOffset? ParseDate(string? value, string field, Errors errors)
    {
        if (value is null) return null;
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        errors.Add(field, Messages.UtcDate);
        return null;
    }

    static OfficialResponseView View(OfficialResponse r) => new(r.Version, r.Text, r.Commission, r.PublishedAt);

    static IResult OpinionNotFound(string processId, string opinionId) => Problems.NotFound(Localized.Format(Messages.NoOpinion, opinionId, processId));

    static IResult CampaignNotFound(string campaignId) => Problems.NotFound(Localized.Format(Messages.NoCampaign, campaignId));

    static IResult PreconditionFailed(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status412PreconditionFailed, title: Messages.TitlePreconditionFailed);
}
