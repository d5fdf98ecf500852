using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Json.Serialization;
using Participa.Api.Features.Submitting;
using Participa.Api.Hosting;
using Participa.Api.Http;
using Participa.Domain;
using Participa.Storage;

namespace Participa.Api.Features.Bulk;

/// <summary>What became of one row: accepted now, already recorded by an earlier upload (same receipt), or refused with the reason.</summary>
public sealed record BulkRowResult(int Row, string Kind, string Status)
{
    public const string Accepted = "accepted";
    public const string AlreadyRecorded = "already-recorded";
    public const string Refused = "refused";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ReceiptView? Receipt { get; init; }
    /// <summary>Why it was refused (or a note for an already recorded row), in the reader's language.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Message { get; init; }
    /// <summary>Field-level reasons, keyed by the API's field names (the CSV columns).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IDictionary<string, string[]>? Errors { get; init; }
}

/// <summary>The answer to a bulk upload: one result per data row, in file order.</summary>
public sealed record BulkReport(string ProcessId, string? MeetingId, int Rows, int Accepted, int AlreadyRecorded, int Refused, IReadOnlyList<BulkRowResult> Items);

/// <summary>An upload either produced a report (each row decided on its own) or was refused as a whole, with nothing stored.</summary>
public abstract record BulkOutcome
{
    public sealed record Imported(BulkReport Report) : BulkOutcome;
    /// <summary>The HTTP status a caller should answer (400, 403, 404, 409, 413, 422) and the reason in the reader's language.</summary>
    public sealed record Refused(int Status, string Title, string Detail) : BulkOutcome;
}

/// <summary>
/// Paper forms typed into a spreadsheet by facilitators, entered in one upload (docs/bulk-entry.md). Every row goes
/// through <see cref="Participation"/>, as a citizen's form does; each row's idempotency key comes from the
/// process, the meeting and the row's content, so sending the file again stores nothing twice and answers the same receipts.
/// </summary>
public sealed class BulkEntry(Participation participation, ModerationStore moderation, ILogger<BulkEntry> logger)
{
    public const int MaxFileBytes = 10 * 1024 * 1024;
    public const int MaxRows = 10_000;

    /// <summary>Rows stored at once: enough to keep storage busy, few enough not to crowd out citizens on the same instance.</summary>
    const int Parallelism = 24;

    /// <summary>
    /// Reads the whole file, refuses it if it is not CSV this reads (nothing stored), then stores row by row.
    /// <paramref name="staff"/> must hold the Admin or Facilitator role (the API checks it before; a page calling this too).
    /// </summary>
    public async Task<BulkOutcome> ImportAsync(string processId, string? meetingId, Stream csv, ClaimsPrincipal staff, CancellationToken cancellationToken)
    {
        if (!StaffRoles.AdminOrFacilitatorRoles.Any(staff.IsInRole))
            return new BulkOutcome.Refused(StatusCodes.Status403Forbidden, Messages.TitleForbidden, Messages.RolesDoNotAllow);

        var (bytes, tooLarge) = await ReadAsync(csv, cancellationToken);
        if (tooLarge) return new BulkOutcome.Refused(StatusCodes.Status413PayloadTooLarge, Messages.TitleTooLarge, Localized.Format(Messages.BulkTooLarge, MaxFileBytes));
        List<CsvRecord> records;
        try
        {
            var text = CsvReader.Decode(bytes);
            records = CsvReader.Parse(text, CsvReader.DetectSeparator(text));
        }
        catch (CsvFormatException e)
        {
            return FileRefused(StatusCodes.Status400BadRequest, e.Message);
        }
        if (records.Count < 2) return FileRefused(StatusCodes.Status422UnprocessableEntity, Messages.BulkNoRows);
        if (records.Count - 1 > MaxRows) return FileRefused(StatusCodes.Status413PayloadTooLarge, Localized.Format(Messages.BulkTooManyRows, MaxRows));
        var (fields, badHeader) = BulkForms.ReadHeader(records[0].Fields);
        if (badHeader is not null) return FileRefused(StatusCodes.Status422UnprocessableEntity, badHeader);

        var (at, refused) = await participation.TranscriptionAsync(processId, meetingId, cancellationToken);
        switch (refused)
        {
            case Submitted.NotFound { What: "process" }:
                return new BulkOutcome.Refused(StatusCodes.Status404NotFound, Messages.TitleNotFound, Localized.Format(Messages.NoProcess, processId));
            case Submitted.NotFound:
                return new BulkOutcome.Refused(StatusCodes.Status404NotFound, Messages.TitleNotFound, Localized.Format(Messages.NoMeeting, meetingId, processId));
            case Submitted.Conflict conflict:
                return new BulkOutcome.Refused(StatusCodes.Status409Conflict, Messages.TitleMeetingState, conflict.Message);
        }

        // Keys first, in file order: the n-th copy of the same content is always the n-th, however the rows are stored.
        var rows = records.Skip(1).Select(r => BulkForms.Read(r, fields!)).ToList();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var keys = rows.Select(r =>
        {
            var occurrence = seen[r.Canonical] = seen.GetValueOrDefault(r.Canonical) + 1;
            var key = BulkForms.Key(processId, meetingId, r.Canonical, occurrence);
            return new IdempotencyKey("bulk-" + key, key);
        }).ToList();

        var results = new BulkRowResult[rows.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, rows.Count), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                try
                {
                    results[i] = await StoreAsync(at!, rows[i], keys[i], ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One row's failure does not lose the report of the others; sending the file again stores only what is missing.
                    logger.LogError(e, "Bulk entry row {Row} of {ProcessId} failed", rows[i].Row, processId);
                    results[i] = new BulkRowResult(rows[i].Row, rows[i].Kind, BulkRowResult.Refused) { Message = Messages.InternalError };
                }
            });

        var report = new BulkReport(processId, meetingId, results.Length,
            results.Count(r => r.Status == BulkRowResult.Accepted), results.Count(r => r.Status == BulkRowResult.AlreadyRecorded),
            results.Count(r => r.Status == BulkRowResult.Refused), results);
        // Who entered it stays in the logs for the audit; counts only, never a row's content.
        logger.LogInformation("Bulk entry into {ProcessId} (meeting {MeetingId}) by {StaffId}: {Rows} rows, {Accepted} accepted, {Already} already recorded, {Refused} refused",
            processId, meetingId, staff.StaffId(), report.Rows, report.Accepted, report.AlreadyRecorded, report.Refused);
        return new BulkOutcome.Imported(report);
    }

    async Task<BulkRowResult> StoreAsync(Participation.Transcription at, FormRow row, IdempotencyKey key, CancellationToken cancellationToken)
    {
        if (row.Errors.Any || row.Kind.Length == 0)
            return new BulkRowResult(row.Row, row.Kind, BulkRowResult.Refused) { Message = Messages.TitleValidation, Errors = row.Errors.ToDictionary() };
        var submitted = row.Proposal is not null
            ? await participation.ProposeAsync(at, row.Proposal, key, cancellationToken)
            : await participation.GiveOpinionAsync(at, row.Opinion!, key, cancellationToken);
        var processId = at.Process.Id;
        switch (submitted)
        {
            // Replayed with its own id: the storage SDK retried this very write after losing the answer, so it is new.
            case Submitted.Written { Outcome: WriteOutcome.Stored or WriteOutcome.Replayed { SameRequest: true } } written
                when written.Outcome is WriteOutcome.Stored || ((WriteOutcome.Replayed)written.Outcome).ItemId == written.ItemId:
                return new BulkRowResult(row.Row, row.Kind, BulkRowResult.Accepted) { Receipt = ReceiptView.For(processId, written.ItemId, written.Sha256) };
            case Submitted.Written { Outcome: WriteOutcome.Replayed replayed }:
                var receipt = await moderation.ReceiptAsync(processId, replayed.ItemId, cancellationToken)
                    ?? throw new InvalidDataException($"Idempotency marker points at {replayed.ItemId}, which has no receipt.");
                return new BulkRowResult(row.Row, row.Kind, BulkRowResult.AlreadyRecorded)
                {
                    Receipt = ReceiptView.For(processId, replayed.ItemId, receipt.GetString("Sha256")),
                    Message = Messages.BulkAlreadyRecorded,
                };
            case Submitted.Invalid invalid:
                return new BulkRowResult(row.Row, row.Kind, BulkRowResult.Refused) { Message = Messages.TitleValidation, Errors = invalid.Errors.ToDictionary() };
            case Submitted.Closed closed:
                return new BulkRowResult(row.Row, row.Kind, BulkRowResult.Refused) { Message = closed.Window.Message };
            case Submitted.NotFound missing:
                return new BulkRowResult(row.Row, row.Kind, BulkRowResult.Refused) { Message = Localized.Format(Messages.NoSuchInProcess, missing.What, processId) };
            case Submitted.Conflict conflict:
                return new BulkRowResult(row.Row, row.Kind, BulkRowResult.Refused) { Message = conflict.Message };
            default:
                return new BulkRowResult(row.Row, row.Kind, BulkRowResult.Refused) { Message = Messages.AlreadySubmitted };
        }
    }

    static BulkOutcome.Refused FileRefused(int status, string detail) => new(status, Messages.TitleBulkFileRefused, detail);

    /// <summary>At most <see cref="MaxFileBytes"/>, whatever the request claimed its length was.</summary>
    static async Task<(byte[] Bytes, bool TooLarge)> ReadAsync(Stream csv, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await csv.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxFileBytes) return ([], true);
            buffer.Write(chunk, 0, read);
        }
        return (buffer.ToArray(), false);
    }

    /// <summary>The report as CSV, for a spreadsheet next to the file that was sent (same row numbers).</summary>
    public static string ReportCsv(BulkReport report)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append(Csv.Line(["row", "kind", "status", "id", "sha256", "url", "message", "errors"]));
        foreach (var r in report.Items)
            sb.Append(Csv.Line([Csv.Number(r.Row), r.Kind, r.Status, r.Receipt?.Id, r.Receipt?.Sha256, r.Receipt?.Url, r.Message,
                r.Errors is null ? null : string.Join(" | ", r.Errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")))]));
        return sb.ToString();
    }

    /// <summary>The template: the header in the reader's language (Spanish by default) and one example row per kind.</summary>
    public static string Template(bool spanish)
    {
        var header = BulkForms.Columns.Select(c => spanish ? c.Spanish : c.Field);
        var sb = new System.Text.StringBuilder();
        sb.Append(Csv.Line(header));
        sb.Append(Csv.Line(BulkForms.Columns.Select(c => c.Field switch
        {
            "kind" => spanish ? "propuesta" : "proposal",
            "title" => spanish ? "Título de la propuesta" : "Title of the proposal",
            "problem" => spanish ? "El problema que describe" : "The problem it describes",
            "proposedSolution" => spanish ? "La solución que propone" : "The solution it proposes",
            "department" => "solola",
            "sector" => "citizen",
            "showName" => "no",
            _ => "",
        })));
        sb.Append(Csv.Line(BulkForms.Columns.Select(c => c.Field switch
        {
            "kind" => spanish ? "opinión" : "opinion",
            "position" => spanish ? "a favor" : "for",
            "reasons" => spanish ? "Las razones" : "The reasons",
            "department" => "quetzaltenango",
            _ => "",
        })));
        return sb.ToString();
    }
}
