using System.Text.Json.Serialization;
using Azure;
using Microsoft.AspNetCore.Mvc;
using Participa.Api.Features.Processes;
using Participa.Api.Features.Proposals;
using Participa.Api.Features.Submitting;
using Participa.Api.Hosting;
using Participa.Api.Http;
using Participa.Domain;
using Participa.Storage;

namespace Participa.Api.Features.Roundtables;

/// <summary>Who can see it: everyone. Attendance appears only as counts; facilitators appear as name and organisation.</summary>
public sealed record MeetingResponse(
    string Id, string ProcessId, string Theme, string Title, DateTimeOffset StartsAt, DateTimeOffset? EndsAt,
    string? Place, string? Link, IReadOnlyList<Facilitator> Facilitators, string? Agenda, string Status, string? CancellationReason,
    IReadOnlyList<Reschedule> Reschedules, IReadOnlyList<EvidenceLink> Evidence, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string Url)
{
    /// <summary>Absent in lists, which stay small: the meeting's own URL has them.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Minutes { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public AttendanceCounts? Attendance { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public MeetingProposals? Proposals { get; init; }

    public static MeetingResponse From(Meeting m) => new(m.Id, m.ProcessId, m.Theme, m.Title, m.StartsAt, m.EndsAt, m.Place, m.Link,
        m.Facilitators, m.Agenda, m.Status, m.CancellationReason, m.Reschedules, m.Evidence, m.CreatedAt, m.UpdatedAt, MeetingStore.Path(m.ProcessId, m.Id));
}

public sealed record MeetingProposals(long Count, string Url);

/// <summary>Staff only: an attendee as registered, with the contact details kept for follow-up.</summary>
public sealed record AttendeeResponse(string Id, string Name, string? Organisation, string? Sector, string? Gender, string? Department, string? Email, string? Phone, DateTimeOffset AddedAt)
{
    public static AttendeeResponse From(Attendee a) => new(a.Id, a.Name, a.Organisation, a.Sector, a.Gender, a.Department, a.Email, a.Phone, a.AddedAt);
}

public sealed record AttendanceAdded(IReadOnlyList<AttendeeResponse> Items, AttendanceCounts Attendance);

public sealed class RoundtablesApi(ProcessStore processes, MeetingStore meetings, ProposalStore proposals, Participation participation, TimeProvider clock)
{
    // Minutes of 20,000 characters in any script, JSON-escaped, need more than the default 64 KiB.
    const int MinutesBodyLimit = 256 * 1024;

    [Function("ListMeetings")]
    [ProducesResponseType<PageResponse<MeetingResponse>>(200)]
    public async Task<IResult> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/processes/{processId}/meetings")] HttpRequest request,
        string processId, string? theme, string? status, string? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var errors = new Errors();
        var paging = Paging.Parse(pageSize, continuationToken, errors);
        if (await ProcessesApi.FindAsync(processes, processId, cancellationToken) is not { } process) return ProcessesApi.NotFound(processId);
        if (theme is not null && process.FindTheme(theme) is null)
            errors.Add("theme", Localized.Format(Messages.ThemeOneOf, string.Join(", ", process.Themes.Select(t => t.Id))));
        if (status is not null && !MeetingStatus.All.Contains(status))
            errors.Add("status", Localized.Format(Messages.OneOf, string.Join(", ", MeetingStatus.All)));
        if (errors.Any) return Problems.Validation(errors.ToDictionary());
        return await Paging.RespondAsync(
            () => meetings.ListAsync(processId, theme, status, paging.ContinuationToken, paging.PageSize, cancellationToken),
            () => meetings.CountAsync(processId, theme, status, cancellationToken),
            MeetingResponse.From);
    }

    [Function("GetMeeting")]
    [ProducesResponseType<MeetingResponse>(200)]
    public async Task<IResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/processes/{processId}/meetings/{meetingId}")] HttpRequest request,
        string processId, string meetingId, CancellationToken cancellationToken)
    {
        var response = request.HttpContext.Response;
        var (found, problem) = await FindAsync(processes, meetings, processId, meetingId, cancellationToken);
        if (problem is not null) return problem;
        IfMatch.Set(response, found!.ETag);
        return TypedResults.Ok(await DetailAsync(found.Meeting, meetings, proposals, cancellationToken));
    }

    [Function("CreateMeeting"), StaffOnly(StaffRoles.Facilitator)]
    [RequestBody<MeetingInput>("theme", "title", "startsAt")]
    [ProducesResponseType<MeetingResponse>(201)]
    public async Task<IResult> Create([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/processes/{processId}/meetings")] HttpRequest request,
        string processId, CancellationToken cancellationToken)
    {
        if (await ProcessesApi.FindAsync(processes, processId, cancellationToken) is not { } process) return ProcessesApi.NotFound(processId);
        var (body, problem) = await JsonBody.ReadAsync<MeetingInput>(request);
        if (problem is not null) return problem;
        var now = Timestamps.Truncate(clock.GetUtcNow());
        var errors = new Errors();
        if (Meeting.Create(process, body!.Value, Ids.New(now), now, errors) is not { } meeting)
            return Problems.Validation(errors.ToDictionary());
        if (!MeetingStore.Fits(meeting)) return TooLarge();
        IfMatch.Set(request.HttpContext.Response, await meetings.AddAsync(meeting, cancellationToken));
        return TypedResults.Created(MeetingStore.Path(processId, meeting.Id), MeetingResponse.From(meeting) with
        {
            Minutes = meeting.Minutes,
            Attendance = AttendanceCounts.From([]),
            Proposals = new(0, ProposalsPath(processId, meeting.Id)),
        });
    }

    /// <summary>Replaces the details; If-Match is required, so a facilitator never overwrites a colleague's edit unseen.</summary>
    [Function("EditMeeting"), StaffOnly(StaffRoles.Facilitator)]
    [RequestBody<MeetingInput>("theme", "title"), RequestHeader(IfMatch.Header, Required = true)]
    [ProducesResponseType<MeetingResponse>(200), ProducesResponseType(412), ProducesResponseType(428)]
    public async Task<IResult> Edit([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/processes/{processId}/meetings/{meetingId}")] HttpRequest request,
        string processId, string meetingId, CancellationToken cancellationToken)
    {
        var (found, problem) = await FindAsync(processes, meetings, processId, meetingId, cancellationToken);
        if (problem is not null) return problem;
        if (IfMatch.Read(request) is not { } etag) return IfMatch.Required();
        var (body, badBody) = await JsonBody.ReadAsync<MeetingInput>(request);
        if (badBody is not null) return badBody;
        var errors = new Errors();
        if (found!.Meeting.Edit(found.Process, body!.Value, Timestamps.Truncate(clock.GetUtcNow()), errors) is not { } edited)
            return Problems.Validation(errors.ToDictionary());
        return await SaveAsync(edited, etag, request.HttpContext.Response, meetings, proposals, cancellationToken);
    }

    [Function("ChangeMeetingStatus"), StaffOnly(StaffRoles.Facilitator)]
    [RequestBody<MeetingStatusInput>("status"), RequestHeader(IfMatch.Header)]
    [ProducesResponseType<MeetingResponse>(200), ProducesResponseType(409), ProducesResponseType(412)]
    public async Task<IResult> ChangeStatus([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/processes/{processId}/meetings/{meetingId}/status")] HttpRequest request,
        string processId, string meetingId, CancellationToken cancellationToken)
    {
        var (found, problem) = await FindAsync(processes, meetings, processId, meetingId, cancellationToken);
        if (problem is not null) return problem;
        var (body, badBody) = await JsonBody.ReadAsync<MeetingStatusInput>(request);
        if (badBody is not null) return badBody;
        var errors = new Errors();
        var (changed, conflict) = found!.Meeting.ChangeStatus(body!.Value, Timestamps.Truncate(clock.GetUtcNow()), errors);
        if (errors.Any) return Problems.Validation(errors.ToDictionary());
        if (conflict is not null) return Conflict(conflict);
        return await SaveAsync(changed!, IfMatch.Read(request) ?? found.ETag, request.HttpContext.Response, meetings, proposals, cancellationToken);
    }

    [Function("SetMeetingMinutes"), StaffOnly(StaffRoles.Facilitator)]
    [RequestBody<MinutesInput>, RequestHeader(IfMatch.Header)]
    [ProducesResponseType<MeetingResponse>(200), ProducesResponseType(409), ProducesResponseType(412)]
    public async Task<IResult> SetMinutes([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/processes/{processId}/meetings/{meetingId}/minutes")] HttpRequest request,
        string processId, string meetingId, CancellationToken cancellationToken)
    {
        var (found, problem) = await FindAsync(processes, meetings, processId, meetingId, cancellationToken);
        if (problem is not null) return problem;
        var (body, badBody) = await JsonBody.ReadAsync<MinutesInput>(request, MinutesBodyLimit);
        if (badBody is not null) return badBody;
        var errors = new Errors();
        var (changed, conflict) = found!.Meeting.SetMinutes(body!.Value, Timestamps.Truncate(clock.GetUtcNow()), errors);
        if (errors.Any) return Problems.Validation(errors.ToDictionary());
        if (conflict is not null) return Conflict(conflict);
        return await SaveAsync(changed!, IfMatch.Read(request) ?? found.ETag, request.HttpContext.Response, meetings, proposals, cancellationToken);
    }

    /// <summary>One attendee, or up to 99 in "attendees", stored in one transaction: all or none.</summary>
    [Function("RegisterAttendance"), StaffOnly(StaffRoles.Facilitator)]
    [RequestBody<AttendanceInput>, RequestHeader(Submissions.IdempotencyHeader)]
    [ProducesResponseType<AttendanceAdded>(201), ProducesResponseType(409), ProducesResponseType(422)]
    public async Task<IResult> RegisterAttendance([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/processes/{processId}/meetings/{meetingId}/attendance")] HttpRequest request,
        string processId, string meetingId, CancellationToken cancellationToken)
    {
        var (found, problem) = await FindAsync(processes, meetings, processId, meetingId, cancellationToken);
        if (problem is not null) return problem;
        if (found!.Meeting.IsCancelled) return Conflict(new(Messages.MeetingCancelledNoAttendance));
        var (body, badBody) = await JsonBody.ReadAsync<AttendanceInput>(request);
        if (badBody is not null) return badBody;
        var (key, badKey) = Submissions.ReadIdempotencyKey(request, body!.Sha256);
        if (badKey is not null) return badKey;
        var now = Timestamps.Truncate(clock.GetUtcNow());
        var errors = new Errors();
        if (Attendee.CreateAll(meetingId, body.Value, () => Ids.New(now), now, errors) is not { } attendees)
            return Problems.Validation(errors.ToDictionary());
        // A retried batch (same Idempotency-Key) is the first answer again: a dropped connection must not count people twice.
        var earlier = await meetings.AddAttendeesAsync(found!.Meeting, attendees, key, cancellationToken);
        if (earlier is not null)
        {
            if (!earlier.Value.SameRequest)
                return TypedResults.Problem(Messages.IdempotencyKeyReused, statusCode: StatusCodes.Status422UnprocessableEntity, title: Messages.TitleIdempotencyKeyReused);
            if (earlier.Value.Attendees is null)
                return TypedResults.Problem(Messages.ReplayNoLongerPublic, statusCode: StatusCodes.Status409Conflict, title: Messages.TitleAlreadySubmitted);
            request.HttpContext.Response.Headers["Idempotent-Replayed"] = "true";
        }
        var stored = earlier?.Attendees ?? attendees;   // the batch stored first, on a replay
        return TypedResults.Created($"{MeetingStore.Path(processId, meetingId)}/attendance",
            new AttendanceAdded(stored.Select(AttendeeResponse.From).ToList(), await meetings.CountAttendanceAsync(processId, meetingId, cancellationToken)));
    }

    [Function("ListAttendance"), StaffOnly(StaffRoles.Facilitator)]
    [ProducesResponseType<PageResponse<AttendeeResponse>>(200)]
    public async Task<IResult> ListAttendance([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/processes/{processId}/meetings/{meetingId}/attendance")] HttpRequest request,
        string processId, string meetingId, string? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var errors = new Errors();
        var paging = Paging.Parse(pageSize, continuationToken, errors);
        var (_, problem) = await FindAsync(processes, meetings, processId, meetingId, cancellationToken);
        if (problem is not null) return problem;
        if (errors.Any) return Problems.Validation(errors.ToDictionary());
        // Uncached, unlike public list counts: a facilitator checks the list right after registering.
        return await Paging.RespondAsync(
            () => meetings.ListAttendeesAsync(processId, meetingId, paging.ContinuationToken, paging.PageSize, cancellationToken),
            async () => (await meetings.CountAttendanceAsync(processId, meetingId, cancellationToken)).Total,
            AttendeeResponse.From);
    }

    [Function("RemoveAttendee"), StaffOnly(StaffRoles.Facilitator)]
    [ProducesResponseType(204)]
    public async Task<IResult> RemoveAttendee([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/processes/{processId}/meetings/{meetingId}/attendance/{attendeeId}")] HttpRequest request,
        string processId, string meetingId, string attendeeId, CancellationToken cancellationToken)
    {
        var (_, problem) = await FindAsync(processes, meetings, processId, meetingId, cancellationToken);
        if (problem is not null) return problem;
        if (!Ids.IsValid(attendeeId) || !await meetings.RemoveAttendeeAsync(processId, meetingId, attendeeId, clock.GetUtcNow(), cancellationToken))
            return Problems.NotFound(Localized.Format(Messages.NoAttendee, attendeeId, meetingId));
        return TypedResults.NoContent();
    }

    /// <summary>
    /// A proposal made at the table, entered by its facilitator: validated like a citizen's and stored as one, plus a
    /// copy under the meeting. No submission window applies (the table met when it met); the meeting must not be cancelled.
    /// The theme defaults to the table's; it is dated by the meeting, and the entry time kept as recordedAt.
    /// </summary>
    [Function("RecordMeetingProposal"), StaffOnly(StaffRoles.Facilitator)]
    [RequestBody<ProposalInput>("title", "problem", "proposedSolution", "department"), RequestHeader(Submissions.IdempotencyHeader)]
    [ProducesResponseType<ProposalResponse>(201), ProducesResponseType(409), ProducesResponseType(422)]
    public async Task<IResult> RecordProposal([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/processes/{processId}/meetings/{meetingId}/proposals")] HttpRequest request,
        string processId, string meetingId, CancellationToken cancellationToken)
    {
        var (found, problem) = await FindAsync(processes, meetings, processId, meetingId, cancellationToken);
        if (problem is not null) return problem;
        if (found!.Meeting.IsCancelled) return Conflict(new(Messages.MeetingCancelledNoProposals));
        var (body, badBody) = await JsonBody.ReadAsync<ProposalInput>(request);
        if (badBody is not null) return badBody;
        var (key, badKey) = Submissions.ReadIdempotencyKey(request, body!.Sha256);
        if (badKey is not null) return badKey;

        var at = new Participation.Transcription(found.Process, found.Meeting, null, null);
        var submitted = await participation.ProposeAsync(at, body.Value, key, cancellationToken);
        if (submitted is not Submitted.Written { Item: Proposal proposal, Sha256: var sha256, Outcome: var outcome }) return Submissions.Refused(submitted, processId);
        return await Submissions.RespondAsync(outcome, request.HttpContext.Response, ProposalStore.Path(processId, proposal.Id),
            ProposalResponse.From(new(proposal, sha256), supports: 0),
            async id => await proposals.FindAsync(processId, id, cancellationToken) is { } first
                ? (ProposalStore.Path(processId, id), ProposalResponse.From(first)) : null);
    }

    [Function("ListMeetingProposals")]
    [ProducesResponseType<PageResponse<ProposalResponse>>(200)]
    public async Task<IResult> ListProposals([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/processes/{processId}/meetings/{meetingId}/proposals")] HttpRequest request,
        string processId, string meetingId, string? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var errors = new Errors();
        var paging = Paging.Parse(pageSize, continuationToken, errors);
        var (_, problem) = await FindAsync(processes, meetings, processId, meetingId, cancellationToken);
        if (problem is not null) return problem;
        if (errors.Any) return Problems.Validation(errors.ToDictionary());
        var filter = new ProposalFilter(Meeting: meetingId);
        return await Paging.RespondAsync(
            () => proposals.ListAsync(processId, filter, paging.ContinuationToken, paging.PageSize, cancellationToken),
            () => proposals.CountAsync(processId, filter, cancellationToken),
            p => ProposalResponse.From(p));
    }

    sealed record Found(Process Process, Meeting Meeting, ETag ETag);

    /// <summary>The process and the meeting, or 404; a malformed id never reaches a storage key.</summary>
    static async Task<(Found? Found, IResult? Problem)> FindAsync(ProcessStore processes, MeetingStore meetings, string processId, string meetingId, CancellationToken cancellationToken)
    {
        if (await ProcessesApi.FindAsync(processes, processId, cancellationToken) is not { } process) return (null, ProcessesApi.NotFound(processId));
        if (!Ids.IsValid(meetingId) || await meetings.FindAsync(processId, meetingId, cancellationToken) is not { } found)
            return (null, Problems.NotFound(Localized.Format(Messages.NoMeeting, meetingId, processId)));
        return (new(process, found.Meeting, found.ETag), null);
    }

    static async Task<IResult> SaveAsync(Meeting meeting, ETag etag, HttpResponse response, MeetingStore meetings, ProposalStore proposals, CancellationToken cancellationToken)
    {
        if (!MeetingStore.Fits(meeting)) return TooLarge();
        try
        {
            IfMatch.Set(response, await meetings.ReplaceAsync(meeting, etag, cancellationToken));
        }
        catch (RequestFailedException e) when (e.Status == StatusCodes.Status412PreconditionFailed)
        {
            return IfMatch.Stale();
        }
        return TypedResults.Ok(await DetailAsync(meeting, meetings, proposals, cancellationToken));
    }

    static async Task<MeetingResponse> DetailAsync(Meeting m, MeetingStore meetings, ProposalStore proposals, CancellationToken cancellationToken) =>
        MeetingResponse.From(m) with
        {
            Minutes = m.Minutes,
            // Public: small counts withheld. The facilitator sees exact counts when registering.
            Attendance = (await meetings.CountAttendanceAsync(m.ProcessId, m.Id, cancellationToken)).Public(),
            Proposals = new(await proposals.CountAsync(m.ProcessId, new ProposalFilter(Meeting: m.Id), cancellationToken), ProposalsPath(m.ProcessId, m.Id)),
        };

    static string ProposalsPath(string processId, string meetingId) => $"{MeetingStore.Path(processId, meetingId)}/proposals";

    static IResult Conflict(MeetingConflict conflict) =>
        TypedResults.Problem(conflict.Message, statusCode: StatusCodes.Status409Conflict, title: Messages.TitleMeetingState);

    static IResult TooLarge() => Problems.BadRequest(Messages.MeetingTextsTooLong);
}
