using Participa.Domain;

namespace Participa.Web;

/// <summary>A receipt as its page shows it; the appeal code only when this browser received it with the receipt.</summary>
public sealed record ReceiptModel(
    string Id, string Kind, string Sha256, DateTimeOffset SubmittedAt, string State, string? ReasonCategory, string? Reason,
    DateTimeOffset? StateChangedAt, string Appeal, string? ItemPage, Outcome? Outcome, string? AppealCode);

/// <summary>A thread under a section: the root (null when hidden) and its replies in order.</summary>
public sealed record ThreadModel(string RootId, Comment? Root, IReadOnlyList<Comment> Replies, long ReplyCount);

/// <summary>The published counts of a process, as statistics.json holds them.</summary>
public sealed record StatisticsModel(
    IReadOnlyDictionary<string, long> Totals,
    IReadOnlyDictionary<string, IReadOnlyList<BreakdownRow>> Breakdowns,
    Funnel Funnel,
    DateTimeOffset? LastUpdated);

/// <summary>Where a page of a list goes next (null on the last page).</summary>
public sealed record Pager(string? NextUrl, long Total);

public static class Urls
{
    public static string Process(string p) => $"/processes/{p}";
    public static string NewProposal(string p) => $"/processes/{p}/propose";
    public static string Proposals(string p) => $"/processes/{p}/proposals";
    public static string Proposal(string p, string id) => $"/processes/{p}/proposals/{id}";
    public static string Support(string p, string id) => $"/processes/{p}/proposals/{id}/support";
    public static string Document(string p, string d) => $"/processes/{p}/documents/{d}";
    public static string Section(string p, string d, string s) => $"/processes/{p}/documents/{d}/sections/{s}";
    public static string Opinion(string p, string? article) => $"/processes/{p}/opinion" + (article is null ? "" : "?article=" + Uri.EscapeDataString(article));
    public static string Receipt(string p, string id) => $"/processes/{p}/receipts/{id}";
    public static string Appeal(string p, string id) => $"/processes/{p}/receipts/{id}/appeal";
    public static string Statistics(string p) => $"/processes/{p}/statistics";
    public static string ModerationLog(string p) => $"/processes/{p}/moderation-log";
    public static string OpenData(string p, string file) => $"/api/open-data/processes/{p}/{file}";
    public static string LedgerProof(string p, string receipt) => $"/api/processes/{p}/ledger/proofs/{receipt}";
}

/// <summary>The staff pages' addresses, all under /staff (the staff cookie's path).</summary>
public static class StaffUrls
{
    public const string Home = "/staff";
    public const string SignIn = "/staff/sign-in";
    public const string Session = "/staff/session";
    public const string SignOut = "/staff/sign-out";
    public static string Review(string p) => $"/staff/processes/{p}/review";
    public static string ReviewOpinion(string p, string id) => $"/staff/processes/{p}/review/opinions/{id}";
    public static string Campaigns(string p) => $"/staff/processes/{p}/review/campaigns";
    public static string CampaignReviewed(string p, string id) => $"/staff/processes/{p}/review/campaigns/{id}/reviewed";
    public static string Response(string p) => $"/staff/processes/{p}/review/response";
    public static string Export(string p) => $"/staff/processes/{p}/review/export.csv";
    public static string Moderation(string p) => $"/staff/processes/{p}/moderation";
    public static string ModerationItem(string p, string id) => $"/staff/processes/{p}/moderation/{id}";
    public static string Meetings(string p) => $"/staff/processes/{p}/meetings";
    public static string Meeting(string p, string m) => $"/staff/processes/{p}/meetings/{m}";
    public static string BulkEntry(string p) => $"/staff/processes/{p}/bulk-entry";
    public static string Processes => "/staff/manage/processes";
    public static string ManageProcess(string p) => $"/staff/manage/processes/{p}";
}
