using System.Collections.Concurrent;
using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Participa.Domain;

namespace Participa.Storage;

public sealed record ReviewFilter(
    string? Article = null, string? Position = null, string? Department = null, string? Sector = null,
    DateTimeOffset? From = null, DateTimeOffset? To = null, bool? Reviewed = null, string? Tag = null);

/// <summary>An opinion with Congress staff's state on it. <see cref="ReviewVersion"/> is what If-Match carries.</summary>
public sealed record ReviewedOpinion(Stored<Opinion> Stored, IReadOnlyList<string> Tags, bool Reviewed, DateTimeOffset? ReviewedAt, int ReviewVersion);

public abstract record ReviewOutcome
{
    public sealed record Updated(ReviewedOpinion Opinion) : ReviewOutcome;
    public sealed record NotFound : ReviewOutcome;
    /// <summary>Someone changed the opinion since the caller read it (or while this change was being written).</summary>
    public sealed record Changed(int CurrentVersion) : ReviewOutcome;
    public sealed record Invalid(Errors Errors) : ReviewOutcome;
}

/// <summary>Grouping of a bill's opinions at one moment, and each opinion's group and review state.</summary>
public sealed record CampaignIndex(IReadOnlyList<CampaignGroup> Groups, IReadOnlyDictionary<string, string> GroupOf, int Opinions, DateTimeOffset ComputedAt);

/// <summary>
/// Congress review of the opinions on a bill, in the process's Submissions partition: review columns (Reviewed,
/// ReviewedAt, Tags, ReviewVersion) merged into every copy of an opinion, a tag index "ot|{tag}|{id}" of full copies
/// listed on the receipt (so moderation hides them too), grouping features (TextHash, Sketch) written at submission,
/// and the commission's responses "resp|{999999 - version}" (newest first). See docs/congress-review.md.
/// </summary>
public sealed class ReviewStore(Tables tables, SubmissionStore submissions, StatisticsStore states)
{
    static readonly TimeSpan CampaignTtl = TimeSpan.FromSeconds(60);
    readonly ConcurrentDictionary<string, (Task<CampaignIndex> Index, DateTimeOffset Expires)> _campaigns = new(StringComparer.Ordinal);

    /// <summary>Written with every new opinion, so the queue can filter on them and grouping needs only a projection.</summary>
    public static void AddReviewColumns(IDictionary<string, object?> columns, TextFeatures? features)
    {
        columns["Reviewed"] = false;
        columns["Tags"] = "";
        columns["ReviewVersion"] = 0;
        if (features is not null)
        {
            columns["TextHash"] = features.TextHash;
            columns["Sketch"] = features.Sketch;
        }
    }

    public static string TagKey(string tag, string id) => $"ot|{tag}|{id}";

    // ---- The queue ----

    public async Task<Page<ReviewedOpinion>> PageAsync(string processId, ReviewFilter filter, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var (prefix, rest) = Query(filter);
        var (lower, upper) = Range(prefix, filter);
        var page = await submissions.PageAsync(processId, prefix, rest, continuationToken, pageSize, cancellationToken, lower, upper);
        return new(page.Items.Select(Read).ToList(), page.ContinuationToken);
    }

    /// <summary>The same count scan (cached 30 s) as public lists, with the date bounds as a key range in the filter.</summary>
    public Task<long> CountAsync(string processId, ReviewFilter filter, CancellationToken cancellationToken)
    {
        var (prefix, rest) = Query(filter);
        var (lower, upper) = Range(prefix, filter);
        var bounds = TableClient.CreateQueryFilter($"RowKey ge {lower} and RowKey lt {upper}");
        return submissions.CountAsync(processId, prefix, $"{bounds} and {rest}", cancellationToken);
    }

    /// <summary>The narrowest index for the filter: tag, then article, then position; the rest are filtered server-side.</summary>
    static (string Prefix, string Filter) Query(ReviewFilter f)
    {
        var (prefix, indexed) = f switch
        {
            { Tag: { } tag } => ($"ot|{tag}|", ""),
            { Article: { } article } => ($"oa|{article}|", "Article"),
            { Position: { } position } => ($"op|{position}|", "Position"),
            _ => ("o|", ""),
        };
        var filter = ItemRows.And(
            ItemRows.NotHidden,
            f.Tag is not null ? ItemRows.Eq("Article", f.Article) : null,
            indexed != "Position" ? ItemRows.Eq("Position", f.Position) : null,
            ItemRows.Eq("Department", f.Department),
            ItemRows.Eq("Sector", f.Sector),
            f.Reviewed is { } r ? $"Reviewed eq {(r ? "true" : "false")}" : null)!;
        return (prefix, filter);
    }

    /// <summary>Ids are version-7 GUIDs: their first 12 hex digits are the submission time in ms, so dates are a key range.</summary>
    static (string Lower, string Upper) Range(string prefix, ReviewFilter f) =>
        (f.From is { } from ? prefix + TimeKey(from) : prefix,
         f.To is { } to ? prefix + TimeKey(to) : Keys.End(prefix));

    static string TimeKey(DateTimeOffset t) => Math.Max(0, t.ToUnixTimeMilliseconds()).ToString("x12", CultureInfo.InvariantCulture);

    public async Task<ReviewedOpinion?> FindAsync(string processId, string id, CancellationToken cancellationToken) =>
        await submissions.FindAsync(processId, $"o|{id}", cancellationToken) is { } e && e.GetBoolean("Hidden") != true ? Read(e) : null;

    // ---- Staff actions ----

    /// <summary>
    /// Changes the review state and tags of one opinion: every copy listed on its receipt, the tag index rows and the
    /// receipt's list change in one transaction. The "o|" row is written under the ETag read here and the receipt
    /// under its own, so a concurrent review or moderation makes this one fail as <see cref="ReviewOutcome.Changed"/>.
    /// </summary>
    public async Task<ReviewOutcome> UpdateAsync(string processId, string id, ReviewInput input, int? expectedVersion, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await submissions.FindAsync(processId, $"o|{id}", cancellationToken) is not { } item || item.GetBoolean("Hidden") == true)
            return new ReviewOutcome.NotFound();
        var version = item.GetInt32("ReviewVersion") ?? 0;
        if (expectedVersion is { } expected && expected != version) return new ReviewOutcome.Changed(version);
        if (await submissions.FindAsync(processId, Keys.Receipt(id), cancellationToken) is not { } receipt) return new ReviewOutcome.NotFound();

        var errors = new Errors();
        var current = Review.ParseTags(item.GetString("Tags"));
        if (Review.ApplyTags(current, input, errors) is not { } tags) return new ReviewOutcome.Invalid(errors);
        var reviewed = input.Reviewed ?? item.GetBoolean("Reviewed") ?? false;
        var reviewedAt = reviewed ? (item.GetBoolean("Reviewed") == true ? item.GetDateTimeOffset("ReviewedAt") : now) : null;
        var review = new Dictionary<string, object?>
        {
            ["Reviewed"] = reviewed,
            ["ReviewedAt"] = reviewedAt,
            ["Tags"] = Review.FormatTags(tags),
            ["ReviewVersion"] = version + 1,
        };

        var removed = current.Except(tags, StringComparer.Ordinal).Select(t => TagKey(t, id)).ToHashSet(StringComparer.Ordinal);
        var keys = receipt.GetString("Rows").Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(rk => !removed.Contains(rk)).ToList();
        var actions = new List<TableTransactionAction>();
        foreach (var rk in removed)
            actions.Add(new(TableTransactionActionType.Delete, new TableEntity(processId, rk), ETag.All));
        foreach (var rk in keys)
        {
            var row = new TableEntity(processId, rk);
            foreach (var (name, value) in review) row[name] = value;
            actions.Add(new(TableTransactionActionType.UpdateMerge, row, rk == item.RowKey ? item.ETag : ETag.All));
        }
        foreach (var tag in tags.Except(current, StringComparer.Ordinal))
        {
            var copy = new TableEntity(processId, TagKey(tag, id));
            foreach (var (name, value) in item)
                if (name is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")) copy[name] = value;
            foreach (var (name, value) in review) copy[name] = value;
            actions.Add(new(TableTransactionActionType.Add, copy));
            keys.Add(copy.RowKey);
        }
        actions.Add(new(TableTransactionActionType.UpdateMerge, new TableEntity(processId, receipt.RowKey) { ["Rows"] = string.Join('\n', keys) }, receipt.ETag));
        try
        {
            await tables.Submissions.SubmitTransactionAsync(actions, cancellationToken);
        }
        catch (TableTransactionFailedException e) when (e.Status is 412 or 409 or 404)
        {
            return new ReviewOutcome.Changed(version);
        }
        foreach (var (name, value) in review) item[name] = value;
        return new ReviewOutcome.Updated(Read(item));
    }

    // ---- Campaigns ----

    /// <summary>
    /// Groups of the bill's published opinions, cached 60 s per instance (<paramref name="fresh"/> skips the cache).
    /// They come from the campaign state the statistics timer keeps (one blob) plus the journal rows written since it
    /// last ran; before its first run, from a projection of every opinion row.
    /// </summary>
    public Task<CampaignIndex> CampaignsAsync(string processId, bool fresh, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        if (!fresh && _campaigns.TryGetValue(processId, out var cached) && cached.Expires > now && !cached.Index.IsFaulted) return cached.Index;
        var task = ComputeCampaignsAsync(processId, cancellationToken);
        if (_campaigns.Count > 1000) _campaigns.Clear();
        _campaigns[processId] = (task, now + CampaignTtl);
        return task;
    }

    async Task<CampaignIndex> ComputeCampaignsAsync(string processId, CancellationToken cancellationToken)
    {
        var state = await states.ReadCampaignsAsync(processId, cancellationToken);
        if (state is null) state = await CampaignsFromRowsAsync(processId, null, cancellationToken);
        else await ApplyJournalAsync(processId, state, null, cancellationToken);
        var groups = Campaigns.Group(state.Members());
        var groupOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var g in groups)
            foreach (var member in g.MemberIds) groupOf[member] = g.Id;
        return new CampaignIndex(groups, groupOf, state.Opinions, DateTimeOffset.UtcNow);
    }

    /// <summary>
    /// The statistics timer's part: brings the bill's campaign state up to <paramref name="until"/> from the journal
    /// (or builds it from the opinion rows when there is none yet) and saves it; the number of journal entries applied.
    /// </summary>
    public async Task<int> KeepCampaignsAsync(string processId, string until, CancellationToken cancellationToken)
    {
        var state = await states.ReadCampaignsAsync(processId, cancellationToken);
        int applied;
        if (state is null)
        {
            state = await CampaignsFromRowsAsync(processId, until, cancellationToken);
            applied = state.Opinions;
        }
        else if ((applied = await ApplyJournalAsync(processId, state, until, cancellationToken)) == 0)
            return 0;
        await states.SaveCampaignsAsync(processId, state, cancellationToken);
        return applied;
    }

    /// <summary>The nightly recompute's part: the state built again from the rows, so a drift cannot outlive a night.</summary>
    public async Task RebuildCampaignsAsync(string processId, string until, CancellationToken cancellationToken) =>
        await states.SaveCampaignsAsync(processId, await CampaignsFromRowsAsync(processId, until, cancellationToken), cancellationToken);

    /// <summary>
    /// Every published opinion made before <paramref name="until"/> (all, when null: a reader's one-off), from a
    /// projection of its row. The watermark is the bound, so the journal rows after it are applied next; one already
    /// reflected in the rows is harmless.
    /// </summary>
    async Task<CampaignState> CampaignsFromRowsAsync(string processId, string? until, CancellationToken cancellationToken)
    {
        var state = new CampaignState();
        await foreach (var row in submissions.ScanAsync(processId, "o|", ItemRows.NotHidden, ["Id", "Position", "SubmittedAt", "TextHash", "Sketch"],
                           cancellationToken, upper: until is null ? null : "o|" + until))
            state.Apply(row.GetString("Id"), row.GetString("Position"), row.GetDateTimeOffset("SubmittedAt")!.Value.ToUniversalTime(), Features(row), +1);
        state.Watermark = until;
        return state;
    }

    /// <summary>Applies the opinions' journal entries after the state's watermark (up to <paramref name="until"/>, or all).</summary>
    async Task<int> ApplyJournalAsync(string processId, CampaignState state, string? until, CancellationToken cancellationToken)
    {
        var applied = 0;
        await foreach (var entry in Journal.ReadAsync(submissions, processId, state.Watermark, until, cancellationToken))
        {
            // A record without features is an opinion without reasons, or one restored from before records carried them:
            // the nightly rebuild from the rows groups the latter (no point read per reason-less opinion here).
            foreach (var stat in entry.Stats.Where(s => s.Kind == StatKind.Opinion))
            {
                state.Apply(stat, entry.Sign);
                applied++;
            }
            state.Watermark = entry.Id;
        }
        return applied;
    }

    static TextFeatures? Features(TableEntity row) =>
        row.GetString("TextHash") is { } hash && row.GetBinary("Sketch") is { } sketch ? new TextFeatures(hash, sketch) : null;

    /// <summary>The ids of the bill's published opinions marked reviewed, from a one-column scan.</summary>
    public async Task<HashSet<string>> ReviewedIdsAsync(string processId, CancellationToken cancellationToken)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in submissions.ScanAsync(processId, "o|", ItemRows.And(ItemRows.NotHidden, "Reviewed eq true"), ["Id"], cancellationToken))
            ids.Add(row.GetString("Id"));
        return ids;
    }

    public void Forget(string processId) => _campaigns.TryRemove(processId, out _);

    // ---- Export ----

    /// <summary>The columns the export may show: never Gender, AgeBand or anything of the private contact row.</summary>
    public static readonly string[] ExportColumns =
        ["Id", "SubmittedAt", "Article", "Position", "Reasons", "Department", "Municipality", "Sector", "Tags", "Reviewed", "AuthorName", "AuthorOrganisation"];

    public IAsyncEnumerable<TableEntity> ExportAsync(string processId, bool? reviewed, CancellationToken cancellationToken) =>
        submissions.ScanAsync(processId, "o|", ItemRows.And(ItemRows.NotHidden, reviewed is { } r ? $"Reviewed eq {(r ? "true" : "false")}" : null),
            ExportColumns, cancellationToken);

    // ---- Official responses ----

    const int ResponseVersions = 999_999;
    static string ResponseKey(int version) => $"resp|{ResponseVersions - version:D6}";

    /// <summary>Newest first: the keys count down, so a range read starts at the latest version.</summary>
    public async Task<IReadOnlyList<OfficialResponse>> ResponsesAsync(string processId, int max, CancellationToken cancellationToken)
    {
        var list = new List<OfficialResponse>();
        await foreach (var row in submissions.ScanAsync(processId, "resp|", null, ["Version", "Text", "Commission", "PublishedAt"], cancellationToken))
        {
            list.Add(new(row.GetInt32("Version") ?? 0, row.GetString("Text"), row.GetString("Commission"), row.GetDateTimeOffset("PublishedAt")!.Value.ToUniversalTime()));
            if (list.Count >= max) break;
        }
        return list;
    }

    /// <summary>Adds the next version; false when another publication took that version number first.</summary>
    public async Task<bool> AddResponseAsync(string processId, OfficialResponse response, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        try
        {
            await tables.Submissions.AddEntityAsync(new TableEntity(processId, ResponseKey(response.Version))
            {
                ["Version"] = response.Version,
                ["Text"] = response.Text,
                ["Commission"] = response.Commission,
                ["PublishedAt"] = response.PublishedAt,
            }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    static ReviewedOpinion Read(TableEntity e) => new(
        new(new Opinion(e.PartitionKey, e.GetString("Id"), e.GetString("DocumentId"), e.GetInt32("Version") ?? 1, e.GetString("Article"),
            e.GetString("Position"), e.GetString("Reasons") ?? "", ItemRows.ReadParticipant(e),
            e.GetDateTimeOffset("SubmittedAt")!.Value.ToUniversalTime()), e.GetString("Sha256")),
        Review.ParseTags(e.GetString("Tags")), e.GetBoolean("Reviewed") ?? false, e.GetDateTimeOffset("ReviewedAt")?.ToUniversalTime(),
        e.GetInt32("ReviewVersion") ?? 0);
}
