using Participa.Api.Features.Bulk;
using Participa.Api.Features.Submitting;
using Participa.Api.Hosting;
using Participa.Storage;
using Participa.Web;
using Participa.Web.Pages;

namespace Participa.Api.Features.Pages;

/// <summary>
/// Paper forms typed into a spreadsheet, uploaded from a browser: the same import as the API's (BulkEntry), with the
/// report as a page. Sending the same file again stores nothing twice and shows the same receipts.
/// </summary>
public sealed class BulkEntryPages(Html html, Participation participation, MeetingStore meetings, BulkEntry bulk, BulkEntryApi api)
{
    [Function("BulkEntryPage"), StaffOnly(StaffRoles.AdminOrFacilitator)]
    public async Task<IResult> Form([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/processes/{processId}/bulk-entry")] HttpRequest request,
        string processId, string? meeting, CancellationToken cancellationToken) =>
        await PageAsync(request, html.Context(request), processId, meeting, null, null, 200, cancellationToken);

    [Function("BulkEntryForm"), StaffOnly(StaffRoles.AdminOrFacilitator), BodyLimit(BulkEntry.MaxFileBytes + 64 * 1024)]
    public async Task<IResult> Upload([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/processes/{processId}/bulk-entry")] HttpRequest request,
        string processId, CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        if (!request.HasFormContentType || !request.ContentType!.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return Http.Problems.UnsupportedMediaType(request.ContentType);
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new Microsoft.AspNetCore.Http.Features.FormOptions
            {
                MultipartBodyLengthLimit = BulkEntry.MaxFileBytes, ValueCountLimit = 10, KeyLengthLimit = 100,
            }, cancellationToken);
        }
        catch (InvalidDataException e) when (e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            return Http.Problems.TooLarge(BulkEntry.MaxFileBytes);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            // Not a multipart form a browser would send (a broken boundary, a body cut short).
            return Http.Problems.BadRequest(Web.Resources.UI.BulkChooseFile);
        }
        var meetingId = Html.Value(form, "meeting");
        if (form.Files["file"] is not { Length: > 0 } file)
            return await PageAsync(request, context, processId, meetingId, null, Web.Resources.UI.BulkChooseFile, 422, cancellationToken);
        await using var csv = file.OpenReadStream();
        return await bulk.ImportAsync(processId, meetingId, csv, request.HttpContext.User, cancellationToken) switch
        {
            BulkOutcome.Imported { Report: var report } => await PageAsync(request, context, processId, meetingId, report, null, 200, cancellationToken),
            BulkOutcome.Refused { Status: 404 } => await html.NotFoundAsync(request, context),
            BulkOutcome.Refused refused => await PageAsync(request, context, processId, meetingId, null, refused.Detail,
                refused.Status is 413 or 403 ? refused.Status : 422, cancellationToken),
            _ => throw new InvalidOperationException("Unknown bulk outcome."),
        };
    }

    [Function("BulkEntryTemplate"), StaffOnly(StaffRoles.AdminOrFacilitator)]
    public IResult Template([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/processes/{processId}/bulk-entry/template.csv")] HttpRequest request,
        string processId) => api.Template(request, processId);

    async Task<IResult> PageAsync(HttpRequest request, PageContext context, string processId, string? meetingId, BulkReport? report, string? error, int status,
        CancellationToken cancellationToken)
    {
        if (await participation.FindProcessAsync(processId, cancellationToken) is not { } process) return await html.NotFoundAsync(request, context);
        var list = await meetings.ListAsync(processId, null, null, null, 100, cancellationToken);
        return await html.PageAsync<BulkEntryPage>(request, context, new
        {
            Process = process, Meetings = list.Items, MeetingId = meetingId, Error = error,
            Report = report is null ? null : new BulkReportModel(report.Rows, report.Accepted, report.AlreadyRecorded, report.Refused,
                report.Items.Select(r => new BulkRowModel(r.Row, r.Kind, r.Status, r.Receipt?.Id,
                    r.Message ?? (r.Errors is null ? null : string.Join(" ", r.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))))).ToList()),
        }, status);
    }
}
