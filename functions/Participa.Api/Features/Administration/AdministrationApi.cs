using Azure;
using Microsoft.AspNetCore.Mvc;
using Participa.Api.Hosting;
using Participa.Api.Http;
using Participa.Domain;
using Participa.Storage;

namespace Participa.Api.Features.Administration;

public sealed record ProcessEdit(Process Process, IReadOnlyList<string> Warnings);

public sealed record DocumentEdit(Document Document, DocumentVersion Version);

/// <summary>
/// What administrators (Participa.Admin) set up: processes with their themes and phases, documents and bills, and new
/// versions with their change logs. Under /api/manage because the Functions host refuses routes that start with
/// "admin". Every edit needs the ETag it was based on (If-Match), so two administrators never overwrite each other.
/// </summary>
public sealed class AdministrationApi(ProcessStore processes, DocumentStore documents, TimeProvider clock)
{
    [Function("CreateProcess"), StaffOnly(StaffRoles.Admin)]
    [RequestBody<ProcessInput>("id", "kind", "title", "organiser")]
    [ProducesResponseType<ProcessEdit>(201), ProducesResponseType(409)]
    public async Task<IResult> CreateProcess([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/manage/processes")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<ProcessInput>(request);
        if (problem is not null) return problem;
        return await CreateProcessAsync(body!.Value, request.HttpContext.Response, cancellationToken);
    }

    /// <summary>CreateProcess's rules, for the API and the staff page alike: 201 with warnings, 400, or 409 when the id is taken.</summary>
    public async Task<IResult> CreateProcessAsync(ProcessInput input, HttpResponse response, CancellationToken cancellationToken)
    {
        var errors = new Errors();
        if (!Process.IsValidId(input.Id)) errors.Add("id", Messages.SlugId);
        var now = clock.GetUtcNow();
        var (process, warnings) = input.ToProcess(input.Id ?? "", errors, now);
        if (process is null) return Problems.Validation(errors.ToDictionary());
        if (!await processes.AddIfMissingAsync(process, cancellationToken))
            return TypedResults.Problem(Localized.Format(Messages.ProcessExists, process.Id), statusCode: StatusCodes.Status409Conflict, title: Messages.TitleExists);
        var created = await processes.FindForEditAsync(process.Id, cancellationToken);
        response.Headers.ETag = created!.Value.ETag;
        return TypedResults.Created($"/api/processes/{process.Id}", new ProcessEdit(process, warnings));
    }

    [Function("GetProcessForEdit"), StaffOnly(StaffRoles.Admin)]
    [ProducesResponseType<ProcessEdit>(200)]
    public async Task<IResult> GetProcess([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/manage/processes/{processId}")] HttpRequest request,
        string processId, CancellationToken cancellationToken)
    {
        var response = request.HttpContext.Response;
        if (!Process.IsValidId(processId) || await processes.FindForEditAsync(processId, cancellationToken) is not { } found)
            return Processes.ProcessesApi.NotFound(processId);
        response.Headers.ETag = found.ETag;
        return TypedResults.Ok(new ProcessEdit(found.Process, []));
    }

    [Function("ReplaceProcess"), StaffOnly(StaffRoles.Admin)]
    [RequestBody<ProcessInput>("kind", "title", "organiser"), RequestHeader(IfMatch.Header, Required = true)]
    [ProducesResponseType<ProcessEdit>(200), ProducesResponseType(412), ProducesResponseType(428)]
    public async Task<IResult> ReplaceProcess([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/manage/processes/{processId}")] HttpRequest request,
        string processId, CancellationToken cancellationToken)
    {
        if (!Process.IsValidId(processId) || await processes.FindForEditAsync(processId, cancellationToken) is not { } found)
            return Processes.ProcessesApi.NotFound(processId);
        if (IfMatch.Read(request)?.ToString() is not { } etag) return IfMatch.Required();
        var (body, problem) = await JsonBody.ReadAsync<ProcessInput>(request);
        if (problem is not null) return problem;
        return await ReplaceProcessAsync(found.Process, body!.Value, etag, request.HttpContext.Response, cancellationToken);
    }

    /// <summary>ReplaceProcess's rules, for the API and the staff page alike: 200 with warnings, 400, or 412 when <paramref name="etag"/> is stale.</summary>
    public async Task<IResult> ReplaceProcessAsync(Process existing, ProcessInput input, string etag, HttpResponse response, CancellationToken cancellationToken)
    {
        var errors = new Errors();
        if (input.Id is { } id && id != existing.Id) errors.Add("id", Messages.ProcessIdCannotChange);
        var now = clock.GetUtcNow();
        var (process, warnings) = input.ToProcess(existing.Id, errors, now);
        if (process is null) return Problems.Validation(errors.ToDictionary());
        try
        {
            response.Headers.ETag = await processes.ReplaceAsync(process with { IsSample = existing.IsSample }, etag, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return IfMatch.Stale();
        }
        return TypedResults.Ok(new ProcessEdit(process, warnings));
    }

    [Function("CreateDocument"), StaffOnly(StaffRoles.Admin)]
    [RequestBody<DocumentInput>("id", "kind", "title", "sections")]
    [ProducesResponseType<DocumentEdit>(201), ProducesResponseType(409)]
    public async Task<IResult> CreateDocument([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/manage/processes/{processId}/documents")] HttpRequest request,
        string processId, CancellationToken cancellationToken)
    {
        if (await Processes.ProcessesApi.FindAsync(processes, processId, cancellationToken) is null) return Processes.ProcessesApi.NotFound(processId);
        var (body, problem) = await JsonBody.ReadAsync<DocumentInput>(request, limit: 4 * 1024 * 1024);
        if (problem is not null) return problem;
        return await CreateDocumentAsync(processId, body!.Value, cancellationToken);
    }

    /// <summary>CreateDocument's rules, for the API and the staff page alike: 201 with version 1, 400, or 409 when the id is taken.</summary>
    public async Task<IResult> CreateDocumentAsync(string processId, DocumentInput input, CancellationToken cancellationToken)
    {
        var errors = new Errors();
        var document = input.ToDocument(processId, errors);
        var version = input.ToVersion(1, null, Timestamps.Truncate(clock.GetUtcNow()), errors);
        if (document is null || version is null) return Problems.Validation(errors.ToDictionary());
        try
        {
            var published = await documents.PublishNextAsync(document, null, version, cancellationToken);
            return TypedResults.Created($"/api/processes/{processId}/documents/{document.Id}", new DocumentEdit(published, version));
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return TypedResults.Problem(Localized.Format(Messages.DocumentExists, document.Id), statusCode: StatusCodes.Status409Conflict, title: Messages.TitleExists);
        }
    }

    [Function("GetDocumentForEdit"), StaffOnly(StaffRoles.Admin)]
    [ProducesResponseType<DocumentEdit>(200)]
    public async Task<IResult> GetDocument([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/manage/processes/{processId}/documents/{documentId}")] HttpRequest request,
        string processId, string documentId, CancellationToken cancellationToken)
    {
        var response = request.HttpContext.Response;
        if (await FindForEditAsync(documents, processId, documentId, cancellationToken) is not { } found) return DocumentNotFound(processId, documentId);
        var version = await documents.FindVersionAsync(processId, documentId, found.Document.LatestVersion, cancellationToken);
        response.Headers.ETag = found.ETag;
        return TypedResults.Ok(new DocumentEdit(found.Document, version!));
    }

    [Function("ReplaceDocumentDetails"), StaffOnly(StaffRoles.Admin)]
    [RequestBody<DocumentInput>("title"), RequestHeader(IfMatch.Header, Required = true)]
    [ProducesResponseType<Document>(200), ProducesResponseType(412), ProducesResponseType(428)]
    public async Task<IResult> ReplaceDocumentDetails([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/manage/processes/{processId}/documents/{documentId}")] HttpRequest request,
        string processId, string documentId, CancellationToken cancellationToken)
    {
        if (await FindForEditAsync(documents, processId, documentId, cancellationToken) is not { } found) return DocumentNotFound(processId, documentId);
        if (IfMatch.Read(request)?.ToString() is not { } etag) return IfMatch.Required();
        var (body, problem) = await JsonBody.ReadAsync<DocumentInput>(request);
        if (problem is not null) return problem;
        return await ReplaceDocumentDetailsAsync(found.Document, body!.Value, etag, request.HttpContext.Response, cancellationToken);
    }

    /// <summary>ReplaceDocumentDetails's rules (title and bill details; sections only by a new version), for the API and the staff page alike.</summary>
    public async Task<IResult> ReplaceDocumentDetailsAsync(Document existing, DocumentInput input, string etag, HttpResponse response, CancellationToken cancellationToken)
    {
        var errors = new Errors();
        var title = Text.Required(errors, "title", input.Title, 300);
        var bill = input.ToBill(existing.Kind, errors);
        if (input.Sections is not null) errors.Add("sections", Messages.SectionsNeedNewVersion);
        if (errors.Any) return Problems.Validation(errors.ToDictionary());
        var changed = existing with { Title = title!, Bill = bill };
        try
        {
            response.Headers.ETag = await documents.ReplaceDetailsAsync(changed, etag, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return IfMatch.Stale();
        }
        return TypedResults.Ok(changed);
    }

    [Function("PublishDocumentVersion"), StaffOnly(StaffRoles.Admin)]
    [RequestBody<DocumentInput>("sections", "changes"), RequestHeader(IfMatch.Header, Required = true)]
    [ProducesResponseType<DocumentEdit>(201), ProducesResponseType(412), ProducesResponseType(428)]
    public async Task<IResult> PublishVersion([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/manage/processes/{processId}/documents/{documentId}/versions")] HttpRequest request,
        string processId, string documentId, CancellationToken cancellationToken)
    {
        if (await FindForEditAsync(documents, processId, documentId, cancellationToken) is not { } found) return DocumentNotFound(processId, documentId);
        if (IfMatch.Read(request)?.ToString() is not { } etag) return IfMatch.Required();
        var (body, problem) = await JsonBody.ReadAsync<DocumentInput>(request, limit: 4 * 1024 * 1024);
        if (problem is not null) return problem;
        return await PublishVersionAsync(found.Document, body!.Value, etag, cancellationToken);
    }

    /// <summary>PublishDocumentVersion's rules (sections, a change log), for the API and the staff page alike: 201, 400, or 412 when stale.</summary>
    public async Task<IResult> PublishVersionAsync(Document document, DocumentInput input, string etag, CancellationToken cancellationToken)
    {
        var previous = await documents.FindVersionAsync(document.ProcessId, document.Id, document.LatestVersion, cancellationToken);
        var errors = new Errors();
        var version = input.ToVersion(document.LatestVersion + 1, previous, Timestamps.Truncate(clock.GetUtcNow()), errors);
        if (version is null) return Problems.Validation(errors.ToDictionary());
        try
        {
            var published = await documents.PublishNextAsync(document, etag, version, cancellationToken);
            return TypedResults.Created($"/api/processes/{document.ProcessId}/documents/{document.Id}/versions/{version.Number}", new DocumentEdit(published, version));
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return IfMatch.Stale();
        }
    }

    public static async Task<(Document Document, string ETag)?> FindForEditAsync(DocumentStore documents, string processId, string documentId, CancellationToken cancellationToken) =>
        Process.IsValidId(processId) && Slug.IsValid(documentId, 63) ? await documents.FindForEditAsync(processId, documentId, cancellationToken) : null;

    static IResult DocumentNotFound(string processId, string documentId) => Problems.NotFound(Localized.Format(Messages.NoDocument, documentId, processId));
}
