
using Participa.Api.Hosting;
using Participa.Api.Features.Submitting;
using Participa.Domain;
using Participa.Storage;
using Participa.Web;
using Participa.Web.Pages;

namespace Participa.Api.Features.Pages;

/// <summary>Moderators' pages: the queue, oldest first, and one item with its reports, history and the decision form.</summary>
public sealed class ModerationPages(Html html, Participation participation, ModerationStore moderation, TimeProvider clock)
{
    const int PageSize = 20;

    [Function("ModerationQueuePage"), StaffOnly(StaffRoles.Moderator)]
    public async Task<IResult> Queue([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/processes/{processId}/moderation")] HttpRequest request,
        string processId, string? page, string? decided, CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        if (await participation.FindProcessAsync(processId, cancellationToken) is not { } process) return await html.NotFoundAsync(request, context);
        Page<QueueEntry> entries;
        try
        {
            entries = await moderation.QueueAsync(processId, page, PageSize, cancellationToken);
        }
        catch (FormatException)
        {
            return await html.NotFoundAsync(request, context);
        }
        var next = entries.ContinuationToken is { } token ? $"{StaffUrls.Moderation(processId)}?page={Uri.EscapeDataString(token)}" : null;
        return await html.PageAsync<ModerationQueuePage>(request, context, new
        {
            Process = process, Entries = entries.Items.Select(e => new ModerationEntryModel(e.Item.Id, e.Item.Kind, e.Item.State, e.QueuedAt,
                e.Reports.Pending, e.Reports.PendingByReason, Excerpt(e.Item.Content))).ToList(), Pager = new Pager(next, await moderation.QueueCountAsync(processId, cancellationToken)),
            Decided = decided is not null && Ids.IsValid(decided) ? decided : null,
        });
    }

    [Function("ModerationItemPage"), StaffOnly(StaffRoles.Moderator)]
    public async Task<IResult> Item([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/processes/{processId}/moderation/{itemId}")] HttpRequest request,
        string processId, string itemId, CancellationToken cancellationToken) =>
        await ItemAsync(request, html.Context(request), processId, itemId, FormState.Empty, null, 200, cancellationToken);

    /// <summary>The decision carries the ETag of the item the moderator was looking at: if it changed meanwhile, nothing is applied.</summary>
    [Function("DecideModerationForm"), StaffOnly(StaffRoles.Moderator)]
    public async Task<IResult> Decide([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/processes/{processId}/moderation/{itemId}")] HttpRequest request,
        string processId, string itemId, CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        var (form, problem) = await Html.ReadFormAsync(request);
        if (problem is not null) return problem;
        if (await participation.FindProcessAsync(processId, cancellationToken) is null || !Ids.IsValid(itemId)
            || await moderation.ReceiptAsync(processId, itemId, cancellationToken) is not { } receipt)
            return await html.NotFoundAsync(request, context);
        var now = Timestamps.Truncate(clock.GetUtcNow());
        var errors = new Errors();
        var input = new DecisionInput(Html.Value(form!, "action"), Html.Value(form!, "reasonCategory"), Html.Value(form!, "note"));
        if (Decision.Create(input, itemId, Ids.New(now), now, request.HttpContext.User.StaffId(), errors) is not { } decision)
            return await ItemAsync(request, context, processId, itemId, Html.State(form!, errors.ToDictionary()), null, 422, cancellationToken);
        var etag = form!["etag"].ToString();
        var outcome = etag.Length is 0 or > 100
            ? new ModerationStore.DecisionOutcome.Stale("")
            : await moderation.DecideAsync(processId, decision, receipt.GetString("Kind"), new Azure.ETag(etag), cancellationToken);
        return outcome switch
        {
            ModerationStore.DecisionOutcome.Decided => Html.SeeOther($"{StaffUrls.Moderation(processId)}?decided={itemId}"),
            ModerationStore.DecisionOutcome.Stale => await ItemAsync(request, context, processId, itemId, Html.State(form!, new Dictionary<string, string[]>()),
                Web.Resources.UI.ModerationChanged, 409, cancellationToken),
            _ => await html.NotFoundAsync(request, context),
        };
    }

    async Task<IResult> ItemAsync(HttpRequest request, PageContext context, string processId, string itemId, FormState form, string? notice, int status,
        CancellationToken cancellationToken)
    {
        if (await participation.FindProcessAsync(processId, cancellationToken) is not { } process || !Ids.IsValid(itemId)
            || await moderation.ItemAsync(processId, itemId, cancellationToken) is not { } item)
            return await html.NotFoundAsync(request, context);
        var history = await moderation.HistoryAsync(processId, itemId, cancellationToken);
        var model = new ModerationItemModel(item.Id, item.Kind, item.State, item.ReasonCategory, item.Reason, Domain.Moderation.Format(item.Appeal), item.ETag,
            item.Content.Select(c => (c.Key, c.Value is DateTimeOffset t ? Display.When(t) : Convert.ToString(c.Value, System.Globalization.CultureInfo.CurrentCulture) ?? "")).ToList(),
            history.Decisions.Select(d => new ModerationLogEntry(d.Id, d.DecidedAt, d.ItemId, d.Kind, d.Action, d.Effect, d.ReasonCategory, d.Note, d.AppealResolution)).ToList(),
            history.Reports.Select(r => new ReportModel(r.Reason, r.Note, r.ReportedAt, r.Pending)).ToList(),
            history.Appeal is { } a ? new AppealModel(Domain.Moderation.Format(a.State), a.Reason, a.SubmittedAt) : null);
        return await html.PageAsync<ModerationItemPage>(request, context, new { Process = process, Item = model, Form = form, Notice = notice }, status);
    }

    /// <summary>What the queue shows of an item: its title or text, cut short.</summary>
    static string Excerpt(IReadOnlyDictionary<string, object?> content)
    {
        var text = (content.GetValueOrDefault("title") ?? content.GetValueOrDefault("text") ?? content.GetValueOrDefault("reasons")) as string ?? "";
        return text.Length <= 160 ? text : text[..160] + "…";
    }
}
