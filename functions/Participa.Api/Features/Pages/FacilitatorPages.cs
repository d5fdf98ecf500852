using Microsoft.AspNetCore.Http.HttpResults;
using Participa.Api.Features.Outcomes;
using Participa.Api.Features.Submitting;
using Participa.Api.Hosting;
using Participa.Domain;
using Participa.Storage;
using Participa.Web;
using Participa.Web.Pages;
using Participa.Web.Resources;

namespace Participa.Api.Features.Pages;

/// <summary>
/// Facilitators' pages: their meetings, each with status, minutes, attendance (private, contact details included),
/// the proposals made at the table and their outcomes, and the summaries to download. Light pages with plain forms:
/// they are used from meeting rooms on poor connections.
/// </summary>
public sealed class FacilitatorPages(Html html, Participation participation, MeetingStore meetings, ProposalStore proposals, OutcomeStore outcomes,
    OutcomesApi outcomesApi, TimeProvider clock)
{
    const int PageSize = 20;
    const int AttendeesShown = 200;

    [Function("MeetingsPage"), StaffOnly(StaffRoles.Facilitator)]
    public async Task<IResult> Meetings([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/processes/{processId}/meetings")] HttpRequest request,
        string processId, string? page, CancellationToken cancellationToken) =>
        await MeetingsAsync(request, html.Context(request), processId, page, FormState.Empty, 200, cancellationToken);

    [Function("CreateMeetingForm"), StaffOnly(StaffRoles.Facilitator)]
    public async Task<IResult> CreateMeeting([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/processes/{processId}/meetings")] HttpRequest request,
        string processId, CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        var (form, problem) = await Html.ReadFormAsync(request);
        if (problem is not null) return problem;
        if (await participation.FindProcessAsync(processId, cancellationToken) is not { } process) return await html.NotFoundAsync(request, context);
        var now = Timestamps.Truncate(clock.GetUtcNow());
        var errors = new Errors();
        var input = new MeetingInput
        {
            Theme = Html.Value(form!, "theme"), Title = Html.Value(form!, "title"),
            StartsAt = Display.FromGuatemalaLocal(Html.Value(form!, "startsAt")), EndsAt = Display.FromGuatemalaLocal(Html.Value(form!, "endsAt")),
            Place = Html.Value(form!, "place"), Link = Html.Value(form!, "link"), Agenda = Html.Value(form!, "agenda"),
            Facilitators = Html.Value(form!, "facilitator") is { } name ? [new FacilitatorInput(name, Html.Value(form!, "facilitatorOrganisation"))] : [],
        };
        if (Domain.Meeting.Create(process, input, Ids.New(now), now, errors) is not { } meeting || !MeetingStore.Fits(meeting))
        {
            if (!errors.Any) errors.Add("agenda", Messages.MeetingTextsTooLong);
            return await MeetingsAsync(request, context, processId, null, Html.State(form!, errors.ToDictionary()), 422, cancellationToken);
        }
        await meetings.AddAsync(meeting, cancellationToken);
        return Html.SeeOther(StaffUrls.Meeting(processId, meeting.Id));
    }

    async Task<IResult> MeetingsAsync(HttpRequest request, PageContext context, string processId, string? page, FormState form, int status, CancellationToken cancellationToken)
    {
        if (await participation.FindProcessAsync(processId, cancellationToken) is not { } process) return await html.NotFoundAsync(request, context);
        Page<Meeting> list;
        try
        {
            list = await meetings.ListAsync(processId, null, null, page, PageSize, cancellationToken);
        }
        catch (FormatException)
        {
            return await html.NotFoundAsync(request, context);
        }
        var next = list.ContinuationToken is { } token ? $"{StaffUrls.Meetings(processId)}?page={Uri.EscapeDataString(token)}" : null;
        return await html.PageAsync<MeetingsPage>(request, context, new
        {
            Process = process, Meetings = list.Items, Pager = new Pager(next, await meetings.CountAsync(processId, null, null, cancellationToken)), Form = form,
        }, status);
    }

    [Function("MeetingPage"), StaffOnly(StaffRoles.Facilitator)]
    public async Task<IResult> MeetingDetail([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/processes/{processId}/meetings/{meetingId}")] HttpRequest request,
        string processId, string meetingId, string? saved, CancellationToken cancellationToken) =>
        await MeetingAsync(request, html.Context(request), processId, meetingId, FormState.Empty, saved is null ? null : UI.Saved, 200, cancellationToken);

    [Function("MeetingStatusForm"), StaffOnly(StaffRoles.Facilitator)]
    public Task<IResult> ChangeStatus([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/processes/{processId}/meetings/{meetingId}/status")] HttpRequest request,
        string processId, string meetingId, CancellationToken cancellationToken) =>
        ChangeAsync(request, processId, meetingId, (meeting, form, now, errors) => meeting.ChangeStatus(new MeetingStatusInput
        {
            Status = Html.Value(form, "status"), StartsAt = Display.FromGuatemalaLocal(Html.Value(form, "newStartsAt")),
            EndsAt = Display.FromGuatemalaLocal(Html.Value(form, "newEndsAt")), Reason = Html.Value(form, "reason"),
        }, now, errors), cancellationToken);

    [Function("MeetingMinutesForm"), StaffOnly(StaffRoles.Facilitator)]
    public Task<IResult> SetMinutes([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/processes/{processId}/meetings/{meetingId}/minutes")] HttpRequest request,
        string processId, string meetingId, CancellationToken cancellationToken) =>
        ChangeAsync(request, processId, meetingId, (meeting, form, now, errors) =>
            meeting.SetMinutes(new MinutesInput { Minutes = Html.Value(form, "minutes"), Evidence = [.. meeting.Evidence.Select(e => (EvidenceInput?)new EvidenceInput(e.Label, e.Url))] }, now, errors),
            cancellationToken);

    /// <summary>A change of the meeting under the ETag the page showed: a colleague's edit in between is reported, never overwritten.</summary>
    async Task<IResult> ChangeAsync(HttpRequest request, string processId, string meetingId,
        Func<Domain.Meeting, IFormCollection, DateTimeOffset, Errors, (Meeting? Meeting, MeetingConflict? Conflict)> change, CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        var (form, problem) = await Html.ReadFormAsync(request);
        if (problem is not null) return problem;
        if (await FindMeetingAsync(processId, meetingId, cancellationToken) is not { } found)
            return await html.NotFoundAsync(request, context);
        var errors = new Errors();
        var (changed, conflict) = change(found.Meeting, form!, Timestamps.Truncate(clock.GetUtcNow()), errors);
        if (errors.Any || conflict is not null || changed is null || !MeetingStore.Fits(changed))
            return await MeetingAsync(request, context, processId, meetingId, Html.State(form!, errors.ToDictionary()),
                conflict?.Message ?? (errors.Any ? null : Messages.MeetingTextsTooLong), errors.Any ? 422 : 409, cancellationToken);
        if (form!["etag"].ToString() != found.ETag.ToString())
            return await MeetingAsync(request, context, processId, meetingId, Html.State(form, new Dictionary<string, string[]>()), UI.MeetingChanged, 409, cancellationToken);
        try
        {
            await meetings.ReplaceAsync(changed, found.ETag, cancellationToken);
        }
        catch (Azure.RequestFailedException e) when (e.Status == StatusCodes.Status412PreconditionFailed)
        {
            return await MeetingAsync(request, context, processId, meetingId, Html.State(form, new Dictionary<string, string[]>()), UI.MeetingChanged, 409, cancellationToken);
        }
        return Html.SeeOther(StaffUrls.Meeting(processId, meetingId) + "?saved=1");
    }

    /// <summary>One attendee at a time, as people arrive; kept privately, only counts are public.</summary>
    [Function("AttendanceForm"), StaffOnly(StaffRoles.Facilitator)]
    public async Task<IResult> AddAttendee([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/processes/{processId}/meetings/{meetingId}/attendance")] HttpRequest request,
        string processId, string meetingId, CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        var (form, problem) = await Html.ReadFormAsync(request);
        if (problem is not null) return problem;
        if (await FindMeetingAsync(processId, meetingId, cancellationToken) is not { } found)
            return await html.NotFoundAsync(request, context);
        if (found.Meeting.IsCancelled)
            return await MeetingAsync(request, context, processId, meetingId, FormState.Empty, Messages.MeetingCancelledNoAttendance, 409, cancellationToken);
        var now = Timestamps.Truncate(clock.GetUtcNow());
        var errors = new Errors();
        var input = Attendance(form!);
        if (Attendee.CreateAll(meetingId, input, () => Ids.New(now), now, errors) is not { } attendees)
            return await MeetingAsync(request, context, processId, meetingId, Html.State(form!, Renamed(errors.ToDictionary())), null, 422, cancellationToken);
        // The form's key: a double click or a reload after a lost answer adds the person once.
        await meetings.AddAttendeesAsync(found.Meeting, attendees, Html.Key(request, form!), cancellationToken);
        return Html.SeeOther(StaffUrls.Meeting(processId, meetingId) + "?saved=1#attendance");
    }

    /// <summary>The attendance form's fields: "attendeeName" and so on, so they never clash with the other forms' ids on the page.</summary>
    static AttendanceInput Attendance(IFormCollection form) => new()
    {
        Name = Html.Value(form, "attendeeName"), Organisation = Html.Value(form, "attendeeOrganisation"), Sector = Html.Value(form, "attendeeSector"),
        Gender = Html.Value(form, "attendeeGender"), Department = Html.Value(form, "attendeeDepartment"),
        Email = Html.Value(form, "attendeeEmail"), Phone = Html.Value(form, "attendeePhone"),
    };

    static Dictionary<string, string[]> Renamed(IDictionary<string, string[]> errors) =>
        errors.ToDictionary(e => "attendee" + char.ToUpperInvariant(e.Key[0]) + e.Key[1..], e => e.Value);

    [Function("RemoveAttendeeForm"), StaffOnly(StaffRoles.Facilitator)]
    public async Task<IResult> RemoveAttendee([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/processes/{processId}/meetings/{meetingId}/attendance/{attendeeId}/remove")] HttpRequest request,
        string processId, string meetingId, string attendeeId, CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        if (await participation.FindProcessAsync(processId, cancellationToken) is null || !Ids.IsValid(meetingId) || !Ids.IsValid(attendeeId)
            || await meetings.FindAsync(processId, meetingId, cancellationToken) is null
            || !await meetings.RemoveAttendeeAsync(processId, meetingId, attendeeId, clock.GetUtcNow(), cancellationToken))
            return await html.NotFoundAsync(request, context);
        return Html.SeeOther(StaffUrls.Meeting(processId, meetingId) + "?saved=1#attendance");
    }

    async Task<IResult> MeetingAsync(HttpRequest request, PageContext context, string processId, string meetingId, FormState form, string? notice, int status,
        CancellationToken cancellationToken)
    {
        if (await FindMeetingAsync(processId, meetingId, cancellationToken) is not { Process: var process } found)
            return await html.NotFoundAsync(request, context);
        var attendees = await meetings.ListAttendeesAsync(processId, meetingId, null, AttendeesShown, cancellationToken);
        var counts = await meetings.CountAttendanceAsync(processId, meetingId, cancellationToken);
        var made = await proposals.ListAsync(processId, new ProposalFilter(Meeting: meetingId), null, 100, cancellationToken);
        return await html.PageAsync<MeetingPage>(request, context, new
        {
            Process = process, Meeting = found.Meeting, ETag = found.ETag.ToString(), Attendees = attendees.Items, AttendanceTotal = counts.Total,
            Proposals = made.Items.Select(p => p.Item).ToList(), Form = form, Notice = notice, IdempotencyKey = Html.NewKey(),
        }, status);
    }

    [Function("MeetingProposalPage"), StaffOnly(StaffRoles.Facilitator)]
    public async Task<IResult> ProposalForm([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/processes/{processId}/meetings/{meetingId}/proposals/new")] HttpRequest request,
        string processId, string meetingId, CancellationToken cancellationToken) =>
        await ProposalFormAsync(request, html.Context(request), processId, meetingId, FormState.Empty, Html.NewKey(), null, 200, cancellationToken);

    /// <summary>
    /// A proposal made at the table, typed in by its facilitator: validated as a citizen's, dated by the meeting, and
    /// linked to it (Participation, as the API and bulk entry do). The form's key makes a double click one proposal.
    /// </summary>
    [Function("MeetingProposalForm"), StaffOnly(StaffRoles.Facilitator)]
    public async Task<IResult> RecordProposal([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/processes/{processId}/meetings/{meetingId}/proposals/new")] HttpRequest request,
        string processId, string meetingId, CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        var (form, problem) = await Html.ReadFormAsync(request);
        if (problem is not null) return problem;
        var (at, refused) = await participation.TranscriptionAsync(processId, meetingId, cancellationToken);
        if (at is null) return refused is Submitted.Conflict conflict
            ? await ProposalFormAsync(request, context, processId, meetingId, FormState.Empty, Html.NewKey(), conflict.Message, 409, cancellationToken)
            : await html.NotFoundAsync(request, context);
        var input = Html.Participant(form!, new ProposalInput
        {
            Title = Html.Value(form!, "title"), Problem = Html.Value(form!, "problem"),
            ProposedSolution = Html.Value(form!, "proposedSolution"), Theme = Html.Value(form!, "theme"),
        });
        return await participation.ProposeAsync(at, input, Html.Key(request, form!), cancellationToken) switch
        {
            Submitted.Written => Html.SeeOther(StaffUrls.Meeting(processId, meetingId) + "?saved=1"),
            Submitted.Invalid invalid => await ProposalFormAsync(request, context, processId, meetingId, Html.State(form!, invalid.Errors.ToDictionary()),
                form!["idempotencyKey"].ToString(), null, 422, cancellationToken),
            Submitted.Conflict c => await ProposalFormAsync(request, context, processId, meetingId, Html.State(form!, new Dictionary<string, string[]>()),
                Html.NewKey(), c.Message, 409, cancellationToken),
            _ => await html.NotFoundAsync(request, context),
        };
    }

    async Task<IResult> ProposalFormAsync(HttpRequest request, PageContext context, string processId, string meetingId, FormState form, string key, string? notice,
        int status, CancellationToken cancellationToken)
    {
        if (await FindMeetingAsync(processId, meetingId, cancellationToken) is not { Process: var process } found)
            return await html.NotFoundAsync(request, context);
        if (form.Values.Count == 0) form = new FormState(new Dictionary<string, string?> { ["theme"] = found.Meeting.Theme }, form.Errors);
        return await html.PageAsync<MeetingProposalPage>(request, context, new
        {
            Process = process, Meeting = found.Meeting, Form = form, IdempotencyKey = key, Notice = notice,
        }, status);
    }

    sealed record FoundMeeting(Process Process, Meeting Meeting, Azure.ETag ETag);

    /// <summary>The process and the meeting, or null; a malformed id never reaches a storage key.</summary>
    async Task<FoundMeeting?> FindMeetingAsync(string processId, string meetingId, CancellationToken cancellationToken) =>
        await participation.FindProcessAsync(processId, cancellationToken) is { } process && Ids.IsValid(meetingId)
        && await meetings.FindAsync(processId, meetingId, cancellationToken) is { } found
            ? new FoundMeeting(process, found.Meeting, found.ETag) : null;

    [Function("ProposalOutcomePage"), StaffOnly(StaffRoles.AdminOrFacilitator)]
    public async Task<IResult> Outcome([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/processes/{processId}/proposals/{proposalId}/outcome")] HttpRequest request,
        string processId, string proposalId, string? @return, CancellationToken cancellationToken) =>
        await OutcomeAsync(request, html.Context(request), processId, proposalId, StaffPages.SafeReturn(@return), null, null, 200, cancellationToken);

    /// <summary>Through the outcomes API's rules: a commitment must exist in the plan, a merge must not loop.</summary>
    [Function("ProposalOutcomeForm"), StaffOnly(StaffRoles.AdminOrFacilitator)]
    public async Task<IResult> SetOutcome([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/processes/{processId}/proposals/{proposalId}/outcome")] HttpRequest request,
        string processId, string proposalId, CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        var (form, problem) = await Html.ReadFormAsync(request);
        if (problem is not null) return problem;
        var back = StaffPages.SafeReturn(form!["return"]);
        if (await participation.FindProcessAsync(processId, cancellationToken) is null || !Ids.IsValid(proposalId)
            || await outcomes.FindAsync(processId, proposalId, cancellationToken) is not { } current)
            return await html.NotFoundAsync(request, context);
        var input = new OutcomeInput
        {
            Status = Html.Value(form, "status"), Commitment = Html.Value(form, "commitment"),
            MergedInto = Html.Value(form, "mergedInto"), Reason = Html.Value(form, "reason"),
        };
        var etag = form["etag"].ToString() is { Length: > 0 } e ? new Azure.ETag(e) : (Azure.ETag?)null;
        var answer = await outcomesApi.SetAsync(processId, proposalId, current.Receipt, input, etag, request.HttpContext.Response, cancellationToken);
        if (answer is Ok<OutcomeResponse>) return Html.SeeOther(back);
        var errors = answer is ValidationProblem v ? v.ProblemDetails.Errors : new Dictionary<string, string[]>();
        var notice = answer is ProblemHttpResult p ? p.ProblemDetails.Detail : null;
        return await OutcomeAsync(request, context, processId, proposalId, back, Html.State(form, errors), notice, answer is ProblemHttpResult { StatusCode: 412 } ? 409 : 422, cancellationToken);
    }

    async Task<IResult> OutcomeAsync(HttpRequest request, PageContext context, string processId, string proposalId, string back, FormState? form, string? notice,
        int status, CancellationToken cancellationToken)
    {
        if (await participation.FindProcessAsync(processId, cancellationToken) is not { } process || !Ids.IsValid(proposalId)
            || await proposals.FindAsync(processId, proposalId, cancellationToken) is not { } found
            || await outcomes.FindAsync(processId, proposalId, cancellationToken) is not { } current)
            return await html.NotFoundAsync(request, context);
        var o = current.Outcome;
        return await html.PageAsync<OutcomePage>(request, context, new
        {
            Process = process, Proposal = found.Item, ETag = current.Receipt.ETag.ToString(), Return = back, Notice = notice,
            Form = form ?? new FormState(new Dictionary<string, string?>
            {
                ["status"] = o?.Status, ["commitment"] = o?.Commitment, ["mergedInto"] = o?.MergedInto, ["reason"] = o?.Reason,
            }, new Dictionary<string, string[]>()),
        }, status);
    }
}
