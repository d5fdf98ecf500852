using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Participa.Domain;

namespace Participa.Storage;

/// <summary>
/// Meetings live in their process's partition of Submissions, next to the proposals recorded at them: "m|{id}" the
/// meeting (as JSON, with Theme and Status columns to filter on), "ma|{meetingId}|{attendeeId}" one private row per
/// attendee. Attendance counts are computed from those rows on every read, so they cannot drift from the list and two
/// facilitators registering at once never contend on one row. See docs/roundtables.md.
/// </summary>
public sealed class MeetingStore(SubmissionStore submissions, Tables tables)
{
    // A string property holds at most 64 KiB (32K UTF-16 units); minutes alone may need more, so the JSON is split.
    const int ChunkChars = 30_000;

    // An entity holds at most 1 MiB, stored as UTF-16; escaped JSON of texts in rare scripts can be 6x their length.
    const int MaxJsonChars = 400_000;

    /// <summary>False when the meeting's texts together are too large for one row (only with extreme texts; a 400 then, not a storage error).</summary>
    public static bool Fits(Meeting meeting) => JsonSerializer.Serialize(meeting, Json.Options).Length <= MaxJsonChars;

    public static string Path(string processId, string id) => $"/api/processes/{processId}/meetings/{id}";
    static string Key(string id) => $"m|{id}";
    public static string AttendancePrefix(string meetingId) => $"{AttendanceRows}{meetingId}|";
    public const string AttendanceRows = "ma|";

    public async Task<ETag> AddAsync(Meeting meeting, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        try
        {
            return (await tables.Submissions.AddEntityAsync(Row(meeting), cancellationToken)).Headers.ETag!.Value;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // The id is new, so a conflict is the SDK retrying our own add whose answer was lost.
            return (await FindAsync(meeting.ProcessId, meeting.Id, cancellationToken))!.Value.ETag;
        }
    }

    public async Task<(Meeting Meeting, ETag ETag)?> FindAsync(string processId, string id, CancellationToken cancellationToken) =>
        await submissions.FindAsync(processId, Key(id), cancellationToken) is { } e ? (Read(e), e.ETag) : null;

    /// <summary>Replaces the meeting if it still has <paramref name="etag"/>.</summary>
    /// <exception cref="RequestFailedException">412 when the meeting changed since.</exception>
    public async Task<ETag> ReplaceAsync(Meeting meeting, ETag etag, CancellationToken cancellationToken) =>
        (await tables.Submissions.UpdateEntityAsync(Row(meeting), etag, TableUpdateMode.Replace, cancellationToken)).Headers.ETag!.Value;

    public async Task<Page<Meeting>> ListAsync(string processId, string? theme, string? status, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var page = await submissions.PageAsync(processId, "m|", Filter(theme, status), continuationToken, pageSize, cancellationToken);
        return new(page.Items.Select(Read).ToList(), page.ContinuationToken);
    }

    public Task<long> CountAsync(string processId, string? theme, string? status, CancellationToken cancellationToken) =>
        submissions.CountAsync(processId, "m|", Filter(theme, status), cancellationToken);

    static string? Filter(string? theme, string? status) => ItemRows.And(ItemRows.Eq("Theme", theme), ItemRows.Eq("Status", status));

    /// <summary>
    /// All attendees of a batch and their statistics journal row in one transaction (at most 100 actions, hence
    /// <see cref="Attendee.BatchMax"/> of 99): all are registered and counted, or none.
    /// </summary>
    /// <returns>
    /// Null when stored; when <paramref name="key"/> was used before, the attendees stored then (null if any was removed
    /// since) and whether it was this same request, so a facilitator's retried batch is not counted twice.
    /// </returns>
    public async Task<(IReadOnlyList<Attendee>? Attendees, bool SameRequest)?> AddAttendeesAsync(Meeting meeting, IReadOnlyList<Attendee> attendees, IdempotencyKey? key, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var processId = meeting.ProcessId;
        var stats = attendees.Select(a => Stat(meeting, a)).ToList();
        var actions = attendees.Zip(stats, (a, stat) => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(processId, AttendancePrefix(a.MeetingId) + a.Id)
        {
            ["Id"] = a.Id,
            ["MeetingId"] = a.MeetingId,
            ["Name"] = a.Name,
            ["Organisation"] = a.Organisation,
            ["Sector"] = a.Sector,
            ["Gender"] = a.Gender,
            ["Department"] = a.Department,
            ["Email"] = a.Email,
            ["Phone"] = a.Phone,
            ["AddedAt"] = a.AddedAt,
            // Kept on the row so a full recompute counts attendance from the rows themselves.
            ["Stat"] = Journal.Serialize(stat),
        })).Append(new(TableTransactionActionType.Add, Journal.Row(processId, Ids.New(attendees[0].AddedAt), stats, +1))).ToList();
        // First, so a conflict on it (index 0) means the key was used before.
        if (key is not null)
            actions.Insert(0, new(TableTransactionActionType.Add, new TableEntity(processId, Keys.Idempotency(key.KeyHash))
            {
                ["RequestHash"] = key.RequestHash,
                ["ItemId"] = attendees[0].Id,
                ["AttendeeIds"] = string.Join(',', attendees.Select(a => a.Id)),
            }));
        try
        {
            await tables.Submissions.SubmitTransactionAsync(actions, cancellationToken);
        }
        catch (TableTransactionFailedException e) when (e.Status == 409 && key is not null && e.FailedTransactionActionIndex == 0)
        {
            var marker = await submissions.FindAsync(processId, Keys.Idempotency(key.KeyHash), cancellationToken)
                ?? throw new InvalidOperationException("The idempotency marker conflicted and is gone.", e);
            if (marker.GetString("RequestHash") != key.RequestHash) return (null, false);
            var earlier = await Task.WhenAll(marker.GetString("AttendeeIds").Split(',').Select(id =>
                submissions.FindAsync(processId, AttendancePrefix(meeting.Id) + id, cancellationToken)));
            return (earlier.Any(e => e is null) ? null : earlier.Select(e => ReadAttendee(meeting.Id, e!)).ToList(), true);
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            // Fresh ids: a conflict means the SDK retried a transaction that had committed. Nothing more to do.
        }
        return null;
    }

    static Attendee ReadAttendee(string meetingId, TableEntity e) => new(meetingId, e.GetString("Id"), e.GetString("Name"), e.GetString("Organisation"),
        e.GetString("Sector"), e.GetString("Gender"), e.GetString("Department"), e.GetDateTimeOffset("AddedAt")!.Value.ToUniversalTime())
    {
        Email = e.GetString("Email"),
        Phone = e.GetString("Phone"),
    };

    public async Task<Page<Attendee>> ListAttendeesAsync(string processId, string meetingId, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var page = await submissions.PageAsync(processId, AttendancePrefix(meetingId), null, continuationToken, pageSize, cancellationToken);
        return new(page.Items.Select(e => ReadAttendee(meetingId, e)).ToList(), page.ContinuationToken);
    }

    /// <summary>Deletes the row and counts it out of the statistics in one transaction. False if there was no such attendee.</summary>
    public async Task<bool> RemoveAttendeeAsync(string processId, string meetingId, string attendeeId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await submissions.FindAsync(processId, AttendancePrefix(meetingId) + attendeeId, cancellationToken) is not { } row) return false;
        List<TableTransactionAction> actions = [new(TableTransactionActionType.Delete, row, row.ETag)];
        if (row.GetString("Stat") is { } stat) actions.Add(new(TableTransactionActionType.Add, Journal.Row(processId, Ids.New(now), stat, -1, null)));
        try
        {
            await tables.Submissions.SubmitTransactionAsync(actions, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 404 or 412)
        {
            // Removed by someone else meanwhile: their removal counted it out.
            return false;
        }
    }

    static StatRecord Stat(Meeting meeting, Attendee a) =>
        new(StatKind.Attendance, a.Id, a.AddedAt, Theme: meeting.Theme, Department: a.Department, Sector: a.Sector, Gender: a.Gender, Meeting: meeting.Id);

    /// <summary>Counts from the rows, reading only the three counted columns (never the names). Not cached: a facilitator checks them right after registering.</summary>
    public async Task<AttendanceCounts> CountAttendanceAsync(string processId, string meetingId, CancellationToken cancellationToken)
    {
        var rows = new List<(string?, string?, string?)>();
        await foreach (var e in submissions.ScanAsync(processId, AttendancePrefix(meetingId), null, ["Sector", "Gender", "Department"], cancellationToken))
            rows.Add((e.GetString("Sector"), e.GetString("Gender"), e.GetString("Department")));
        return AttendanceCounts.From(rows);
    }

    static TableEntity Row(Meeting m)
    {
        var json = JsonSerializer.Serialize(m, Json.Options);
        var row = new TableEntity(m.ProcessId, Key(m.Id))
        {
            ["Id"] = m.Id,
            ["Theme"] = m.Theme,
            ["Status"] = m.Status,
            ["StartsAt"] = m.StartsAt,
        };
        var chunks = 0;
        for (var start = 0; start < json.Length; chunks++)
        {
            var length = Math.Min(ChunkChars, json.Length - start);
            // Never split a surrogate pair: a lone half does not survive the trip as UTF-8.
            if (start + length < json.Length && char.IsHighSurrogate(json[start + length - 1])) length--;
            row[$"Json{chunks}"] = json.Substring(start, length);
            start += length;
        }
        row["Chunks"] = chunks;
        return row;
    }

    static Meeting Read(TableEntity e)
    {
        var chunks = e.GetInt32("Chunks") ?? 1;
        var json = string.Concat(Enumerable.Range(0, chunks).Select(i => e.GetString($"Json{i}")));
        return JsonSerializer.Deserialize<Meeting>(json, Json.Options)!;
    }
}
