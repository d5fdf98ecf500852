using System.Globalization;

namespace Participa.Domain;

/// <summary>Where a meeting stands. A moved meeting keeps its old dates in <see cref="Meeting.Reschedules"/>.</summary>
public static class MeetingStatus
{
    public const string Scheduled = "scheduled";
    public const string Held = "held";
    public const string Rescheduled = "rescheduled";
    public const string Cancelled = "cancelled";
    public static readonly IReadOnlyList<string> All = [Scheduled, Held, Rescheduled, Cancelled];
}

/// <summary>A facilitator acts in an official role, so name and organisation are public; contacts are never taken.</summary>
public sealed record Facilitator(string Name, string? Organisation);

public sealed record EvidenceLink(string Label, string Url);

/// <summary>One move of a meeting: the dates it had before, when it was moved, and the public reason if one was given.</summary>
public sealed record Reschedule(DateTimeOffset PreviousStartsAt, DateTimeOffset? PreviousEndsAt, DateTimeOffset RescheduledAt, string? Reason);

public sealed record FacilitatorInput(string? Name, string? Organisation);

public sealed record EvidenceInput(string? Label, string? Url);

/// <summary>What a facilitator sends to create or edit a meeting. Times are ISO 8601 with an offset (Z for UTC).</summary>
public sealed record MeetingInput
{
    public string? Theme { get; init; }
    public string? Title { get; init; }
    public string? StartsAt { get; init; }
    public string? EndsAt { get; init; }
    public string? Place { get; init; }
    public string? Link { get; init; }
    public List<FacilitatorInput?>? Facilitators { get; init; }
    public string? Agenda { get; init; }
}

public sealed record MeetingStatusInput
{
    public string? Status { get; init; }
    public string? StartsAt { get; init; }
    public string? EndsAt { get; init; }
    public string? Reason { get; init; }
}

public sealed record MinutesInput
{
    public string? Minutes { get; init; }
    public List<EvidenceInput?>? Evidence { get; init; }
}

/// <summary>Why a status change cannot happen from the meeting's current state (an answer of 409, not 400).</summary>
/// <summary>Why a change is not possible in the meeting's state (409), in the reader's language.</summary>
public sealed record MeetingConflict(string Message);

/// <summary>
/// A thematic roundtable (mesa temática) or regional forum of a process. Attendance is not part of it: attendees are
/// stored privately, one row each, and only their counts are public (<see cref="AttendanceCounts"/>).
/// </summary>
public sealed record Meeting(
    string ProcessId,
    string Id,
    string Theme,
    string Title,
    DateTimeOffset StartsAt,
    DateTimeOffset? EndsAt,
    string? Place,
    string? Link,
    IReadOnlyList<Facilitator> Facilitators,
    string? Agenda,
    string Status,
    string? CancellationReason,
    IReadOnlyList<Reschedule> Reschedules,
    string? Minutes,
    IReadOnlyList<EvidenceLink> Evidence,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public const int TitleMax = 200;
    public const int PlaceMax = 300;
    public const int AgendaMax = 4000;
    public const int UrlMax = 2000;
    public const int FacilitatorsMax = 20;
    public const int ReasonMax = 2000;
    public const int MinutesMax = 20_000;
    public const int EvidenceMax = 20;
    public const int LabelMax = 200;
    public const int ReschedulesMax = 20;

    public bool IsCancelled => Status == MeetingStatus.Cancelled;

    public static Meeting? Create(Process process, MeetingInput input, string id, DateTimeOffset now, Errors errors)
    {
        var details = Details(process, input, errors);
        var startsAt = Times.Required(errors, "startsAt", input.StartsAt);
        var endsAt = Times.Optional(errors, "endsAt", input.EndsAt);
        if (startsAt is { } s && endsAt is { } e && e <= s) errors.Add("endsAt", Messages.EndsAfterStarts);
        if (errors.Any) return null;
        return new Meeting(process.Id, id, details!.Theme, details.Title, startsAt!.Value, endsAt, details.Place, details.Link,
            details.Facilitators, details.Agenda, MeetingStatus.Scheduled, null, [], null, [], now, now);
    }

    /// <summary>
    /// Replaces the details. The dates are not edited here: a meeting moves through the status "rescheduled", which
    /// keeps the old dates in public. So the body may repeat the current dates (GET, change, PUT back) but not change them.
    /// </summary>
    public Meeting? Edit(Process process, MeetingInput input, DateTimeOffset now, Errors errors)
    {
        var details = Details(process, input, errors);
        if (input.StartsAt is not null && Times.Optional(errors, "startsAt", input.StartsAt) is { } s && s != StartsAt)
            errors.Add("startsAt", Messages.MoveByRescheduling);
        if (input.EndsAt is not null && Times.Optional(errors, "endsAt", input.EndsAt) is { } e && e != EndsAt)
            errors.Add("endsAt", Messages.MoveByRescheduling);
        if (errors.Any) return null;
        return this with
        {
            Theme = details!.Theme, Title = details.Title, Place = details.Place, Link = details.Link,
            Facilitators = details.Facilitators, Agenda = details.Agenda, UpdatedAt = now,
        };
    }

    /// <summary>
    /// held, rescheduled (new startsAt required, the old dates go to the history) or cancelled (public reason
    /// required). Held and cancelled are final. Returns null with errors (400) or a conflict (409).
    /// </summary>
    public (Meeting? Meeting, MeetingConflict? Conflict) ChangeStatus(MeetingStatusInput input, DateTimeOffset now, Errors errors)
    {
        var reason = Text.Optional(errors, "reason", input.Reason, ReasonMax, multiline: true);
        if (string.IsNullOrWhiteSpace(input.Status) || input.Status is not (MeetingStatus.Held or MeetingStatus.Rescheduled or MeetingStatus.Cancelled))
        {
            errors.Add("status", Localized.Format(Messages.OneOf, string.Join(", ", MeetingStatus.Held, MeetingStatus.Rescheduled, MeetingStatus.Cancelled)));
            return (null, null);
        }
        DateTimeOffset? startsAt = null, endsAt = null;
        if (input.Status == MeetingStatus.Rescheduled)
        {
            startsAt = Times.Required(errors, "startsAt", input.StartsAt);
            endsAt = Times.Optional(errors, "endsAt", input.EndsAt);
            if (startsAt is { } s && endsAt is { } e && e <= s) errors.Add("endsAt", Messages.EndsAfterStarts);
            if (startsAt is { } same && same == StartsAt && endsAt == EndsAt) errors.Add("startsAt", Messages.SameDate);
        }
        else if (input.StartsAt is not null || input.EndsAt is not null)
            errors.Add(input.StartsAt is not null ? "startsAt" : "endsAt", Localized.Format(Messages.OnlyWithStatus, MeetingStatus.Rescheduled));
        if (input.Status == MeetingStatus.Cancelled && reason is null && !errors.Any)
            errors.Add("reason", Messages.CancelReasonRequired);
        if (errors.Any) return (null, null);

        if (Status is MeetingStatus.Held or MeetingStatus.Cancelled)
            return (null, new MeetingConflict(Localized.Format(Messages.MeetingFinal, Status)));
        if (input.Status == MeetingStatus.Rescheduled && Reschedules.Count >= ReschedulesMax)
            return (null, new MeetingConflict(Localized.Format(Messages.MeetingMovedTooOften, ReschedulesMax)));
        if (input.Status == MeetingStatus.Held && now < StartsAt)
            return (null, new MeetingConflict(Localized.Format(Messages.MeetingNotStarted, Timestamps.Format(StartsAt))));

        return (input.Status switch
        {
            MeetingStatus.Held => this with { Status = MeetingStatus.Held, UpdatedAt = now },
            MeetingStatus.Cancelled => this with { Status = MeetingStatus.Cancelled, CancellationReason = reason, UpdatedAt = now },
            _ => this with
            {
                Status = MeetingStatus.Rescheduled,
                StartsAt = startsAt!.Value,
                EndsAt = endsAt,
                Reschedules = [.. Reschedules, new Reschedule(StartsAt, EndsAt, now, reason)],
                UpdatedAt = now,
            },
        }, null);
    }

    /// <summary>Minutes belong to a meeting that was held; evidence links are http(s) only, each with a label.</summary>
    public (Meeting? Meeting, MeetingConflict? Conflict) SetMinutes(MinutesInput input, DateTimeOffset now, Errors errors)
    {
        var minutes = Text.Optional(errors, "minutes", input.Minutes, MinutesMax, multiline: true);
        var evidence = new List<EvidenceLink>();
        if (input.Evidence is { Count: > EvidenceMax })
            errors.Add("evidence", Localized.Format(Messages.MaxEvidence, EvidenceMax));
        else
            for (var i = 0; i < (input.Evidence?.Count ?? 0); i++)
            {
                var field = $"evidence[{i}]";
                var link = input.Evidence![i];
                var label = Text.Required(errors, field + ".label", link?.Label, LabelMax);
                var url = Url(errors, field + ".url", link?.Url, required: true);
                if (label is not null && url is not null) evidence.Add(new(label, url));
            }
        if (errors.Any) return (null, null);
        if (Status != MeetingStatus.Held)
            return (null, new MeetingConflict(Localized.Format(Messages.MinutesNeedHeld, Status)));
        return (this with { Minutes = minutes, Evidence = evidence, UpdatedAt = now }, null);
    }

    sealed record MeetingDetails(string Theme, string Title, string? Place, string? Link, IReadOnlyList<Facilitator> Facilitators, string? Agenda);

    static MeetingDetails? Details(Process process, MeetingInput input, Errors errors)
    {
        if (string.IsNullOrWhiteSpace(input.Theme))
            errors.Add("theme", Messages.Required);
        else if (process.FindTheme(input.Theme) is null)
            errors.Add("theme", Localized.Format(Messages.ThemeOneOf, string.Join(", ", process.Themes.Select(t => t.Id))));
        var title = Text.Required(errors, "title", input.Title, TitleMax);
        var place = Text.Optional(errors, "place", input.Place, PlaceMax);
        var link = Url(errors, "link", input.Link, required: false);
        if (string.IsNullOrWhiteSpace(input.Place) && string.IsNullOrWhiteSpace(input.Link))
            errors.Add("place", Messages.PlaceOrLink);
        var agenda = Text.Optional(errors, "agenda", input.Agenda, AgendaMax, multiline: true);
        var facilitators = new List<Facilitator>();
        if (input.Facilitators is { Count: > FacilitatorsMax })
            errors.Add("facilitators", Localized.Format(Messages.MaxFacilitators, FacilitatorsMax));
        else
            for (var i = 0; i < (input.Facilitators?.Count ?? 0); i++)
            {
                var f = input.Facilitators![i];
                var name = Text.Required(errors, $"facilitators[{i}].name", f?.Name, Participant.NameMax);
                var organisation = Text.Optional(errors, $"facilitators[{i}].organisation", f?.Organisation, Participant.NameMax);
                if (name is not null) facilitators.Add(new(name, organisation));
            }
        return errors.Any ? null : new MeetingDetails(input.Theme!, title!, place, link, facilitators, agenda);
    }

    /// <summary>Only absolute http and https URLs: anything else (javascript:, data:, file:) could harm whoever clicks it.</summary>
    public static string? Url(Errors errors, string field, string? value, bool required)
    {
        var text = required ? Text.Required(errors, field, value, UrlMax) : Text.Optional(errors, field, value, UrlMax);
        if (text is null) return null;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.Host.Length > 0)
            return text;
        errors.Add(field, Messages.UrlInvalid);
        return null;
    }
}

/// <summary>
/// What a facilitator sends per attendee. Everything but the name is optional: sector, gender and department are
/// only ever counted; email and phone are kept for follow-up and shown to staff alone.
/// </summary>
public record AttendeeInput
{
    public string? Name { get; init; }
    public string? Organisation { get; init; }
    public string? Sector { get; init; }
    public string? Gender { get; init; }
    public string? Department { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
}

/// <summary>One attendee, or a batch in <see cref="Attendees"/> (then the top-level fields are ignored).</summary>
public sealed record AttendanceInput : AttendeeInput
{
    public List<AttendeeInput?>? Attendees { get; init; }
}

/// <summary>A person at a meeting. Private: only staff see the list; the public sees <see cref="AttendanceCounts"/>.</summary>
public sealed record Attendee(string MeetingId, string Id, string Name, string? Organisation, string? Sector, string? Gender, string? Department, DateTimeOffset AddedAt)
{
    /// <summary>Contact details for follow-up: private like the name, never counted, journaled or published.</summary>
    public string? Email { get; init; }
    public string? Phone { get; init; }

    /// <summary>99, not 100: the batch and its statistics journal row share one transaction of at most 100 actions.</summary>
    public const int BatchMax = 99;

    /// <summary>Validates one attendee or a batch (all or none); field names carry the index for a batch.</summary>
    public static IReadOnlyList<Attendee>? CreateAll(string meetingId, AttendanceInput input, Func<string> newId, DateTimeOffset now, Errors errors)
    {
        var batch = input.Attendees is not null;
        var items = batch ? input.Attendees! : [input];
        if (batch && items.Count is 0 or > BatchMax)
        {
            errors.Add("attendees", Localized.Format(Messages.AttendeesCount, BatchMax));
            return null;
        }
        var result = new List<Attendee>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var prefix = batch ? $"attendees[{i}]." : "";
            var a = items[i];
            var name = Text.Required(errors, prefix + "name", a?.Name, Participant.NameMax);
            var organisation = Text.Optional(errors, prefix + "organisation", a?.Organisation, Participant.NameMax);
            var sector = Profile.Choose(errors, prefix + "sector", a?.Sector, Profile.Sectors);
            var gender = Profile.Choose(errors, prefix + "gender", a?.Gender, Profile.Genders);
            string? department = null;
            if (!string.IsNullOrWhiteSpace(a?.Department))
            {
                if (Departments.Find(a.Department) is null)
                    errors.Add(prefix + "department", Messages.DepartmentInvalid);
                else department = a.Department;
            }
            var email = Contacts.Email(errors, prefix + "email", a?.Email);
            var phone = Contacts.Phone(errors, prefix + "phone", a?.Phone);
            if (name is not null) result.Add(new(meetingId, newId(), name, organisation, sector, gender, department, now) { Email = email, Phone = phone });
        }
        return errors.Any ? null : result;
    }
}

/// <summary>
/// The only public view of attendance: counts, computed from the attendance rows, never typed in. A null count is
/// withheld (<see cref="Disclosure"/>): the public sees <see cref="Public"/>, only the facilitator the exact counts.
/// </summary>
public sealed record AttendanceCounts(int Total, IReadOnlyDictionary<string, int?> BySector, IReadOnlyDictionary<string, int?> ByGender, IReadOnlyDictionary<string, int?> ByDepartment)
{
    public const string Unspecified = "unspecified";

    public AttendanceCounts Public() => new(Total, Withhold(BySector), Withhold(ByGender), Withhold(ByDepartment));

    static SortedDictionary<string, int?> Withhold(IReadOnlyDictionary<string, int?> counts)
    {
        var suppressed = Disclosure.Suppressed(counts.Select(kv => KeyValuePair.Create(kv.Key, (long)(kv.Value ?? 0))));
        return new(counts.ToDictionary(kv => kv.Key, kv => suppressed.Contains(kv.Key) ? null : kv.Value), StringComparer.Ordinal);
    }

    public static AttendanceCounts From(IEnumerable<(string? Sector, string? Gender, string? Department)> attendees)
    {
        var list = attendees.ToList();
        return new(list.Count, Count(list.Select(a => a.Sector)), Count(list.Select(a => a.Gender)), Count(list.Select(a => a.Department)));
    }

    static SortedDictionary<string, int?> Count(IEnumerable<string?> values)
    {
        var counts = new SortedDictionary<string, int?>(StringComparer.Ordinal);
        foreach (var v in values)
        {
            var key = string.IsNullOrEmpty(v) ? Unspecified : v;
            counts[key] = (counts.GetValueOrDefault(key) ?? 0) + 1;
        }
        return counts;
    }
}

/// <summary>Times staff send: ISO 8601 with an explicit offset, so "10:00" is never read in the server's own zone.</summary>
public static class Times
{
    public static DateTimeOffset? Required(Errors errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, Messages.Required);
            return null;
        }
        return Optional(errors, field, value);
    }

    public static DateTimeOffset? Optional(Errors errors, string field, string? value)
    {
        if (value is null) return null;
        var v = value.Trim();
        var hasOffset = v.EndsWith('Z') || v.EndsWith('z') || (v.Length > 6 && (v[^6] is '+' or '-') && v[^3] == ':');
        if (hasOffset && v.Contains('T') && DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            return Timestamps.Storable(errors, field, Timestamps.Truncate(parsed.ToUniversalTime()));
        errors.Add(field, Messages.DateTimeWithOffset);
        return null;
    }
}
