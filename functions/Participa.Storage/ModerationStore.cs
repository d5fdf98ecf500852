using Azure;
using Azure.Data.Tables;
using Participa.Domain;

namespace Participa.Storage;

/// <summary>
/// Reports, the moderator queue, decisions, the public log and appeals, in the process's partition of Submissions
/// next to the items they are about, so each action's rows are written in one transaction (docs/moderation.md):
/// "mr|{itemId}|{reportId}" reports, "ms|{itemId}" an item's moderation summary (pending counts, its queue key),
/// "mq|{queuedId}" the queue in the order items entered it, "md|{itemId}|{decisionId}" decisions,
/// "ml|{decisionId}" the public log, "ap|{itemId}" the appeal. The receipt carries the appeal's state.
/// </summary>
public sealed class ModerationStore(SubmissionStore submissions, Tables tables)
{
    const int Attempts = 10;

    public static string ReportKey(string itemId, string reportId) => $"mr|{itemId}|{reportId}";
    public static string SummaryKey(string itemId) => $"ms|{itemId}";
    public static string QueueKey(string queuedId) => $"mq|{queuedId}";
    public static string DecisionKey(string itemId, string decisionId) => $"md|{itemId}|{decisionId}";
    public static string LogKey(string decisionId) => $"ml|{decisionId}";
    public static string AppealKey(string itemId) => $"ap|{itemId}";
    public const string QueuePrefix = "mq|";
    public const string LogPrefix = "ml|";
    public const string ReportPrefix = "mr|";

    public Task<TableEntity?> ReceiptAsync(string processId, string itemId, CancellationToken cancellationToken) =>
        submissions.FindAsync(processId, Keys.Receipt(itemId), cancellationToken);

    public static bool IsHidden(TableEntity receipt) => receipt.GetString("State") != ItemRows.Published;

    /// <summary>
    /// Stores a report and queues its item (the caller has checked that the item exists). Reports of one item contend
    /// only on that item's summary row, under its ETag; a loser re-reads and tries again.
    /// </summary>
    /// <returns>Null when stored; the report stored earlier under <paramref name="key"/> (and whether it was this same request) when replayed.</returns>
    public async Task<(Report Report, bool SameRequest)?> AddReportAsync(string processId, Report report, string kind, IdempotencyKey? key, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var summary = await submissions.FindAsync(processId, SummaryKey(report.ItemId), cancellationToken);
            var (summaryAction, queueRow) = Enqueue(processId, report.ItemId, kind, summary, report.Id, report.ReportedAt, row =>
            {
                row["PendingReports"] = (summary?.GetInt32("PendingReports") ?? 0) + 1;
                row["TotalReports"] = (summary?.GetInt32("TotalReports") ?? 0) + 1;
                var column = PendingColumn(report.Reason);
                row[column] = (summary?.GetInt32(column) ?? 0) + 1;
                row["LastReportedAt"] = report.ReportedAt;
            });
            var stat = Journal.Serialize(new StatRecord(StatKind.Report, report.Id, report.ReportedAt, Reason: report.Reason));
            List<TableTransactionAction> actions =
            [
                new(TableTransactionActionType.Add, new TableEntity(processId, ReportKey(report.ItemId, report.Id))
                {
                    ["Reason"] = report.Reason,
                    ["Note"] = report.Note,
                    ["ReportedAt"] = report.ReportedAt,
                    ["Stat"] = stat,
                }),
                summaryAction,
                .. queueRow,
                new(TableTransactionActionType.Add, Journal.Row(processId, report.Id, stat, +1, null)),
            ];
            // First, so a conflict on it (index 0) means the key was used: a client retrying a report it sent.
            if (key is not null)
                actions.Insert(0, new(TableTransactionActionType.Add, new TableEntity(processId, Keys.Idempotency(key.KeyHash))
                {
                    ["RequestHash"] = key.RequestHash,
                    ["ItemId"] = report.Id,
                    ["ReportedItemId"] = report.ItemId,
                    ["Reason"] = report.Reason,
                    ["ReportedAt"] = report.ReportedAt,
                }));
            try
            {
                await tables.Submissions.SubmitTransactionAsync(actions, cancellationToken);
                return null;
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 && key is not null && e.FailedTransactionActionIndex == 0)
            {
                var marker = await submissions.FindAsync(processId, Keys.Idempotency(key.KeyHash), cancellationToken)
                    ?? throw new InvalidOperationException("The idempotency marker conflicted and is gone.", e);
                return (new Report(marker.GetString("ItemId"), marker.GetString("ReportedItemId"), marker.GetString("Reason"), null,
                    marker.GetDateTimeOffset("ReportedAt")!.Value.ToUniversalTime()), marker.GetString("RequestHash") == key.RequestHash);
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
            {
                await Backoff(attempt, e, cancellationToken);
            }
        }
    }

    public abstract record AppealOutcome
    {
        public sealed record Stored : AppealOutcome;
        public sealed record UnknownItem : AppealOutcome;
        public sealed record AlreadyAppealed(string State) : AppealOutcome;
        public sealed record NotHidden : AppealOutcome;
    }

    /// <summary>
    /// The one appeal: its row (whose existence is the "once"), the receipt's Appeal column under the receipt's ETag
    /// (so it fails if the item was restored meanwhile, and so a moderator's older ETag no longer decides), and the queue.
    /// </summary>
    public async Task<AppealOutcome> AddAppealAsync(string processId, Appeal appeal, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await ReceiptAsync(processId, appeal.ItemId, cancellationToken) is not { } receipt) return new AppealOutcome.UnknownItem();
            var existing = Moderation.ParseAppeal(receipt.GetString("Appeal"));
            if (existing != AppealState.None) return new AppealOutcome.AlreadyAppealed(Moderation.Format(existing));
            if (!IsHidden(receipt)) return new AppealOutcome.NotHidden();
            var summary = await submissions.FindAsync(processId, SummaryKey(appeal.ItemId), cancellationToken);
            var (summaryAction, queueRow) = Enqueue(processId, appeal.ItemId, receipt.GetString("Kind"), summary, appeal.Id, appeal.SubmittedAt,
                row => row["AppealedAt"] = appeal.SubmittedAt);
            List<TableTransactionAction> actions =
            [
                new(TableTransactionActionType.Add, new TableEntity(processId, AppealKey(appeal.ItemId))
                {
                    ["Id"] = appeal.Id,
                    ["Reason"] = appeal.Reason,
                    ["SubmittedAt"] = appeal.SubmittedAt,
                    ["State"] = Moderation.Format(AppealState.Pending),
                }),
                new(TableTransactionActionType.UpdateMerge, new TableEntity(processId, receipt.RowKey) { ["Appeal"] = Moderation.Format(AppealState.Pending) }, receipt.ETag),
                summaryAction,
                .. queueRow,
            ];
            try
            {
                await tables.Submissions.SubmitTransactionAsync(actions, cancellationToken);
                return new AppealOutcome.Stored();
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
            {
                // Another appeal, a decision or a report got there first: read again and decide again.
                await Backoff(attempt, e, cancellationToken);
            }
        }
    }

    public abstract record DecisionOutcome
    {
        public sealed record Decided(DecisionEffect Effect, AppealState Appeal, string ETag) : DecisionOutcome;
        public sealed record UnknownItem : DecisionOutcome;
        /// <summary>The receipt changed since the moderator's ETag: someone else decided, or an appeal arrived.</summary>
        public sealed record Stale(string CurrentETag) : DecisionOutcome;
    }

    /// <summary>
    /// Applies a decision through <see cref="SubmissionStore.SetStateAsync(string, string, ItemState, ETag?, IReadOnlyDictionary{string, object?}, IEnumerable{TableTransactionAction}, CancellationToken)"/>
    /// with the moderator's ETag: the item's copies, its receipt, the decision, the log entry, the appeal's resolution
    /// and the queue's clearing in one transaction. Of two moderators holding the same ETag exactly one wins.
    /// </summary>
    public async Task<DecisionOutcome> DecideAsync(string processId, Decision decision, string kind, ETag ifMatch, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await ReceiptAsync(processId, decision.ItemId, cancellationToken) is not { } receipt) return new DecisionOutcome.UnknownItem();
            if (receipt.ETag != ifMatch) return new DecisionOutcome.Stale(receipt.ETag.ToString());

            var hidden = IsHidden(receipt);
            var (effect, appeal) = decision.Apply(hidden, Moderation.ParseAppeal(receipt.GetString("Appeal")));
            var appealResolved = appeal != Moderation.ParseAppeal(receipt.GetString("Appeal"));
            var state = effect switch
            {
                DecisionEffect.Hidden or DecisionEffect.KeptHidden => ItemState.Hidden(decision.ReasonCategory!, decision.Note,
                    effect == DecisionEffect.KeptHidden ? receipt.GetDateTimeOffset("StateChangedAt") ?? decision.DecidedAt : decision.DecidedAt),
                DecisionEffect.Restored => ItemState.Published(decision.DecidedAt),
                // Kept published: nothing about the item changes; its receipt is rewritten as it was, to take the ETag.
                _ => new ItemState(ItemRows.Published, null, null, receipt.GetDateTimeOffset("StateChangedAt") ?? receipt.GetDateTimeOffset("SubmittedAt")!.Value),
            };
            var receiptColumns = new Dictionary<string, object?> { ["LastDecisionId"] = decision.Id };
            if (appealResolved) receiptColumns["Appeal"] = Moderation.Format(appeal);

            var record = new Dictionary<string, object?>
            {
                ["ItemId"] = decision.ItemId,
                ["Kind"] = kind,
                ["Action"] = Moderation.Format(decision.Action),
                ["Effect"] = Moderation.Format(effect),
                ["ReasonCategory"] = decision.ReasonCategory,
                ["Note"] = decision.Note,
                ["DecidedAt"] = decision.DecidedAt,
                ["AppealResolution"] = appealResolved ? Moderation.Format(appeal) : null,
            };
            var stat = Journal.Serialize(new StatRecord(StatKind.Decision, decision.Id, decision.DecidedAt, Reason: decision.ReasonCategory, Effect: Moderation.Format(effect)));
            var more = new List<TableTransactionAction>
            {
                new(TableTransactionActionType.Add, Row(processId, DecisionKey(decision.ItemId, decision.Id), record, ("ModeratorId", decision.ModeratorId))),
                // The public entry: the same record without the moderator, and what it counts for in the statistics.
                new(TableTransactionActionType.Add, Row(processId, LogKey(decision.Id), record, ("Stat", stat))),
                new(TableTransactionActionType.Add, Journal.Row(processId, decision.Id, stat, +1, null)),
            };
            if (appealResolved)
                more.Add(new(TableTransactionActionType.UpdateMerge, new TableEntity(processId, AppealKey(decision.ItemId))
                {
                    ["State"] = Moderation.Format(appeal),
                    ["ResolvedAt"] = decision.DecidedAt,
                    ["DecisionId"] = decision.Id,
                }, ETag.All));
            var summary = await submissions.FindAsync(processId, SummaryKey(decision.ItemId), cancellationToken);
            if (summary is not null)
            {
                // Every pending report and the appeal are answered: out of the queue, pending counts back to zero.
                var cleared = new TableEntity(processId, summary.RowKey) { ["QueueKey"] = "", ["PendingReports"] = 0, ["LastDecisionId"] = decision.Id };
                foreach (var reason in Moderation.Reasons) cleared[PendingColumn(reason.Id)] = 0;
                more.Add(new(TableTransactionActionType.UpdateMerge, cleared, summary.ETag));
                if (summary.GetString("QueueKey") is { Length: > 0 } queued)
                    more.Add(new(TableTransactionActionType.Delete, new TableEntity(processId, queued), ETag.All));
            }

            try
            {
                await submissions.SetStateAsync(processId, decision.ItemId, state, ifMatch, receiptColumns, more, cancellationToken);
                var after = await ReceiptAsync(processId, decision.ItemId, cancellationToken);
                return new DecisionOutcome.Decided(effect, appeal, after?.ETag.ToString() ?? "");
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
            {
                // Either the receipt changed (the loop answers Stale) or a report touched the summary (decide again).
                await Backoff(attempt, e, cancellationToken);
            }
        }
    }

    /// <summary>One page of the queue, oldest first: the order items entered it.</summary>
    public async Task<Page<QueueEntry>> QueueAsync(string processId, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var page = await submissions.PageAsync(processId, QueuePrefix, null, continuationToken, pageSize, cancellationToken);
        var entries = await Task.WhenAll(page.Items.Select(async row =>
        {
            var itemId = row.GetString("ItemId");
            var summary = await submissions.FindAsync(processId, SummaryKey(itemId), cancellationToken);
            var item = await ItemAsync(processId, itemId, cancellationToken);
            return item is null ? null : new QueueEntry(row.GetDateTimeOffset("QueuedAt")!.Value.ToUniversalTime(), item, Counts(summary));
        }));
        return new(entries.OfType<QueueEntry>().ToList(), page.ContinuationToken);
    }

    /// <summary>Exact, not cached: the queue is short and a moderator must see it empty when it is.</summary>
    public async Task<long> QueueCountAsync(string processId, CancellationToken cancellationToken)
    {
        long count = 0;
        await foreach (var _ in submissions.ScanAsync(processId, QueuePrefix, null, ["RowKey"], cancellationToken)) count++;
        return count;
    }

    /// <summary>An item as moderators see it, hidden content included; null when there is no such item.</summary>
    public async Task<ModerationItem?> ItemAsync(string processId, string itemId, CancellationToken cancellationToken)
    {
        if (await ReceiptAsync(processId, itemId, cancellationToken) is not { } receipt) return null;
        var firstCopy = receipt.GetString("Rows").Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        var content = firstCopy is null ? null : await submissions.FindAsync(processId, firstCopy, cancellationToken);
        return new ModerationItem(itemId, receipt.GetString("Kind"), receipt.GetString("State"), receipt.GetString("ReasonCategory"),
            receipt.GetString("Reason"), Moderation.ParseAppeal(receipt.GetString("Appeal")), receipt.ETag.ToString(),
            content is null ? new Dictionary<string, object?>() : PublicContent(content));
    }

    /// <summary>The staff view's history of an item: every decision, the reports (first 100) and the appeal.</summary>
    public async Task<ModerationHistory> HistoryAsync(string processId, string itemId, CancellationToken cancellationToken)
    {
        var summary = await submissions.FindAsync(processId, SummaryKey(itemId), cancellationToken);
        var decisions = new List<DecisionRecord>();
        await foreach (var row in submissions.ScanAsync(processId, $"md|{itemId}|", null, DecisionColumns, cancellationToken))
            decisions.Add(ReadDecision(row, row.RowKey[$"md|{itemId}|".Length..]));
        var lastDecision = summary?.GetString("LastDecisionId") ?? "";
        var reports = (await submissions.PageAsync(processId, $"mr|{itemId}|", null, null, 100, cancellationToken)).Items
            .Select(r =>
            {
                var id = r.RowKey[$"mr|{itemId}|".Length..];
                return new ReportRecord(id, r.GetString("Reason"), r.GetString("Note"), r.GetDateTimeOffset("ReportedAt")!.Value.ToUniversalTime(),
                    string.CompareOrdinal(id, lastDecision) > 0);
            }).ToList();
        var appeal = await submissions.FindAsync(processId, AppealKey(itemId), cancellationToken);
        return new ModerationHistory(decisions, reports, Counts(summary), appeal is null ? null : new AppealRecord(
            Moderation.ParseAppeal(appeal.GetString("State")), appeal.GetString("Reason"), appeal.GetDateTimeOffset("SubmittedAt")!.Value.ToUniversalTime(),
            appeal.GetDateTimeOffset("ResolvedAt")?.ToUniversalTime()));
    }

    /// <summary>One page of the public log in the order decisions were made. It never holds content or the moderator.</summary>
    public async Task<Page<DecisionRecord>> LogAsync(string processId, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var page = await submissions.PageAsync(processId, LogPrefix, null, continuationToken, pageSize, cancellationToken);
        return new(page.Items.Select(r => ReadDecision(r, r.RowKey[LogPrefix.Length..])).ToList(), page.ContinuationToken);
    }

    /// <summary>The whole public log, oldest first (for the published CSV).</summary>
    public async IAsyncEnumerable<DecisionRecord> LogEntriesAsync(string processId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in submissions.ScanAsync(processId, LogPrefix, null, DecisionColumns, cancellationToken))
            yield return ReadDecision(row, row.RowKey[LogPrefix.Length..]);
    }

    public Task<long> LogCountAsync(string processId, CancellationToken cancellationToken) =>
        submissions.CountAsync(processId, LogPrefix, null, cancellationToken);

    /// <summary>
    /// The summary row's next version and, if the item is not queued yet, its queue row keyed by this event's id.
    /// Insert when the summary is new (a concurrent first report conflicts, 409), else merge under its ETag (412).
    /// </summary>
    static (TableTransactionAction Summary, List<TableTransactionAction> Queue) Enqueue(string processId, string itemId, string kind,
        TableEntity? summary, string eventId, DateTimeOffset at, Action<TableEntity> update)
    {
        var row = new TableEntity(processId, SummaryKey(itemId)) { ["Kind"] = kind };
        update(row);
        var queue = new List<TableTransactionAction>();
        if (summary?.GetString("QueueKey") is not { Length: > 0 })
        {
            row["QueueKey"] = QueueKey(eventId);
            queue.Add(new(TableTransactionActionType.Add, new TableEntity(processId, QueueKey(eventId))
            {
                ["ItemId"] = itemId,
                ["Kind"] = kind,
                ["QueuedAt"] = at,
            }));
        }
        var action = summary is null
            ? new TableTransactionAction(TableTransactionActionType.Add, row)
            : new TableTransactionAction(TableTransactionActionType.UpdateMerge, row, summary.ETag);
        return (action, queue);
    }

    static string PendingColumn(string reason) => "Pending_" + reason.Replace('-', '_');

    static ReportCounts Counts(TableEntity? summary) => new(
        summary?.GetInt32("PendingReports") ?? 0,
        summary?.GetInt32("TotalReports") ?? 0,
        Moderation.Reasons.Select(r => (r.Id, Count: summary?.GetInt32(PendingColumn(r.Id)) ?? 0)).Where(r => r.Count > 0)
            .ToDictionary(r => r.Id, r => r.Count, StringComparer.Ordinal));

    static readonly string[] DecisionColumns = ["RowKey", "ItemId", "Kind", "Action", "Effect", "ReasonCategory", "Note", "DecidedAt", "AppealResolution", "ModeratorId"];

    static DecisionRecord ReadDecision(TableEntity r, string id) => new(id, r.GetString("ItemId"), r.GetString("Kind"), r.GetString("Action"),
        r.GetString("Effect"), r.GetString("ReasonCategory"), r.GetString("Note"), r.GetDateTimeOffset("DecidedAt")!.Value.ToUniversalTime(),
        r.GetString("AppealResolution"), r.GetString("ModeratorId"));

    static TableEntity Row(string processId, string rowKey, IDictionary<string, object?> columns, params (string Name, object? Value)[] extra)
    {
        var row = new TableEntity(processId, rowKey);
        foreach (var (name, value) in columns) row[name] = value;
        foreach (var (name, value) in extra) row[name] = value;
        return row;
    }

    /// <summary>The columns any item kind shows publicly, by their API names; never contact, gender or age band.</summary>
    static readonly (string Column, string Name)[] PublicColumns =
    [
        ("Title", "title"), ("Problem", "problem"), ("ProposedSolution", "proposedSolution"), ("Theme", "theme"),
        ("Target", "target"), ("ParentId", "parentId"), ("Text", "text"),
        ("DocumentId", "documentId"), ("Version", "version"), ("Article", "article"), ("Position", "position"), ("Reasons", "reasons"),
        ("ProposalId", "proposalId"), ("Department", "department"), ("Municipality", "municipality"), ("Sector", "sector"),
        ("AuthorName", "authorName"), ("AuthorOrganisation", "authorOrganisation"), ("SubmittedAt", "submittedAt"),
    ];

    static Dictionary<string, object?> PublicContent(TableEntity row) =>
        PublicColumns.Where(c => row.TryGetValue(c.Column, out var v) && v is not null)
            .ToDictionary(c => c.Name, c => row[c.Column] is DateTimeOffset t ? t.ToUniversalTime() : (object?)row[c.Column], StringComparer.Ordinal);

    /// <summary>A short random wait before trying again; past the last attempt a 503, so the client retries later.</summary>
    static Task Backoff(int attempt, Exception conflict, CancellationToken cancellationToken) => attempt < Attempts
        ? Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20) * attempt), cancellationToken)
        : throw new RequestFailedException(503, "Too many concurrent moderation writes on one item.", conflict);
}

public sealed record ReportCounts(int Pending, int Total, IReadOnlyDictionary<string, int> PendingByReason);

/// <summary>An item as moderators see it. <see cref="ETag"/> is the receipt's: what a decision's If-Match must carry.</summary>
public sealed record ModerationItem(string Id, string Kind, string State, string? ReasonCategory, string? Reason, AppealState Appeal, string ETag,
    IReadOnlyDictionary<string, object?> Content);

public sealed record QueueEntry(DateTimeOffset QueuedAt, ModerationItem Item, ReportCounts Reports);

public sealed record DecisionRecord(string Id, string ItemId, string Kind, string Action, string Effect, string? ReasonCategory, string? Note,
    DateTimeOffset DecidedAt, string? AppealResolution, string? ModeratorId);

public sealed record ReportRecord(string Id, string Reason, string? Note, DateTimeOffset ReportedAt, bool Pending);

public sealed record AppealRecord(AppealState State, string Reason, DateTimeOffset SubmittedAt, DateTimeOffset? ResolvedAt);

public sealed record ModerationHistory(IReadOnlyList<DecisionRecord> Decisions, IReadOnlyList<ReportRecord> Reports, ReportCounts Counts, AppealRecord? Appeal);
