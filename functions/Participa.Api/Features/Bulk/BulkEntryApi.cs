using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Participa.Api.Hosting;
using Participa.Api.Http;
using Participa.Domain;

namespace Participa.Api.Features.Bulk;

/// <summary>
/// The bulk upload of paper forms for offices that script it (docs/bulk-entry.md); the staff pages call
/// <see cref="BulkEntry.ImportAsync"/> with an uploaded file. One request per file, so the citizens' per-address POST
/// limit never counts its rows.
/// </summary>
public sealed class BulkEntryApi(BulkEntry bulk)
{
    const string FileDescription = "CSV (RFC 4180, ',' or ';' or tab, UTF-8 or Windows-1252) with a header of the API's field names or their Spanish names; " +
        "see GET …/bulk-entries/template.csv and docs/bulk-entry.md.";

    [Function("ImportBulkEntries"), StaffOnly(StaffRoles.AdminOrFacilitator), BodyLimit(BulkEntry.MaxFileBytes)]
    [RequestFile("text/csv", FileDescription)]
    [ProducesResponseType<BulkReport>(200), ProducesResponseType<string>(200, "text/csv"), ProducesResponseType(422)]
    public Task<IResult> Import([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/processes/{processId}/bulk-entries")] HttpRequest request,
        string processId, CancellationToken cancellationToken) =>
        ImportAsync(request, processId, null, cancellationToken);

    /// <summary>Forms filled in at a meeting: dated by the meeting, no submission window applies, proposals linked to it.</summary>
    [Function("ImportMeetingBulkEntries"), StaffOnly(StaffRoles.AdminOrFacilitator), BodyLimit(BulkEntry.MaxFileBytes)]
    [RequestFile("text/csv", FileDescription)]
    [ProducesResponseType<BulkReport>(200), ProducesResponseType<string>(200, "text/csv"), ProducesResponseType(409), ProducesResponseType(422)]
    public Task<IResult> ImportAtMeeting([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/processes/{processId}/meetings/{meetingId}/bulk-entries")] HttpRequest request,
        string processId, string meetingId, CancellationToken cancellationToken) =>
        ImportAsync(request, processId, meetingId, cancellationToken);

    /// <summary>The columns in the reader's language (Spanish unless Accept-Language prefers English), with an example row per kind.</summary>
    [Function("GetBulkEntryTemplate"), StaffOnly(StaffRoles.AdminOrFacilitator)]
    [ProducesResponseType<string>(200, "text/csv")]
    public IResult Template([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/processes/{processId}/bulk-entries/template.csv")] HttpRequest request,
        string processId)
    {
        var spanish = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName != "en";
        return TypedResults.File([.. Csv.Utf8Bom, .. System.Text.Encoding.UTF8.GetBytes(BulkEntry.Template(spanish))], "text/csv; charset=utf-8",
            spanish ? "plantilla-formularios.csv" : "forms-template.csv");
    }

    async Task<IResult> ImportAsync(HttpRequest request, string processId, string? meetingId, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) || !mediaType.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase))
            return TypedResults.Problem(Localized.Format(Messages.BulkMediaType, request.ContentType ?? Messages.Nothing),
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: Messages.TitleUnsupportedMediaType);
        switch (await bulk.ImportAsync(processId, meetingId, request.Body, request.HttpContext.User, cancellationToken))
        {
            case BulkOutcome.Refused refused:
                return TypedResults.Problem(refused.Detail, statusCode: refused.Status, title: refused.Title);
            case BulkOutcome.Imported { Report: var report } when WantsCsv(request):
                return TypedResults.File([.. Csv.Utf8Bom, .. System.Text.Encoding.UTF8.GetBytes(BulkEntry.ReportCsv(report))], "text/csv; charset=utf-8", "report.csv");
            case BulkOutcome.Imported { Report: var report }:
                return TypedResults.Ok(report);
            default:
                throw new InvalidOperationException("Unknown bulk outcome.");
        }
    }

    static bool WantsCsv(HttpRequest request) =>
        MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted)
        && accepted.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase));
}
