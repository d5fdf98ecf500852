using System.Text.Json;
using Participa.Api.Features.Participants;
using Participa.Api.Features.Submitting;
using Participa.Api.Features.Summaries;
using Participa.Api.Http;
using Participa.Domain;
using Participa.Storage;
using Participa.Web;
using Participa.Web.Resources;
using Participa.Web.Pages;

namespace Participa.Api.Features.Pages;

/// <summary>
/// The citizens' pages: HTML rendered here, forms posted here, no script. Every submission goes through
/// <see cref="Participation"/>, the same rules and storage as the API.
/// </summary>
public sealed class CitizenPages(Html html, Participation participation, ProcessStore processes, DocumentStore documents, ProposalStore proposals,
    CommentStore comments, SupportStore supports, ReceiptStore receipts, ModerationStore moderation, PublishedFiles published,
    ParticipantTokens tokens, RateLimiting limits, RateLimitOptions limitOptions)
{
    const int PageSize = 20;

    [Function("HomePage")]
    public async Task<IResult> Home([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "{ignored:maxlength(0)?}")] HttpRequest request, CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        var all = (await processes.ListAsync(cancellationToken)).OrderBy(p => p.Phases.Count == 0 ? DateTimeOffset.MaxValue : p.Phases.Min(ph => ph.Opens)).ToList();
        return await html.PageAsync<HomePage>(request, context, new { Processes = all });
    }

    /// <summary>The language links: remember the choice in a cookie and go back to the page (only a path on this site).</summary>
    [Function("ChooseLanguage")]
    public IResult Language([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "language")] HttpRequest request, string? to, string? @return)
    {
        var back = @return is { Length: > 0 } r && r[0] == '/' && !r.StartsWith("//", StringComparison.Ordinal) && !r.Contains('\\') ? r : "/";
        if (to is not null && html.Supports(to))
            request.HttpContext.Response.Cookies.Append(Html.LanguageCookie, to, html.Cookie(request, TimeSpan.FromDays(365), "/", httpOnly: false));
        return Html.SeeOther(back);
    }

    [Function("GetAsset")]
    public IResult Asset([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "assets/{name}")] HttpRequest request, string name)
    {
        if (StaticAssets.Find(name) is not { } asset) return Http.Problems.NotFound($"There is no asset '{name}'.");
        // The name carries the content's hash: a changed file is a new name, so this one never changes.
        request.HttpContext.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        request.HttpContext.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.Bytes(asset.Content, asset.ContentType);
    }

    [Function("ProcessPage")]
    public async Task<IResult> Process([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "processes/{processId}")] HttpRequest request,
        string processId, CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        if (await participation.FindProcessAsync(processId, cancellationToken) is not { } process) return await html.NotFoundAsync(request, context);
        return await html.PageAsync<ProcessPage>(request, context, new { Process = process, Documents = await documents.ListAsync(processId, cancellationToken) });
    }

    [Function("ProposalForm")]
    public async Task<IResult> ProposalForm([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "processes/{processId}/propose")] HttpRequest request,
        string processId, CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        if (await participation.FindProcessAsync(processId, cancellationToken) is not { } process) return await html.NotFoundAsync(request, context);
        return await ProposalFormAsync(request, context, process, FormState.Empty, Html.NewKey(), 200);
    }

    [Function("SubmitProposalForm")]
    public async Task<IResult> SubmitProposal([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "processes/{processId}/propose")] HttpRequest request,
        string processId, CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        if (await participation.FindProcessAsync(processId, cancellationToken) is not { } process) return await html.NotFoundAsync(request, context);
        var (form, problem) = await Html.ReadFormAsync(request);
        if (problem is not null) return problem;
        var input = Html.Participant(form!, new ProposalInput
        {
            Title = Html.Value(form!, "title"), Problem = Html.Value(form!, "problem"),
            ProposedSolution = Html.Value(form!, "proposedSolution"), Theme = Html.Value(form!, "theme"),
        });
        var result = await participation.ProposeAsync(processId, input, Html.Key(request, form!), cancellationToken);
        return await AfterSubmitAsync(request, context, processId, result, form!,
            state => ProposalFormAsync(request, context, process, state, form!["idempotencyKey"].ToString(), 422), cancellationToken);
    }

    Task<IResult> ProposalFormAsync(HttpRequest request, PageContext context, Domain.Process process, FormState form, string key, int status) =>
        html.PageAsync<ProposalFormPage>(request, context, new
        {
            Process = process, Form = form, IdempotencyKey = key,
            Closed = process.CheckOpen(SubmissionKind.Proposal, context.Now)?.Message,
        }, process.CheckOpen(SubmissionKind.Proposal, context.Now) is null ? status : 200);

    [Function("ProposalsPage")]
    public async Task<IResult> Proposals([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "processes/{processId}/proposals")] HttpRequest request,
        string processId, string? theme, string? page, CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        if (await participation.FindProcessAsync(processId, cancellationToken) is not { } process) return await html.NotFoundAsync(request, context);
        var chosen = theme is null ? null : process.FindTheme(theme);
        if (theme is not null && chosen is null) return await html.NotFoundAsync(request, context);
        var filter = new ProposalFilter(chosen?.Id);
        Page<Stored<Proposal>> items;
        try
        {
            items = await proposals.ListAsync(processId, filter, page, PageSize, cancellationToken);
        }
        catch (FormatException)
        {
            return await html.NotFoundAsync(request, context);
        }
        var next = items.ContinuationToken is { } token
            ? $"{Urls.Proposals(processId)}?{(chosen is null ? "" : $"theme={chosen.Id}&")}page={Uri.EscapeDataString(token)}" : null;
        return await html.PageAsync<ProposalsPage>(request, context, new
        {
            Process = process, Items = items.Items.Select(s => s.Item).ToList(), Theme = chosen,
            Pager = new Pager(next, await proposals.CountAsync(processId, filter, cancellationToken)),
        });
    }

    [Function("ProposalPage")]
    public async Task<IResult> Proposal([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "processes/{processId}/proposals/{proposalId}")] HttpRequest request,
        string processId, string proposalId, string? supported, CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        if (await participation.FindProcessAsync(processId, cancellationToken) is not { } process
            || !Ids.IsValid(proposalId) || await proposals.FindAsync(processId, proposalId, cancellationToken) is not { } found)
            return await html.NotFoundAsync(request, context);
        return await html.PageAsync<ProposalPage>(request, context, new
        {
            // Right after a support, counted afresh: the supporter expects to see it.
            Process = process, Proposal = found.Item, Supports = await supports.CountAsync(processId, proposalId, cancellationToken, fresh: supported is not null),
            IdempotencyKey = Html.NewKey(), CanSupport = process.CheckOpen(SubmissionKind.Support, context.Now) is null,
            Notice = supported switch { "1" => UI.SupportStored, "again" => UI.AlreadySupported, _ => null },
        });
    }

    /// <summary>A support from this browser: its participant token comes from a cookie, made here on the first support.</summary>
    [Function("SupportProposalForm")]
    public async Task<IResult> Support([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "processes/{processId}/proposals/{proposalId}/support")] HttpRequest request,
        string processId, string proposalId, CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        var (form, problem) = await Html.ReadFormAsync(request);
        if (problem is not null) return problem;
        var token = tokens.FromRequest(request);
        if (await tokens.VerifyAsync(token, cancellationToken) is not { } supporter)
        {
            // A new participant from the form costs what one from POST /api/participants costs, or the form would be
            // the way around the minting limit.
            if (limits.AcquireToken(request.HttpContext) is { } retryAfter)
            {
                request.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests);
            }
            token = await tokens.MintAsync(limits.TokensMintedThisHour(request.HttpContext) > limitOptions.QuietTokensPerHour, cancellationToken);
            supporter = (await tokens.VerifyAsync(token, cancellationToken))!;
            request.HttpContext.Response.Cookies.Append(ParticipantTokens.Cookie, token, html.Cookie(request, TimeSpan.FromDays(365), "/"));
        }
        var result = await participation.SupportAsync(processId, proposalId, supporter.Key, supporter.MintedInBurst, Html.Key(request, form!), cancellationToken);
        return result switch
        {
            Submitted.Written { Outcome: WriteOutcome.Stored or WriteOutcome.Replayed } => Html.SeeOther(Urls.Proposal(processId, proposalId) + "?supported=1"),
            Submitted.Written { Outcome: WriteOutcome.Duplicate } => Html.SeeOther(Urls.Proposal(processId, proposalId) + "?supported=again"),
            Submitted.Closed closed => await MessageAsync(request, context, UI.SendProposal, closed.Window.Message, 409),
            _ => await html.NotFoundAsync(request, context),
        };
    }

    [Function("DocumentPage")]
    public async Task<IResult> Document([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "processes/{processId}/documents/{documentId}")] HttpRequest request,
        string processId, string documentId, CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        if (await participation.FindProcessAsync(processId, cancellationToken) is not { } process
            || !Slug.IsValid(documentId, 63) || await documents.FindAsync(processId, documentId, cancellationToken) is not { } document
            || await documents.FindVersionAsync(processId, documentId, document.LatestVersion, cancellationToken) is not { } version)
            return await html.NotFoundAsync(request, context);
        var counts = document.Kind == DocumentKind.Bill ? new Dictionary<string, int>()
            : await comments.CountBySectionAsync(processId, documentId, version.Number, cancellationToken);
        return await html.PageAsync<DocumentPage>(request, context, new { Process = process, Document = document, Version = version, CommentCounts = counts });
    }

    [Function("SectionPage")]
    public async Task<IResult> Section([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "processes/{processId}/documents/{documentId}/sections/{sectionId}")] HttpRequest request,
        string processId, string documentId, string sectionId, string? reply, string? page, CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        return await SectionAsync(request, context, processId, documentId, sectionId, reply, page, FormState.Empty, Html.NewKey(), 200, cancellationToken);
    }

    [Function("SubmitSectionComment")]
    public async Task<IResult> CommentOnSection([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "processes/{processId}/documents/{documentId}/sections/{sectionId}")] HttpRequest request,
        string processId, string documentId, string sectionId, CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        var (form, problem) = await Html.ReadFormAsync(request);
        if (problem is not null) return problem;
        var input = Html.Participant(form!, new CommentInput { Text = Html.Value(form!, "text") });
        var key = Html.Key(request, form!);
        var parentId = Html.Value(form!, "parentId");
        Submitted result;
        if (parentId is not null)
            result = await participation.ReplyAsync(processId, parentId, input, key, cancellationToken);
        else
        {
            var document = Slug.IsValid(documentId, 63) ? await documents.FindAsync(processId, documentId, cancellationToken) : null;
            var (target, refused) = document is null
                ? (null, new Submitted.NotFound("document"))
                : await participation.DocumentTargetAsync(processId, documentId, document.LatestVersion, sectionId, forWriting: true, cancellationToken);
            result = refused ?? await participation.CommentAsync(processId, target!, null, null, input, key, cancellationToken);
        }
        return await AfterSubmitAsync(request, context, processId, result, form!,
            state => SectionAsync(request, context, processId, documentId, sectionId, parentId, null, state, form!["idempotencyKey"].ToString(), 422, cancellationToken),
            cancellationToken);
    }

    async Task<IResult> SectionAsync(HttpRequest request, PageContext context, string processId, string documentId, string sectionId, string? replyTo, string? page,
        FormState form, string key, int status, CancellationToken cancellationToken)
    {
        if (await participation.FindProcessAsync(processId, cancellationToken) is not { } process
            || !Slug.IsValid(documentId, 63) || await documents.FindAsync(processId, documentId, cancellationToken) is not { } document
            || document.Kind == DocumentKind.Bill
            || await documents.FindVersionAsync(processId, documentId, document.LatestVersion, cancellationToken) is not { } version
            || !Slug.IsValid(sectionId, 63) || version.FindSection(sectionId) is not { } section)
            return await html.NotFoundAsync(request, context);
        var target = new CommentTarget(CommentTargetKind.Section, documentId, version.Number, sectionId);
        Page<Stored<Comment>> roots;
        try
        {
            roots = await comments.ListAsync(processId, target, page, PageSize, cancellationToken);
        }
        catch (FormatException)
        {
            return await html.NotFoundAsync(request, context);
        }
        var threads = new List<ThreadModel>();
        foreach (var root in roots.Items.Where(c => c.Item.ParentId is null))
        {
            var replies = await comments.RepliesAsync(processId, root.Item.Id, null, PageSize, cancellationToken);
            var count = replies.ContinuationToken is null ? replies.Items.Count : await comments.CountRepliesAsync(processId, root.Item.Id, cancellationToken);
            threads.Add(new ThreadModel(root.Item.Id, root.Item, replies.Items.Select(r => r.Item).ToList(), count));
        }
        Comment? parent = null;
        if (replyTo is not null && Ids.IsValid(replyTo) && await comments.FindAsync(processId, replyTo, cancellationToken) is { Hidden: false } found
            && found.Comment.Item.Target == target)
            parent = found.Comment.Item;
        var next = roots.ContinuationToken is { } token ? $"{Urls.Section(processId, documentId, sectionId)}?page={Uri.EscapeDataString(token)}" : null;
        var closed = process.CheckOpen(SubmissionKind.Comment, context.Now)?.Message;
        return await html.PageAsync<SectionPage>(request, context, new
        {
            Process = process, Document = document, Section = section, Threads = threads,
            Pager = new Pager(next, await comments.CountAsync(processId, target, cancellationToken)),
            Form = form, IdempotencyKey = key, ReplyTo = parent, Closed = closed,
        }, closed is null ? status : 200);
    }

    [Function("OpinionForm")]
    public async Task<IResult> OpinionForm([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "processes/{processId}/opinion")] HttpRequest request,
        string processId, string? article, CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        return await OpinionFormAsync(request, context, processId, article, FormState.Empty, Html.NewKey(), 200, cancellationToken);
    }

    [Function("SubmitOpinionForm")]
    public async Task<IResult> SubmitOpinion([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "processes/{processId}/opinion")] HttpRequest request,
        string processId, CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        var (form, problem) = await Html.ReadFormAsync(request);
        if (problem is not null) return problem;
        var input = Html.Participant(form!, new OpinionInput
        {
            Position = Html.Value(form!, "position"), Reasons = Html.Value(form!, "reasons"), Article = Html.Value(form!, "article"),
        });
        var result = await participation.GiveOpinionAsync(processId, input, Html.Key(request, form!), cancellationToken);
        return await AfterSubmitAsync(request, context, processId, result, form!,
            state => OpinionFormAsync(request, context, processId, input.Article, state, form!["idempotencyKey"].ToString(), 422, cancellationToken), cancellationToken);
    }

    async Task<IResult> OpinionFormAsync(HttpRequest request, PageContext context, string processId, string? article, FormState form, string key, int status,
        CancellationToken cancellationToken)
    {
        if (await participation.FindProcessAsync(processId, cancellationToken) is not { } process
            || await participation.FindBillAsync(processId, cancellationToken) is not { } bill
            || await documents.FindVersionAsync(processId, bill.Id, bill.LatestVersion, cancellationToken) is not { } version)
            return await html.NotFoundAsync(request, context);
        Section? section = null;
        if (article is not null && (!Slug.IsValid(article, 63) || (section = version.FindSection(article)) is null))
            return await html.NotFoundAsync(request, context);
        var closed = process.CheckOpen(SubmissionKind.Opinion, context.Now)?.Message;
        return await html.PageAsync<OpinionFormPage>(request, context, new
        {
            Process = process, Bill = bill, Article = section, Form = form, IdempotencyKey = key, Closed = closed,
        }, closed is null ? status : 200);
    }

    [Function("ReceiptPage")]
    public async Task<IResult> Receipt([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "processes/{processId}/receipts/{receiptId}")] HttpRequest request,
        string processId, string receiptId, string? done, CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        var notice = done switch { "sent" => UI.Submitted, "appealed" => UI.AppealStored, _ => null };
        return await ReceiptAsync(request, context, processId, receiptId, FormState.Empty, notice, 200, cancellationToken);
    }

    /// <summary>The author's one appeal, with the code that came with the receipt.</summary>
    [Function("AppealForm")]
    public async Task<IResult> Appeal([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "processes/{processId}/receipts/{receiptId}/appeal")] HttpRequest request,
        string processId, string receiptId, CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        var (form, problem) = await Html.ReadFormAsync(request);
        if (problem is not null) return problem;
        var input = new AppealInput(Html.Value(form!, "reason"), Html.Value(form!, "appealCode"));
        var refused = await participation.AppealAsync(processId, receiptId, input, cancellationToken) switch
        {
            Participation.Appealed.Stored => null,
            Participation.Appealed.NotFound => new Dictionary<string, string[]>(),
            Participation.Appealed.Invalid invalid => invalid.Errors.ToDictionary(),
            Participation.Appealed.WrongCode => new Dictionary<string, string[]> { ["appealCode"] = [UI.AppealWrongCode] },
            Participation.Appealed.AlreadyAppealed => new Dictionary<string, string[]> { [""] = [UI.AppealAlready] },
            _ => new Dictionary<string, string[]> { [""] = [UI.AppealNotHidden] },
        };
        if (refused is null) return Html.SeeOther(Urls.Receipt(processId, receiptId) + "?done=appealed");
        if (refused.Count == 0) return await html.NotFoundAsync(request, context);
        return await ReceiptAsync(request, context, processId, receiptId, Html.State(form!, refused), null, 422, cancellationToken);
    }

    async Task<IResult> ReceiptAsync(HttpRequest request, PageContext context, string processId, string receiptId, FormState form, string? notice, int status,
        CancellationToken cancellationToken)
    {
        if (await participation.FindProcessAsync(processId, cancellationToken) is not { } process
            || !Ids.IsValid(receiptId) || await receipts.FindAsync(processId, receiptId, cancellationToken) is not { } r)
            return await html.NotFoundAsync(request, context);
        var code = request.Cookies[AppealCookie] is { } c && await participation.AppealCodeAsync(processId, receiptId, cancellationToken) == c ? c : null;
        var itemPage = r.State != "published" ? null : r.Kind switch
        {
            "proposal" => Urls.Proposal(processId, receiptId),
            "comment" when await comments.FindAsync(processId, receiptId, cancellationToken) is { Comment.Item.Target: { Kind: CommentTargetKind.Section } t }
                => $"{Urls.Section(processId, t.DocumentId!, t.SectionId!)}#c-{receiptId}",
            _ => null,
        };
        var model = new ReceiptModel(r.Id, r.Kind, r.Sha256, r.SubmittedAt, r.State, r.ReasonCategory, r.Reason, r.StateChangedAt, r.Appeal, itemPage, r.Outcome, code);
        var result = await html.PageAsync<ReceiptPage>(request, context, new { Process = process, Receipt = model, Form = form, Notice = notice }, status);
        // The page shows the appeal code: never kept in any cache.
        if (code is not null) request.HttpContext.Response.Headers.CacheControl = "private, no-store";
        return result;
    }

    [Function("StatisticsPage")]
    public async Task<IResult> Statistics([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "processes/{processId}/statistics")] HttpRequest request,
        string processId, CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        if (await participation.FindProcessAsync(processId, cancellationToken) is not { } process) return await html.NotFoundAsync(request, context);
        StatisticsModel? model = null;
        if (await published.ReadAsync($"processes/{processId}/statistics.json", cancellationToken) is { } blob)
        {
            var stats = JsonSerializer.Deserialize<PublishedStatistics>(blob.Content.ToMemory().Span, OpenData.Json)!;
            model = new StatisticsModel(stats.Totals, stats.Breakdowns, stats.Funnel,
                stats.LastUpdated is { } at ? DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture) : null);
        }
        return await html.PageAsync<StatisticsPage>(request, context, new { Process = process, Statistics = model });
    }

    [Function("ModerationLogPage")]
    public async Task<IResult> ModerationLog([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "processes/{processId}/moderation-log")] HttpRequest request,
        string processId, string? page, CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        if (await participation.FindProcessAsync(processId, cancellationToken) is not { } process) return await html.NotFoundAsync(request, context);
        Page<DecisionRecord> log;
        try
        {
            log = await moderation.LogAsync(processId, page, 50, cancellationToken);
        }
        catch (FormatException)
        {
            return await html.NotFoundAsync(request, context);
        }
        var entries = log.Items.Select(d => new ModerationLogEntry(d.Id, d.DecidedAt, d.ItemId, d.Kind, d.Action, d.Effect, d.ReasonCategory, d.Note, d.AppealResolution)).ToList();
        var next = log.ContinuationToken is { } token ? $"{Urls.ModerationLog(processId)}?page={Uri.EscapeDataString(token)}" : null;
        return await html.PageAsync<ModerationLogPage>(request, context, new { Process = process, Entries = entries, Pager = new Pager(next, entries.Count) });
    }

    const string AppealCookie = "participa_appeal";

    /// <summary>
    /// After a form's post: to the receipt (with its appeal code in a cookie only that receipt's pages receive), or
    /// the form again with the domain's errors next to its fields.
    /// </summary>
    async Task<IResult> AfterSubmitAsync(HttpRequest request, PageContext context, string processId, Submitted result, IFormCollection form,
        Func<FormState, Task<IResult>> formAgain, CancellationToken cancellationToken)
    {
        switch (result)
        {
            case Submitted.Written { Outcome: WriteOutcome.Stored or WriteOutcome.Replayed { SameRequest: true } } written:
                var itemId = written.Outcome is WriteOutcome.Replayed replayed ? replayed.ItemId : written.ItemId;
                var code = await participation.AppealCodeAsync(processId, itemId, cancellationToken);
                request.HttpContext.Response.Cookies.Append(AppealCookie, code, html.Cookie(request, TimeSpan.FromDays(400), Urls.Receipt(processId, itemId)));
                return Html.SeeOther(Urls.Receipt(processId, itemId) + "?done=sent");
            case Submitted.Written:
                return await formAgain(Html.State(form, new Dictionary<string, string[]> { [""] = [UI.FormExpired] }));
            case Submitted.Invalid invalid:
                return await formAgain(Html.State(form, invalid.Errors.ToDictionary()));
            case Submitted.Closed:
                return await formAgain(Html.State(form, new Dictionary<string, string[]>()));
            case Submitted.Superseded:
                return await formAgain(Html.State(form, new Dictionary<string, string[]> { [""] = [UI.SupersededVersion] }));
            case Submitted.NotFound { What: "comment" }:
                return await formAgain(Html.State(form, new Dictionary<string, string[]> { ["parentId"] = [UI.NoSuchReply] }));
            default:
                return await html.NotFoundAsync(request, context);
        }
    }

    Task<IResult> MessageAsync(HttpRequest request, PageContext context, string title, string message, int status) =>
        html.PageAsync<MessagePage>(request, context, new { Title = title, Message = message }, status);

}
