using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Participa.Api.Features.Processes;
using Participa.Api.Features.Statistics;
using Participa.Api.Http;
using Participa.Domain;
using Participa.Storage;

namespace Participa.Api.Features.Summaries;

/// <summary>What the statistics timer published for a process, as the summaries read it back from statistics.json.</summary>
public sealed record PublishedStatistics(
    string? LastUpdated,
    IReadOnlyDictionary<string, long> Totals,
    IReadOnlyDictionary<string, IReadOnlyList<BreakdownRow>> Breakdowns,
    Funnel Funnel,
    IReadOnlyList<TopProposal> TopProposals,
    IReadOnlyList<DiscussedComment> MostDiscussedComments,
    IReadOnlyList<ScopeSummary> Themes,
    IReadOnlyList<ScopeSummary> Roundtables);

public sealed record SummaryProposal(string Id, string Title, string Theme, long Supports, string Path);

public sealed record SummaryComment(string Id, string? Text, bool Hidden, long Replies, string Path);

public sealed record SummaryResponse(
    string Scope, string ProcessId, string Id, string Title, string? LastUpdated, string Licence, int MinimumCount,
    IReadOnlyDictionary<string, long> Totals, IReadOnlyDictionary<string, IReadOnlyList<BreakdownRow>> Breakdowns, Funnel Funnel,
    IReadOnlyList<SummaryProposal> TopProposals, IReadOnlyList<SummaryComment> MostDiscussedComments, string Source);

/// <summary>
/// Facilitators' pull: a summary of a process, a theme or a roundtable as JSON, CSV or Markdown. The counts come from
/// the published statistics.json (never recomputed per request); only the titles of the top proposals and the text of
/// the most discussed comments are read live, so an item hidden since the last run is never shown.
/// </summary>
public sealed class SummariesApi(ProcessStore processes, PublishedFiles published, ProposalStore proposals, CommentStore comments, MeetingStore meetings)
{
    const int TopShown = 10, DiscussedShown = 5;
    const string NotFoundOrNotPublished = "No such process, theme or meeting; or, titled \"Statistics not published yet\", the statistics are not published yet and Retry-After says when to look again.";

    [Function("GetProcessSummary")]
    [ProducesResponseType<SummaryResponse>(200), ProducesResponseType<string>(200, "text/csv", "text/markdown")]
    [ProducesResponseType(404, Description = NotFoundOrNotPublished)]
    public Task<IResult> Process([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/processes/{processId}/summary")] HttpRequest request,
        string processId, string? format, CancellationToken cancellationToken) =>
        RespondAsync(processId, Scope.Process, null, format, request.HttpContext, cancellationToken);

    [Function("GetThemeSummary")]
    [ProducesResponseType<SummaryResponse>(200), ProducesResponseType<string>(200, "text/csv", "text/markdown")]
    [ProducesResponseType(404, Description = NotFoundOrNotPublished)]
    public Task<IResult> Theme([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/processes/{processId}/themes/{themeId}/summary")] HttpRequest request,
        string processId, string themeId, string? format, CancellationToken cancellationToken) =>
        RespondAsync(processId, Scope.Theme, themeId, format, request.HttpContext, cancellationToken);

    [Function("GetRoundtableSummary")]
    [ProducesResponseType<SummaryResponse>(200), ProducesResponseType<string>(200, "text/csv", "text/markdown")]
    [ProducesResponseType(404, Description = NotFoundOrNotPublished)]
    public Task<IResult> Roundtable([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/processes/{processId}/meetings/{meetingId}/summary")] HttpRequest request,
        string processId, string meetingId, string? format, CancellationToken cancellationToken) =>
        RespondAsync(processId, Scope.Roundtable, meetingId, format, request.HttpContext, cancellationToken);

    enum Scope { Process, Theme, Roundtable }

    async Task<IResult> RespondAsync(string processId, Scope scope, string? id, string? format, HttpContext http, CancellationToken cancellationToken)
    {
        if (Negotiate(format, http.Request) is not { } chosen)
            return Problems.Validation(new Dictionary<string, string[]> { ["format"] = [Localized.Format(Messages.OneOf, "json, csv, md")] });
        if (await ProcessesApi.FindAsync(processes, processId, cancellationToken) is not { } process) return ProcessesApi.NotFound(processId);
        string title;
        switch (scope)
        {
            case Scope.Theme when process.FindTheme(id!) is { } theme:
                title = theme.Name;
                break;
            case Scope.Theme:
                return Problems.NotFound(Localized.Format(Messages.NoTheme, processId, id));
            case Scope.Roundtable when Ids.IsValid(id) && await meetings.FindAsync(processId, id!, cancellationToken) is { } meeting:
                title = meeting.Meeting.Title;
                break;
            case Scope.Roundtable:
                return Problems.NotFound(Localized.Format(Messages.NoMeeting, id, processId));
            default:
                title = process.Title;
                break;
        }

        var path = PublishStatistics.PathOf(processId);
        if (await published.ReadAsync(path, cancellationToken) is not { } blob)
        {
            // Not a fault of the service (so not 5xx): the summary does not exist until the first run after the process
            // was created. Retry-After says when to look again; no-store keeps caches from holding on to the 404.
            http.Response.Headers.RetryAfter = "300";
            http.Response.Headers.CacheControl = "no-store";
            return TypedResults.Problem(Localized.Format(Messages.StatisticsNotPublished, processId),
                statusCode: StatusCodes.Status404NotFound, title: Messages.TitleStatisticsNotPublished);
        }
        var stats = JsonSerializer.Deserialize<PublishedStatistics>(blob.Content.ToMemory().Span, OpenData.Json)!;
        var summary = scope switch
        {
            Scope.Process => new ScopeSummary(processId, title, stats.Totals, stats.Breakdowns, stats.Funnel, stats.TopProposals, stats.MostDiscussedComments),
            // A theme or a table with nothing counted yet is published as nothing: its summary is all zeros.
            Scope.Theme => (stats.Themes.FirstOrDefault(t => t.Id == id) ?? OpenData.EmptyScope(process, id!, roundtable: false)) with { Title = title },
            _ => (stats.Roundtables.FirstOrDefault(t => t.Id == id) ?? OpenData.EmptyScope(process, id!, roundtable: true)) with { Title = title },
        };

        var top = await TopAsync(proposals, processId, summary.TopProposals, cancellationToken);
        var discussed = await DiscussedAsync(comments, processId, summary.MostDiscussedComments ?? [], cancellationToken);
        http.Response.Headers.CacheControl = "public, max-age=60";
        http.Response.Headers.Vary = "Accept";
        var scopeName = scope.ToString().ToLowerInvariant();
        return chosen switch
        {
            "csv" => TypedResults.Text(Csv(summary, top, discussed), "text/csv; charset=utf-8"),
            "md" => TypedResults.Text(OpenData.Markdown(summary, stats.LastUpdated, top.Select(p => (new TopProposal(p.Id, p.Supports), p.Title)).ToList(),
                discussed.Select(c => (new DiscussedComment(c.Id, c.Replies), c.Text)).ToList()), "text/markdown; charset=utf-8"),
            _ => TypedResults.Ok(new SummaryResponse(scopeName, processId, summary.Id ?? processId, title, stats.LastUpdated, OpenData.Licence, Disclosure.MinimumCount,
                summary.Totals, summary.Breakdowns, summary.Funnel, top, discussed, published.UriOf(path).ToString())),
        };
    }

    /// <summary>?format= wins; otherwise the Accept header; JSON by default.</summary>
    static string? Negotiate(string? format, HttpRequest request)
    {
        if (format is not null)
            return format.ToLowerInvariant() switch { "json" => "json", "csv" => "csv", "md" or "markdown" => "md", _ => null };
        var accept = request.Headers.Accept.ToString();
        if (accept.Contains("text/csv", StringComparison.OrdinalIgnoreCase)) return "csv";
        if (accept.Contains("text/markdown", StringComparison.OrdinalIgnoreCase)) return "md";
        return "json";
    }

    /// <summary>The first published proposals of the ranking, with their titles; one hidden since the last run is skipped.</summary>
    static async Task<List<SummaryProposal>> TopAsync(ProposalStore proposals, string processId, IReadOnlyList<TopProposal> ranking, CancellationToken cancellationToken)
    {
        var found = await Task.WhenAll(ranking.Take(TopShown * 2).Select(p => proposals.FindAsync(processId, p.Id, cancellationToken)));
        return ranking.Zip(found).Where(x => x.Second is not null).Take(TopShown)
            .Select(x => new SummaryProposal(x.First.Id, x.Second!.Item.Title, x.Second.Item.Theme, x.First.Supports, ProposalStore.Path(processId, x.First.Id))).ToList();
    }

    /// <summary>The threads with most replies. A hidden first comment stays in the list (its replies stand) without its text.</summary>
    static async Task<List<SummaryComment>> DiscussedAsync(CommentStore comments, string processId, IReadOnlyList<DiscussedComment> ranking, CancellationToken cancellationToken)
    {
        var chosen = ranking.Take(DiscussedShown).ToList();
        var found = await Task.WhenAll(chosen.Select(c => comments.FindAsync(processId, c.Id, cancellationToken)));
        return chosen.Zip(found).Where(x => x.Second is not null)
            .Select(x => new SummaryComment(x.First.Id, x.Second!.Value.Hidden ? null : x.Second.Value.Comment.Item.Text, x.Second.Value.Hidden, x.First.Replies,
                CommentStore.Path(processId, x.First.Id))).ToList();
    }

    /// <summary>One long table, "table,value,label,count", so a spreadsheet takes every part of the summary at once.</summary>
    static string Csv(ScopeSummary s, IReadOnlyList<SummaryProposal> top, IReadOnlyList<SummaryComment> discussed)
    {
        string Count(long? c) => c is { } v ? Domain.Csv.Number(v) : "";
        var csv = new StringBuilder(Domain.Csv.Line(["table", "value", "label", "count"]));
        foreach (var (kind, count) in s.Totals) csv.Append(Domain.Csv.Line(["totals", kind, kind, Count(count)]));
        foreach (var (name, value) in new (string, long)[]
                 {
                     ("received", s.Funnel.Received), ("pending", s.Funnel.Pending), ("under-review", s.Funnel.UnderReview),
                     ("adopted", s.Funnel.Adopted), ("merged", s.Funnel.Merged), ("not-adopted", s.Funnel.NotAdopted),
                 })
            csv.Append(Domain.Csv.Line(["funnel", name, name, Count(value)]));
        foreach (var (table, rows) in s.Breakdowns)
            foreach (var row in rows) csv.Append(Domain.Csv.Line([table, row.Value, row.Label, Count(row.Count)]));
        foreach (var p in top) csv.Append(Domain.Csv.Line(["top-proposals", p.Id, p.Title, Count(p.Supports)]));
        foreach (var c in discussed) csv.Append(Domain.Csv.Line(["most-discussed-comments", c.Id, c.Text is null ? "" : OpenData.Excerpt(c.Text), Count(c.Replies)]));
        return csv.ToString();
    }
}
