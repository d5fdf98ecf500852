using Participa.Domain;

namespace Participa.Web;

// What the staff pages show, shaped for them: the page functions map storage's records to these.

/// <summary>An item waiting in the moderation queue, with its pending reports by reason and a short excerpt.</summary>
public sealed record ModerationEntryModel(string ItemId, string Kind, string State, DateTimeOffset QueuedAt, int PendingReports,
    IReadOnlyDictionary<string, int> PendingByReason, string Excerpt);

/// <summary>One item as a moderator sees it: hidden content included, and the ETag the decision form sends back.</summary>
public sealed record ModerationItemModel(string ItemId, string Kind, string State, string? ReasonCategory, string? Reason, string Appeal, string ETag,
    IReadOnlyList<(string Field, string Value)> Content, IReadOnlyList<ModerationLogEntry> Decisions, IReadOnlyList<ReportModel> Reports, AppealModel? AppealRequest);

public sealed record ReportModel(string Reason, string? Note, DateTimeOffset ReportedAt, bool Pending);

public sealed record AppealModel(string State, string Reason, DateTimeOffset SubmittedAt);

/// <summary>An opinion in the review queue.</summary>
public sealed record ReviewRow(string Id, string? Article, string Position, string Excerpt, string? Department, DateTimeOffset SubmittedAt, bool Reviewed,
    IReadOnlyList<string> Tags);

/// <summary>A group of near-identical opinions, with its readable representative text; members only on the group's own page.</summary>
public sealed record CampaignModel(string Id, int Count, IReadOnlyDictionary<string, int> Positions, int DistinctTexts, string Text,
    DateTimeOffset FirstSubmittedAt, DateTimeOffset LastSubmittedAt, IReadOnlyList<string> MemberIds, int ReviewedMembers);
