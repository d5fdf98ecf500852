using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Participa.Api.Features.Processes;
using Participa.Api.Http;
using Participa.Domain;
using Participa.Storage;

namespace Participa.Api.Features.Documents;

public sealed record SectionView(
    string Id, string? ParentId, string Kind, string Number, string Title, string Text,
    IReadOnlyDictionary<string, string>? Attributes, int CommentCount, string CommentsUrl);

public sealed record DocumentVersionView(
    string ProcessId, string Id, DocumentKind Kind, string Title, BillInfo? Bill, int Version, int LatestVersion,
    DateTimeOffset PublishedAt, IReadOnlyList<ChangeLogEntry> Changes, int CommentCount, string CommentsUrl, IReadOnlyList<SectionView> Sections);

public sealed class DocumentsApi(ProcessStore processes, DocumentStore documents, CommentStore comments)
{
    [Function("ListDocuments")]
    [ProducesResponseType<ListResponse<Document>>(200)]
    public async Task<IResult> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/processes/{processId}/documents")] HttpRequest request,
        string processId, CancellationToken cancellationToken)
    {
        if (await ProcessesApi.FindAsync(processes, processId, cancellationToken) is null) return ProcessesApi.NotFound(processId);
        return TypedResults.Ok(new ListResponse<Document>((await documents.ListAsync(processId, cancellationToken)).OrderBy(d => d.Id, StringComparer.Ordinal).ToList()));
    }

    [Function("GetDocument")]
    [ProducesResponseType<DocumentVersionView>(200)]
    public async Task<IResult> GetLatest([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/processes/{processId}/documents/{documentId}")] HttpRequest request,
        string processId, string documentId, CancellationToken cancellationToken)
    {
        var (document, _, problem) = await FindAsync(processes, documents, processId, documentId, null, cancellationToken);
        return problem ?? await ViewAsync(document!, document!.LatestVersion, documents, comments, cancellationToken);
    }

    [Function("GetDocumentVersion")]
    [ProducesResponseType<DocumentVersionView>(200)]
    public async Task<IResult> GetVersion([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/processes/{processId}/documents/{documentId}/versions/{version}")] HttpRequest request,
        string processId, string documentId, string version, CancellationToken cancellationToken)
    {
        var (document, number, problem) = await FindAsync(processes, documents, processId, documentId, version, cancellationToken);
        return problem ?? await ViewAsync(document!, number, documents, comments, cancellationToken);
    }

    /// <summary>The document and the version asked for (the latest when <paramref name="version"/> is null), or a 404.</summary>
    public static async Task<(Document? Document, int Version, IResult? Problem)> FindAsync(
        ProcessStore processes, DocumentStore documents, string processId, string documentId, string? version, CancellationToken cancellationToken)
    {
        if (await ProcessesApi.FindAsync(processes, processId, cancellationToken) is null) return (null, 0, ProcessesApi.NotFound(processId));
        if (!Slug.IsValid(documentId, 63) || await documents.FindAsync(processId, documentId, cancellationToken) is not { } document)
            return (null, 0, Problems.NotFound(Localized.Format(Messages.NoDocument, documentId, processId)));
        if (version is null) return (document, document.LatestVersion, null);
        if (!int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1 || number > document.LatestVersion)
            return (null, 0, Problems.NotFound(Localized.Format(Messages.NoDocumentVersion, documentId, document.LatestVersion, version)));
        return (document, number, null);
    }

    static async Task<IResult> ViewAsync(Document document, int number, DocumentStore documents, CommentStore comments, CancellationToken cancellationToken)
    {
        var version = await documents.FindVersionAsync(document.ProcessId, document.Id, number, cancellationToken)
            ?? throw new InvalidDataException($"Document {document.Id} points at version {number}, which is not stored.");
        var counts = await comments.CountBySectionAsync(document.ProcessId, document.Id, number, cancellationToken);
        var whole = new CommentTarget(CommentTargetKind.Document, document.Id, number);
        var baseUrl = $"/api/processes/{document.ProcessId}/documents/{document.Id}/versions/{number}";
        return TypedResults.Ok(new DocumentVersionView(
            document.ProcessId, document.Id, document.Kind, document.Title, document.Bill, number, document.LatestVersion,
            version.PublishedAt, version.Changes, (int)await comments.CountAsync(document.ProcessId, whole, cancellationToken), baseUrl + "/comments",
            version.Sections.Select(s => new SectionView(s.Id, s.ParentId, s.Kind, s.Number, s.Title, s.Text, s.Attributes,
                counts.GetValueOrDefault(s.Id), $"{baseUrl}/sections/{s.Id}/comments")).ToList()));
    }
}
