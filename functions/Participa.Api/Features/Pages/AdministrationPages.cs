using Microsoft.AspNetCore.Http.HttpResults;
using Participa.Api.Features.Administration;
using Participa.Api.Hosting;
using Participa.Api.Http;
using Participa.Domain;
using Participa.Storage;
using Participa.Web;
using Participa.Web.Pages;
using UI = Participa.Web.Resources.UI;

namespace Participa.Api.Features.Pages;

/// <summary>
/// Administrators' pages: processes with their themes and phases, documents and bills, new versions. Every save goes
/// through the administration API's own methods (AdministrationApi), so the rules, warnings and ETag checks are the API's.
/// </summary>
public sealed class AdministrationPages(Html html, AdministrationApi api, ProcessStore processes, DocumentStore documents, TimeProvider clock)
{
    // A process form posts a row of fields per phase, and a new version may carry a whole bill.
    const int ProcessFormValues = 400;
    const int DocumentFormLimit = RequestLimitsMiddleware.MaxBodyBytes;

    [Function("ManageProcessesPage"), StaffOnly(StaffRoles.Admin)]
    public async Task<IResult> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/manage/processes")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        var all = (await processes.ListAsync(cancellationToken)).OrderBy(p => p.Id, StringComparer.Ordinal)
            .Select(p => new ManagedProcess(p, Warnings(p))).ToList();
        return await html.PageAsync<ManageProcessesPage>(request, context, new { Processes = all });
    }

    [Function("NewProcessPage"), StaffOnly(StaffRoles.Admin)]
    public async Task<IResult> New([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/manage/new-process")] HttpRequest request) =>
        await ProcessFormAsync(request, html.Context(request), null, null, FormState.Empty, 0, null, 200);

    [Function("CreateProcessForm"), StaffOnly(StaffRoles.Admin)]
    public async Task<IResult> Create([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/manage/processes")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        var (form, problem) = await Html.ReadFormAsync(request, values: ProcessFormValues);
        if (problem is not null) return problem;
        var parsed = AdministrationForms.Process(form!);
        var answer = await api.CreateProcessAsync(parsed.Input, request.HttpContext.Response, cancellationToken);
        return answer switch
        {
            Created<ProcessEdit> created => Html.SeeOther(StaffUrls.ManageProcess(created.Value!.Process.Id) + "?saved=1"),
            ValidationProblem invalid => await ProcessFormAsync(request, context, null, null,
                Html.State(form!, AdministrationForms.ProcessErrors(invalid.ProblemDetails.Errors, parsed)), AdministrationForms.PhaseRowCount(form!), null, 422),
            // The id is taken: said next to the id, where it can be changed.
            _ => await ProcessFormAsync(request, context, null, null,
                Html.State(form!, new Dictionary<string, string[]> { ["id"] = [Detail(answer)] }), AdministrationForms.PhaseRowCount(form!), null, 422),
        };
    }

    [Function("EditProcessPage"), StaffOnly(StaffRoles.Admin)]
    public async Task<IResult> Edit([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/manage/processes/{processId}")] HttpRequest request,
        string processId, string? saved, CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        if (!Domain.Process.IsValidId(processId) || await processes.FindForEditAsync(processId, cancellationToken) is not { } found)
            return await html.NotFoundAsync(request, context);
        var form = new FormState(AdministrationForms.Values(found.Process), new Dictionary<string, string[]>());
        return await ProcessFormAsync(request, context, found.Process, found.ETag, form, found.Process.Phases.Count,
            saved is null ? null : UI.AdminSaved, 200);
    }

    /// <summary>The form carries the ETag it was made from: if someone saved meanwhile, nothing is replaced (as the API's If-Match).</summary>
    [Function("ReplaceProcessForm"), StaffOnly(StaffRoles.Admin)]
    public async Task<IResult> Replace([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/manage/processes/{processId}")] HttpRequest request,
        string processId, CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        var (form, problem) = await Html.ReadFormAsync(request, values: ProcessFormValues);
        if (problem is not null) return problem;
        if (!Domain.Process.IsValidId(processId) || await processes.FindForEditAsync(processId, cancellationToken) is not { } found)
            return await html.NotFoundAsync(request, context);
        var parsed = AdministrationForms.Process(form!);
        var input = parsed.Input with { Id = processId };
        var answer = await api.ReplaceProcessAsync(found.Process, input, ETag(form!), request.HttpContext.Response, cancellationToken);
        var rows = AdministrationForms.PhaseRowCount(form!);
        return answer switch
        {
            Ok<ProcessEdit> => Html.SeeOther(StaffUrls.ManageProcess(processId) + "?saved=1"),
            ValidationProblem invalid => await ProcessFormAsync(request, context, found.Process, ETag(form!),
                Html.State(form!, AdministrationForms.ProcessErrors(invalid.ProblemDetails.Errors, parsed)), rows, null, 422),
            // Someone saved first: their values stay on the form, now based on the current version, and nothing was saved.
            _ => await ProcessFormAsync(request, context, found.Process, found.ETag, Html.State(form!, new Dictionary<string, string[]>()), rows,
                UI.AdminChangedMeanwhile, 409),
        };
    }

    Task<IResult> ProcessFormAsync(HttpRequest request, PageContext context, Domain.Process? existing, string? etag, FormState form, int rows,
        string? notice, int status) =>
        html.PageAsync<ProcessFormPage>(request, context, new
        {
            Existing = existing, ETag = etag, Form = form, PhaseRows = Math.Max(rows, existing?.Phases.Count ?? 0) + AdministrationForms.SparePhaseRows,
            Warnings = existing is null || status != 200 ? [] : Warnings(existing), Notice = notice,
            Kinds = ProcessInput.Kinds.Keys.ToList(), Accepts = ProcessInput.SubmissionKinds.Keys.ToList(),
        }, status);

    [Function("ManageDocumentsPage"), StaffOnly(StaffRoles.Admin)]
    public async Task<IResult> Documents([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/manage/processes/{processId}/documents")] HttpRequest request,
        string processId, CancellationToken cancellationToken) =>
        await DocumentsAsync(request, html.Context(request), processId, FormState.Empty, 200, cancellationToken);

    [Function("CreateDocumentForm"), StaffOnly(StaffRoles.Admin)]
    public async Task<IResult> CreateDocument([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/manage/processes/{processId}/documents")] HttpRequest request,
        string processId, CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        var (form, problem) = await Html.ReadFormAsync(request, limit: DocumentFormLimit);
        if (problem is not null) return problem;
        if (!Domain.Process.IsValidId(processId) || await processes.FindAsync(processId, cancellationToken) is null) return await html.NotFoundAsync(request, context);
        var input = AdministrationForms.Document(form!, details: true, version: true, Html.Value(form!, "kind"));
        var answer = await api.CreateDocumentAsync(processId, input, cancellationToken);
        return answer switch
        {
            Created<DocumentEdit> created => Html.SeeOther(StaffUrls.ManageDocument(processId, created.Value!.Document.Id) + "?published=1"),
            ValidationProblem invalid => await DocumentsAsync(request, context, processId,
                Html.State(form!, AdministrationForms.DocumentErrors(invalid.ProblemDetails.Errors, input)), 422, cancellationToken),
            _ => await DocumentsAsync(request, context, processId, Html.State(form!, new Dictionary<string, string[]> { ["id"] = [Detail(answer)] }), 422, cancellationToken),
        };
    }

    async Task<IResult> DocumentsAsync(HttpRequest request, PageContext context, string processId, FormState form, int status, CancellationToken cancellationToken)
    {
        if (!Domain.Process.IsValidId(processId) || await processes.FindAsync(processId, cancellationToken) is not { } process)
            return await html.NotFoundAsync(request, context);
        var list = await documents.ListAsync(processId, cancellationToken);
        return await html.PageAsync<ManageDocumentsPage>(request, context, new
        {
            Process = process, Documents = list, Form = form, Kinds = DocumentInput.Kinds.Keys.ToList(),
        }, status);
    }

    [Function("EditDocumentPage"), StaffOnly(StaffRoles.Admin)]
    public async Task<IResult> EditDocument([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/manage/processes/{processId}/documents/{documentId}")] HttpRequest request,
        string processId, string documentId, string? saved, string? published, CancellationToken cancellationToken) =>
        await DocumentAsync(request, html.Context(request), processId, documentId, null, null,
            saved is not null ? UI.AdminSaved : published is not null ? UI.AdminVersionPublished : null, 200, cancellationToken);

    [Function("ReplaceDocumentForm"), StaffOnly(StaffRoles.Admin)]
    public async Task<IResult> ReplaceDocument([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/manage/processes/{processId}/documents/{documentId}")] HttpRequest request,
        string processId, string documentId, CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        var (form, problem) = await Html.ReadFormAsync(request);
        if (problem is not null) return problem;
        if (await AdministrationApi.FindForEditAsync(documents, processId, documentId, cancellationToken) is not { } found)
            return await html.NotFoundAsync(request, context);
        var input = AdministrationForms.Document(form!, details: true, version: false, DocumentInput.Kinds.First(k => k.Value == found.Document.Kind).Key);
        var answer = await api.ReplaceDocumentDetailsAsync(found.Document, input, ETag(form!), request.HttpContext.Response, cancellationToken);
        return answer switch
        {
            Ok<Document> => Html.SeeOther(StaffUrls.ManageDocument(processId, documentId) + "?saved=1"),
            ValidationProblem invalid => await DocumentAsync(request, context, processId, documentId,
                Html.State(form!, AdministrationForms.DocumentErrors(invalid.ProblemDetails.Errors, input)), null, null, 422, cancellationToken),
            _ => await DocumentAsync(request, context, processId, documentId, Html.State(form!, new Dictionary<string, string[]>()), null,
                UI.AdminChangedMeanwhile, 409, cancellationToken),
        };
    }

    [Function("PublishVersionForm"), StaffOnly(StaffRoles.Admin)]
    public async Task<IResult> PublishVersion([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/manage/processes/{processId}/documents/{documentId}/versions")] HttpRequest request,
        string processId, string documentId, CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        var (form, problem) = await Html.ReadFormAsync(request, limit: DocumentFormLimit);
        if (problem is not null) return problem;
        if (await AdministrationApi.FindForEditAsync(documents, processId, documentId, cancellationToken) is not { } found)
            return await html.NotFoundAsync(request, context);
        var input = AdministrationForms.Document(form!, details: false, version: true, null);
        var answer = await api.PublishVersionAsync(found.Document, input, ETag(form!), cancellationToken);
        return answer switch
        {
            Created<DocumentEdit> => Html.SeeOther(StaffUrls.ManageDocument(processId, documentId) + "?published=1"),
            ValidationProblem invalid => await DocumentAsync(request, context, processId, documentId, null,
                Html.State(form!, AdministrationForms.DocumentErrors(invalid.ProblemDetails.Errors, input)), null, 422, cancellationToken),
            _ => await DocumentAsync(request, context, processId, documentId, null, Html.State(form!, new Dictionary<string, string[]>()),
                UI.AdminChangedMeanwhile, 409, cancellationToken),
        };
    }

    /// <summary>A document's page: its details form and the new-version form, each with the current ETag and its own state.</summary>
    async Task<IResult> DocumentAsync(HttpRequest request, PageContext context, string processId, string documentId, FormState? details, FormState? version,
        string? notice, int status, CancellationToken cancellationToken)
    {
        if (await processes.FindAsync(processId, cancellationToken) is not { } process
            || await AdministrationApi.FindForEditAsync(documents, processId, documentId, cancellationToken) is not { } found
            || await documents.FindVersionAsync(processId, documentId, found.Document.LatestVersion, cancellationToken) is not { } latest)
            return await html.NotFoundAsync(request, context);
        var document = found.Document;
        details ??= new FormState(new Dictionary<string, string?>
        {
            ["title"] = document.Title,
            ["bill.number"] = document.Bill?.Number,
            ["bill.commission"] = document.Bill?.Commission,
            ["bill.status"] = document.Bill?.Status,
            ["bill.presentedOn"] = document.Bill?.PresentedOn?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        }, new Dictionary<string, string[]>());
        version ??= new FormState(new Dictionary<string, string?> { ["sections"] = AdministrationForms.SectionsText(latest) }, new Dictionary<string, string[]>());
        return await html.PageAsync<DocumentEditPage>(request, context, new
        {
            Process = process, Document = document, Latest = latest, ETag = found.ETag, Details = details, Version = version, Notice = notice,
        }, status);
    }

    /// <summary>What the API would warn about this process now: a window wholly in the past, an accepted short consultation.</summary>
    IReadOnlyList<string> Warnings(Domain.Process process) => Domain.Process.Validate(process, allowShortConsultation: true, new Errors(), clock.GetUtcNow());

    /// <summary>The ETag the form was made from, read as If-Match is; a form without one cannot match anything.</summary>
    static string ETag(IFormCollection form) => IfMatch.Parse(form["etag"].ToString())?.ToString() ?? "W/\"datetime'1970-01-01T00%3A00%3A00.0000000Z'\"";

    static string Detail(IResult answer) => (answer as ProblemHttpResult)?.ProblemDetails.Detail ?? "";
}
