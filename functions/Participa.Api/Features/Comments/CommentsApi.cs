using Microsoft.AspNetCore.Mvc;
using Participa.Api.Features.Documents;
using Participa.Api.Features.Processes;
using Participa.Api.Features.Submitting;
using Participa.Api.Http;
using Participa.Domain;
using Participa.Storage;

namespace Participa.Api.Features.Comments;

public sealed record TargetView(CommentTargetKind Kind, string? DocumentId, int? Version, string? SectionId, string? ProposalId)
{
    public static TargetView From(CommentTarget t) => new(t.Kind, t.DocumentId, t.Version == 0 ? null : t.Version, t.SectionId, t.ProposalId);
}

public sealed record CommentResponse(
    string Id, string ProcessId, TargetView Target, string? ParentId, string RootId, int Depth, string Text,
    ParticipantView Participant, DateTimeOffset SubmittedAt, ReceiptView Receipt)
{
    public static CommentResponse From(Stored<Comment> stored)
    {
        var c = stored.Item;
        return new(c.Id, c.ProcessId, TargetView.From(c.Target), c.ParentId, c.RootId, c.Depth, c.Text, ParticipantView.From(c.Participant),
            c.SubmittedAt, ReceiptView.For(c.ProcessId, c.Id, stored.Sha256));
    }
}

/// <summary>A thread: its root (null when hidden, with the reason on its receipt) and a page of its replies.</summary>
public sealed record ThreadResponse(string Id, CommentResponse? Root, bool RootHidden, PageResponse<CommentResponse> Replies);

public sealed class CommentsApi(CommentServices s)
{
    [Function("CommentOnDocument")]
    [RequestBody<CommentInput>("text"), RequestHeader(Submissions.IdempotencyHeader)]
    [ProducesResponseType<CommentResponse>(201), ProducesResponseType(409), ProducesResponseType(422)]
    public async Task<IResult> CommentOnDocument([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/processes/{processId}/documents/{documentId}/versions/{version}/comments")] HttpRequest request,
        string processId, string documentId, string version, CancellationToken cancellationToken)
    {
        var (target, problem) = await DocumentTargetAsync(s, processId, documentId, version, null, forWriting: true, cancellationToken);
        return problem ?? await SubmitAsync(processId, target!, null, null, request, s, cancellationToken);
    }

    [Function("CommentOnSection")]
    [RequestBody<CommentInput>("text"), RequestHeader(Submissions.IdempotencyHeader)]
    [ProducesResponseType<CommentResponse>(201), ProducesResponseType(409), ProducesResponseType(422)]
    public async Task<IResult> CommentOnSection([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/processes/{processId}/documents/{documentId}/versions/{version}/sections/{sectionId}/comments")] HttpRequest request,
        string processId, string documentId, string version, string sectionId, CancellationToken cancellationToken)
    {
        var (target, problem) = await DocumentTargetAsync(s, processId, documentId, version, sectionId, forWriting: true, cancellationToken);
        return problem ?? await SubmitAsync(processId, target!, null, null, request, s, cancellationToken);
    }

    [Function("CommentOnProposal")]
    [RequestBody<CommentInput>("text"), RequestHeader(Submissions.IdempotencyHeader)]
    [ProducesResponseType<CommentResponse>(201), ProducesResponseType(409), ProducesResponseType(422)]
    public async Task<IResult> CommentOnProposal([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/processes/{processId}/proposals/{proposalId}/comments")] HttpRequest request,
        string processId, string proposalId, CancellationToken cancellationToken)
    {
        var (target, proposal, problem) = await ProposalTargetAsync(s, processId, proposalId, cancellationToken);
        return problem ?? await SubmitAsync(processId, target!, null, proposal, request, s, cancellationToken);
    }

    [Function("ReplyToComment")]
    [RequestBody<CommentInput>("text"), RequestHeader(Submissions.IdempotencyHeader)]
    [ProducesResponseType<CommentResponse>(201), ProducesResponseType(409), ProducesResponseType(422)]
    public async Task<IResult> Reply([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/processes/{processId}/comments/{commentId}/replies")] HttpRequest request,
        string processId, string commentId, CancellationToken cancellationToken)
    {
        if (await ProcessesApi.FindAsync(s.Processes, processId, cancellationToken) is null) return ProcessesApi.NotFound(processId);
        if (!Ids.IsValid(commentId) || await s.Comments.FindAsync(processId, commentId, cancellationToken) is not { } parent)
            return CommentNotFound(processId, commentId);
        // A reply in a proposal's thread counts where the proposal does (not at all in its theme if it is hidden now).
        var about = parent.Comment.Item.Target is { Kind: CommentTargetKind.Proposal, ProposalId: { } proposalId }
            ? (await s.Proposals.FindAsync(processId, proposalId, cancellationToken))?.Item : null;
        return await SubmitAsync(processId, parent.Comment.Item.Target, parent.Comment.Item, about, request, s, cancellationToken);
    }

    [Function("ListDocumentComments")]
    [ProducesResponseType<PageResponse<CommentResponse>>(200)]
    public async Task<IResult> ListDocumentComments([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/processes/{processId}/documents/{documentId}/versions/{version}/comments")] HttpRequest request,
        string processId, string documentId, string version, string? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var (target, problem) = await DocumentTargetAsync(s, processId, documentId, version, null, forWriting: false, cancellationToken);
        return problem ?? await ListAsync(processId, target!, pageSize, continuationToken, s, cancellationToken);
    }

    [Function("ListSectionComments")]
    [ProducesResponseType<PageResponse<CommentResponse>>(200)]
    public async Task<IResult> ListSectionComments([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/processes/{processId}/documents/{documentId}/versions/{version}/sections/{sectionId}/comments")] HttpRequest request,
        string processId, string documentId, string version, string sectionId, string? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var (target, problem) = await DocumentTargetAsync(s, processId, documentId, version, sectionId, forWriting: false, cancellationToken);
        return problem ?? await ListAsync(processId, target!, pageSize, continuationToken, s, cancellationToken);
    }

    [Function("ListProposalComments")]
    [ProducesResponseType<PageResponse<CommentResponse>>(200)]
    public async Task<IResult> ListProposalComments([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/processes/{processId}/proposals/{proposalId}/comments")] HttpRequest request,
        string processId, string proposalId, string? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var (target, _, problem) = await ProposalTargetAsync(s, processId, proposalId, cancellationToken);
        return problem ?? await ListAsync(processId, target!, pageSize, continuationToken, s, cancellationToken);
    }

    [Function("GetCommentThread")]
    [ProducesResponseType<ThreadResponse>(200)]
    public async Task<IResult> GetThread([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/processes/{processId}/comments/{commentId}")] HttpRequest request,
        string processId, string commentId, string? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var errors = new Errors();
        var paging = Paging.Parse(pageSize, continuationToken, errors);
        if (errors.Any) return Problems.Validation(errors.ToDictionary());
        if (await ProcessesApi.FindAsync(s.Processes, processId, cancellationToken) is null) return ProcessesApi.NotFound(processId);
        if (!Ids.IsValid(commentId)) return CommentNotFound(processId, commentId);
        // Links name a thread's root far more often than a reply: its replies are read alongside the comment itself,
        // and read again only when the comment turns out to be a reply. One round trip to storage instead of two.
        var guess = ThreadAsync(commentId);
        if (await s.Comments.FindAsync(processId, commentId, cancellationToken) is not { } found)
        {
            Forget(guess);
            return CommentNotFound(processId, commentId);
        }
        var rootId = found.Comment.Item.RootId;
        var root = rootId == commentId ? found : await s.Comments.FindAsync(processId, rootId, cancellationToken);
        var thread = rootId == commentId ? guess : ThreadAsync(rootId);
        if (thread != guess) Forget(guess);
        try
        {
            var (replies, count) = await thread;
            return TypedResults.Ok(new ThreadResponse(rootId,
                root is { Hidden: false } ? CommentResponse.From(root.Value.Comment) : null, root is not { Hidden: false },
                new PageResponse<CommentResponse>(replies.Items.Select(CommentResponse.From).ToList(), replies.ContinuationToken, count)));
        }
        catch (FormatException)
        {
            return Paging.BadToken();
        }

        async Task<(Page<Stored<Comment>> Replies, long Count)> ThreadAsync(string id)
        {
            var replies = s.Comments.RepliesAsync(processId, id, paging.ContinuationToken, paging.PageSize, cancellationToken);
            var count = s.Comments.CountRepliesAsync(processId, id, cancellationToken);
            return (await replies, await count);
        }

        // A read whose answer is not needed: its failure (a bad token, storage gone) is the other read's to report.
        static void Forget(Task task) => task.ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
    }

    static async Task<IResult> SubmitAsync(string processId, CommentTarget target, Comment? parent, Proposal? about, HttpRequest request, CommentServices s,
        CancellationToken cancellationToken)
    {
        var (_, closed) = await Submissions.OpenProcessAsync(s.Processes, processId, SubmissionKind.Comment, s.Clock, cancellationToken);
        if (closed is not null) return closed;
        var (body, problem) = await JsonBody.ReadAsync<CommentInput>(request);
        if (problem is not null) return problem;
        var (key, badKey) = Submissions.ReadIdempotencyKey(request, body!.Sha256);
        if (badKey is not null) return badKey;

        var submitted = await s.Participation.CommentAsync(processId, target, parent, about, body.Value, key, cancellationToken);
        if (submitted is not Submitted.Written written) return Submissions.Refused(submitted, processId);
        return await Submissions.RespondAsync(written.Outcome, request.HttpContext.Response, CommentStore.Path(processId, written.ItemId),
            WithCode(CommentResponse.From(new((Comment)written.Item, written.Sha256)), await s.Participation.AppealCodeAsync(processId, written.ItemId, cancellationToken)),
            async id => await s.Comments.FindAsync(processId, id, cancellationToken) is { Hidden: false } first
                ? (CommentStore.Path(processId, id), WithCode(CommentResponse.From(first.Comment), await s.Participation.AppealCodeAsync(processId, id, cancellationToken))) : null);
    }

    static CommentResponse WithCode(CommentResponse r, string code) => r with { Receipt = r.Receipt with { AppealCode = code } };

    static async Task<IResult> ListAsync(string processId, CommentTarget target, string? pageSize, string? continuationToken, CommentServices s, CancellationToken cancellationToken)
    {
        var errors = new Errors();
        var paging = Paging.Parse(pageSize, continuationToken, errors);
        if (errors.Any) return Problems.Validation(errors.ToDictionary());
        return await Paging.RespondAsync(
            () => s.Comments.ListAsync(processId, target, paging.ContinuationToken, paging.PageSize, cancellationToken),
            () => s.Comments.CountAsync(processId, target, cancellationToken),
            CommentResponse.From);
    }

    /// <summary>
    /// A document version or one of its sections. New comments go on the latest version only (an old one stays
    /// readable with its comments, but the conversation moves on with the text).
    /// </summary>
    static async Task<(CommentTarget? Target, IResult? Problem)> DocumentTargetAsync(
        CommentServices s, string processId, string documentId, string version, string? sectionId, bool forWriting, CancellationToken cancellationToken)
    {
        var (_, number, problem) = await DocumentsApi.FindAsync(s.Processes, s.Documents, processId, documentId, version, cancellationToken);
        if (problem is not null) return (null, problem);
        // The rule itself (latest version only, the section must exist) is Participation's, as for the web forms.
        var (target, refused) = await s.Participation.DocumentTargetAsync(processId, documentId, number, sectionId, forWriting, cancellationToken);
        return refused is null ? (target, null)
            : (null, Submissions.Refused(refused, processId, _ => Localized.Format(Messages.NoSection, number, documentId, sectionId)));
    }

    static async Task<(CommentTarget? Target, Proposal? Proposal, IResult? Problem)> ProposalTargetAsync(CommentServices s, string processId, string proposalId,
        CancellationToken cancellationToken)
    {
        if (await ProcessesApi.FindAsync(s.Processes, processId, cancellationToken) is null) return (null, null, ProcessesApi.NotFound(processId));
        if (!Ids.IsValid(proposalId) || await s.Proposals.FindAsync(processId, proposalId, cancellationToken) is not { } proposal)
            return (null, null, Problems.NotFound(Localized.Format(Messages.NoProposal, proposalId, processId)));
        return (new CommentTarget(CommentTargetKind.Proposal, ProposalId: proposalId), proposal.Item, null);
    }

    static IResult CommentNotFound(string processId, string commentId) => Problems.NotFound(Localized.Format(Messages.NoComment, commentId, processId));
}

/// <summary>What the comment handlers use, bound from services as one parameter to keep their signatures short.</summary>
public sealed record CommentServices(ProcessStore Processes, DocumentStore Documents, ProposalStore Proposals, CommentStore Comments, Participation Participation, TimeProvider Clock);
