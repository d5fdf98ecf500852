using Participa.Api.Features.Receipts;
using Participa.Domain;
using Participa.Domain.Resources;
using Participa.Storage;

namespace Participa.Api.Features.Submitting;

/// <summary>How a citizen's submission ended, whatever channel it came through (the JSON API, a web form, later SMS).</summary>
public abstract record Submitted
{
    public sealed record NotFound(string What) : Submitted;
    public sealed record Closed(ClosedWindow Window) : Submitted;
    /// <summary>A comment on a version that a newer one replaced.</summary>
    public sealed record Superseded(int Version, int Latest) : Submitted;
    public sealed record Invalid(Errors Errors) : Submitted;
    /// <summary>Not possible in the target's state (a cancelled meeting): a 409 with this message.</summary>
    public sealed record Conflict(string Message) : Submitted;
    /// <summary>
    /// Stored now (<see cref="Item"/> is what was stored: a Proposal, Opinion, Comment or Support), or earlier by the
    /// first request with the same key (<see cref="WriteOutcome.Replayed"/> names that item; nothing new was stored).
    /// </summary>
    public sealed record Written(WriteOutcome Outcome, string ItemId, string Sha256, object Item) : Submitted;
}

/// <summary>
/// Submitting, supporting and appealing, free of the request's shape: the API and the web pages both call these,
/// so the rules (open windows, validation, idempotency, one transaction per item) exist once.
/// </summary>
public sealed class Participation(ProcessStore processes, DocumentStore documents, ProposalStore proposals, CommentStore comments,
    OpinionStore opinions, MeetingStore meetings, SupportStore supports, ModerationStore moderation, AppealCodes appealCodes, TimeProvider clock)
{
    public async Task<Submitted> ProposeAsync(string processId, ProposalInput input, IdempotencyKey? key, CancellationToken cancellationToken)
    {
        if (await OpenAsync(processId, SubmissionKind.Proposal, cancellationToken) is { } refused) return refused.Result;
        var process = (await FindProcessAsync(processId, cancellationToken))!;
        return await StoreProposalAsync(process, null, input, key, cancellationToken);
    }

    public async Task<Submitted> GiveOpinionAsync(string processId, OpinionInput input, IdempotencyKey? key, CancellationToken cancellationToken)
    {
        if (await OpenAsync(processId, SubmissionKind.Opinion, cancellationToken) is { } refused) return refused.Result;
        if (await BillAsync(processId, cancellationToken) is not { } bill) return new Submitted.NotFound("bill");
        return await StoreOpinionAsync(processId, bill.Bill, bill.Version, null, input, key, cancellationToken);
    }

    /// <summary>
    /// Where staff type in what people made elsewhere: at <see cref="Meeting"/> (dated by the meeting; no submission
    /// window applies, the table met when it met) or, without one, paper forms for the process (the window applies).
    /// Resolved once, so a file of thousands of rows does not read the process and the bill per row.
    /// </summary>
    public sealed record Transcription(Process Process, Meeting? Meeting, Document? Bill, DocumentVersion? BillVersion);

    /// <summary>The process, the meeting (if any, not cancelled) and the bill (if the process has one); or why not.</summary>
    public async Task<(Transcription? At, Submitted? Refused)> TranscriptionAsync(string processId, string? meetingId, CancellationToken cancellationToken)
    {
        if (await FindProcessAsync(processId, cancellationToken) is not { } process) return (null, new Submitted.NotFound("process"));
        Meeting? meeting = null;
        if (meetingId is not null)
        {
            if (!Ids.IsValid(meetingId) || await meetings.FindAsync(processId, meetingId, cancellationToken) is not { } found)
                return (null, new Submitted.NotFound("meeting"));
            if (found.Meeting.IsCancelled) return (null, new Submitted.Conflict(Messages.MeetingCancelledNoProposals));
            meeting = found.Meeting;
        }
        var bill = await BillAsync(processId, cancellationToken);
        return (new Transcription(process, meeting, bill?.Bill, bill?.Version), null);
    }

    /// <summary>A proposal typed in by staff: validated as a citizen's, its theme defaulting to the meeting's, with <see cref="Proposal.RecordedAt"/> the entry time.</summary>
    public async Task<Submitted> ProposeAsync(Transcription at, ProposalInput input, IdempotencyKey? key, CancellationToken cancellationToken)
    {
        if (at.Meeting is null && at.Process.CheckOpen(SubmissionKind.Proposal, clock.GetUtcNow()) is { } closed) return new Submitted.Closed(closed);
        return await StoreProposalAsync(at.Process, at.Meeting, input, key, cancellationToken, transcribed: true);
    }

    /// <summary>An opinion typed in by staff from a paper form, dated by the meeting if there is one.</summary>
    public async Task<Submitted> GiveOpinionAsync(Transcription at, OpinionInput input, IdempotencyKey? key, CancellationToken cancellationToken)
    {
        if (at.Meeting is null && at.Process.CheckOpen(SubmissionKind.Opinion, clock.GetUtcNow()) is { } closed) return new Submitted.Closed(closed);
        if (at.Bill is null || at.BillVersion is null) return new Submitted.NotFound("bill");
        return await StoreOpinionAsync(at.Process.Id, at.Bill, at.BillVersion, at.Meeting, input, key, cancellationToken, transcribed: true);
    }

    async Task<Submitted> StoreProposalAsync(Process process, Meeting? meeting, ProposalInput input, IdempotencyKey? key, CancellationToken cancellationToken,
        bool transcribed = false)
    {
        var now = Now();
        var errors = new Errors();
        if (meeting is not null) input = input with { Theme = input.Theme ?? meeting.Theme };
        // Made at a meeting: it happened on the meeting's date, and the statistics count it on that day.
        if (Proposal.Create(process, input, Ids.New(now), meeting?.StartsAt ?? now, errors) is not { } created) return new Submitted.Invalid(errors);
        var proposal = transcribed ? created with { MeetingId = meeting?.Id, RecordedAt = now } : created;
        var sha256 = proposal.Receipt().Sha256;
        return new Submitted.Written(await proposals.AddAsync(proposal, sha256, key, cancellationToken), proposal.Id, sha256, proposal);
    }

    async Task<Submitted> StoreOpinionAsync(string processId, Document bill, DocumentVersion version, Meeting? meeting, OpinionInput input, IdempotencyKey? key,
        CancellationToken cancellationToken, bool transcribed = false)
    {
        var now = Now();
        var errors = new Errors();
        if (Opinion.Create(processId, bill, version, input, Ids.New(now), meeting?.StartsAt ?? now, errors) is not { } created) return new Submitted.Invalid(errors);
        var opinion = transcribed ? created with { RecordedAt = now } : created;
        var sha256 = opinion.Receipt().Sha256;
        return new Submitted.Written(await opinions.AddAsync(opinion, sha256, key, cancellationToken), opinion.Id, sha256, opinion);
    }

    async Task<(Document Bill, DocumentVersion Version)?> BillAsync(string processId, CancellationToken cancellationToken)
    {
        if (await FindBillAsync(processId, cancellationToken) is not { } bill) return null;
        var version = await documents.FindVersionAsync(processId, bill.Id, bill.LatestVersion, cancellationToken)
            ?? throw new InvalidDataException($"Bill {bill.Id} points at version {bill.LatestVersion}, which is not stored.");
        return (bill, version);
    }

    /// <summary>A new comment on a target the caller resolved, or a reply to <paramref name="parent"/> in its thread.</summary>
    public async Task<Submitted> CommentAsync(string processId, CommentTarget target, Comment? parent, Proposal? about, CommentInput input, IdempotencyKey? key,
        CancellationToken cancellationToken)
    {
        if (await OpenAsync(processId, SubmissionKind.Comment, cancellationToken) is { } refused) return refused.Result;
        var now = Now();
        var errors = new Errors();
        if (Comment.Create(processId, target, parent, input, Ids.New(now), now, errors) is not { } comment) return new Submitted.Invalid(errors);
        var sha256 = comment.Receipt().Sha256;
        return new Submitted.Written(await comments.AddAsync(comment, sha256, key, about, cancellationToken), comment.Id, sha256, comment);
    }

    /// <summary>A reply to any comment of a thread; it counts where the thread's proposal does.</summary>
    public async Task<Submitted> ReplyAsync(string processId, string commentId, CommentInput input, IdempotencyKey? key, CancellationToken cancellationToken)
    {
        if (await FindProcessAsync(processId, cancellationToken) is null) return new Submitted.NotFound("process");
        if (!Ids.IsValid(commentId) || await comments.FindAsync(processId, commentId, cancellationToken) is not { } parent)
            return new Submitted.NotFound("comment");
        var about = parent.Comment.Item.Target is { Kind: CommentTargetKind.Proposal, ProposalId: { } proposalId }
            ? (await proposals.FindAsync(processId, proposalId, cancellationToken))?.Item : null;
        return await CommentAsync(processId, parent.Comment.Item.Target, parent.Comment.Item, about, input, key, cancellationToken);
    }

    /// <summary>
    /// A comment on a document's section, or on the whole document when <paramref name="sectionId"/> is null. New comments go on the
    /// latest version only: an old one stays readable with its comments, but the conversation moves on with the text.
    /// </summary>
    public async Task<(CommentTarget? Target, Submitted? Refused)> DocumentTargetAsync(string processId, string documentId, int version, string? sectionId,
        bool forWriting, CancellationToken cancellationToken)
    {
        if (await FindProcessAsync(processId, cancellationToken) is null) return (null, new Submitted.NotFound("process"));
        if (!Slug.IsValid(documentId, 63) || await documents.FindAsync(processId, documentId, cancellationToken) is not { } document
            || version < 1 || version > document.LatestVersion)
            return (null, new Submitted.NotFound("document"));
        if (forWriting && version != document.LatestVersion) return (null, new Submitted.Superseded(version, document.LatestVersion));
        if (sectionId is null) return (new CommentTarget(CommentTargetKind.Document, documentId, version), null);
        var content = await documents.FindVersionAsync(processId, documentId, version, cancellationToken);
        if (!Slug.IsValid(sectionId, 63) || content?.FindSection(sectionId) is null) return (null, new Submitted.NotFound("section"));
        return (new CommentTarget(CommentTargetKind.Section, documentId, version, sectionId), null);
    }

    /// <summary>One support per participant (a key derived from their token). A second one is a <see cref="WriteOutcome.Duplicate"/>.</summary>
    public async Task<Submitted> SupportAsync(string processId, string proposalId, string participantKey, bool mintedInBurst, IdempotencyKey? key, CancellationToken cancellationToken)
    {
        if (await OpenAsync(processId, SubmissionKind.Support, cancellationToken) is { } refused) return refused.Result;
        if (!Ids.IsValid(proposalId) || await proposals.FindAsync(processId, proposalId, cancellationToken) is not { } proposal)
            return new Submitted.NotFound("proposal");
        var now = Now();
        var support = new Support(processId, Ids.New(now), proposalId, participantKey, now, mintedInBurst);
        var sha256 = support.Receipt().Sha256;
        return new Submitted.Written(await supports.AddAsync(support, proposal.Item, sha256, key, cancellationToken), support.Id, sha256, support);
    }

    public abstract record Appealed
    {
        public sealed record NotFound : Appealed;
        public sealed record Invalid(Errors Errors) : Appealed;
        public sealed record WrongCode : Appealed;
        public sealed record Stored(Appeal Appeal) : Appealed;
        public sealed record AlreadyAppealed(string State) : Appealed;
        public sealed record NotHidden : Appealed;
    }

    /// <summary>Once per item, while it is hidden, and only with the appeal code its author received with the receipt.</summary>
    public async Task<Appealed> AppealAsync(string processId, string receiptId, AppealInput input, CancellationToken cancellationToken)
    {
        if (await FindProcessAsync(processId, cancellationToken) is null || !Ids.IsValid(receiptId)
            || await moderation.ReceiptAsync(processId, receiptId, cancellationToken) is null)
            return new Appealed.NotFound();
        var now = Now();
        var errors = new Errors();
        if (string.IsNullOrWhiteSpace(input.AppealCode)) errors.Add("appealCode", Messages.AppealCodeRequired);
        var appeal = Appeal.Create(input, receiptId, Ids.New(now), now, errors);
        if (errors.Any) return new Appealed.Invalid(errors);
        if (!await appealCodes.VerifyAsync(processId, receiptId, input.AppealCode, cancellationToken)) return new Appealed.WrongCode();
        return await moderation.AddAppealAsync(processId, appeal!, cancellationToken) switch
        {
            ModerationStore.AppealOutcome.Stored => new Appealed.Stored(appeal!),
            ModerationStore.AppealOutcome.AlreadyAppealed already => new Appealed.AlreadyAppealed(already.State),
            ModerationStore.AppealOutcome.NotHidden => new Appealed.NotHidden(),
            _ => new Appealed.NotFound(),
        };
    }

    public Task<string> AppealCodeAsync(string processId, string itemId, CancellationToken cancellationToken) =>
        appealCodes.ForAsync(processId, itemId, cancellationToken);

    public async Task<Process?> FindProcessAsync(string processId, CancellationToken cancellationToken) =>
        Process.IsValidId(processId) ? await processes.FindAsync(processId, cancellationToken) : null;

    /// <summary>A legislative process's bill: the first of its bills by id.</summary>
    public async Task<Document?> FindBillAsync(string processId, CancellationToken cancellationToken) =>
        (await documents.ListAsync(processId, cancellationToken)).Where(d => d.Kind == DocumentKind.Bill).MinBy(d => d.Id, StringComparer.Ordinal);

    sealed record Refusal(Submitted Result);

    async Task<Refusal?> OpenAsync(string processId, SubmissionKind kind, CancellationToken cancellationToken)
    {
        if (await FindProcessAsync(processId, cancellationToken) is not { } process) return new(new Submitted.NotFound("process"));
        return process.CheckOpen(kind, clock.GetUtcNow()) is { } closed ? new(new Submitted.Closed(closed)) : null;
    }

    DateTimeOffset Now() => Timestamps.Truncate(clock.GetUtcNow());
}
