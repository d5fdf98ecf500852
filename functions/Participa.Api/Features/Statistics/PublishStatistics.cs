using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using Azure;
using Participa.Domain;
using Participa.Storage;

namespace Participa.Api.Features.Statistics;

/// <summary>
/// Timer, every few minutes: brings each process's statistics up to date from the journal rows written since the last
/// run, and publishes its open data. Its cost follows the new changes, not the history. Safe to overlap (a blob lease
/// lets one run at a time) and to die halfway: files are published before the watermark moves, so the next run
/// re-applies the same changes and finishes the job. Nothing new means nothing rewritten.
/// </summary>
public sealed class PublishStatistics(ProcessStore processes, SubmissionStore submissions, ModerationStore moderation, StatisticsStore states,
    ReviewStore review, PublishedFiles published, TimeProvider clock, IConfiguration configuration) : ITimerJob
{
    public const string Name = "PublishStatistics";
    /// <summary>The app setting with the schedule; every 5 minutes: "0 */5 * * * *".</summary>
    public const string ScheduleSetting = "PublishStatisticsSchedule";

    public static string PathOf(string processId, string file = OpenData.StatisticsFile) => $"processes/{processId}/{file}";

    public async Task<string> RunAsync(TimerInvocation invocation, CancellationToken cancellationToken)
    {
        await using var lease = await states.TryLeaseAsync(cancellationToken, LeaseDuration(configuration));
        if (lease is null) return "another run holds the lease; nothing done";
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
        var ct = run.Token;
        var until = Until(clock, configuration);
        int changes = 0, written = 0, campaignChanges = 0;
        var index = new List<object>();
        foreach (var process in (await processes.ListAsync(ct)).OrderBy(p => p.Id, StringComparer.Ordinal))
        {
            var (saved, etag) = await states.ReadAsync(process.Id, ct);
            var caughtUp = await CatchUpAsync(submissions, process.Id, saved, until, ct);
            changes += caughtUp.Applied;
            // Staff group a bill's opinions from this state instead of reading every opinion (ReviewStore.CampaignsAsync).
            if (process.Kind == ProcessKind.LegislativeInitiative)
                campaignChanges += await review.KeepCampaignsAsync(process.Id, until, ct);
            var ledger = await states.ReadLedgerAsync(process.Id, ct);
            if (caughtUp.LedgerChanges.Count > 0)
            {
                await ApplyAsync(states, process.Id, ledger, caughtUp.LedgerChanges, ct);
                // Stored before the root is published, so a published root always has its ledger behind it.
                await states.SaveLedgerAsync(process.Id, ledger, ct);
            }
            var (files, filesWritten) = await PublishAsync(published, process, caughtUp.State, caughtUp.LastUpdated, ledger, saved.FilesHash, ct);
            written += filesWritten;
            // The log is rewritten only when a decision was counted (or on a process's first run): it is read whole.
            if (caughtUp.Decided || etag is null)
                written += await PublishModerationLogAsync(moderation, published, process.Id, ct);
            if (caughtUp.Applied > 0 || filesWritten > 0 || etag is null)
                await states.SaveAsync(process.Id, new SavedStatistics(caughtUp.State, caughtUp.Watermark, caughtUp.LastUpdated, FilesHash(files)), etag, ct);
            index.Add(new
            {
                id = process.Id, title = process.Title, kind = process.Kind, isSample = process.IsSample, lastUpdated = caughtUp.LastUpdated,
                files = OpenData.FileNames(files).Select(f => PathOf(process.Id, f)),
            });
        }
        if (await published.PublishAsync("index.json", JsonSerializer.SerializeToUtf8Bytes(new { processes = index }, IndexJson), "application/json; charset=utf-8", ct))
            written++;
        Hosting.Telemetry.ItemsAggregated.Add(changes);
        return $"{index.Count} process(es), {changes} change(s) applied, {written} file(s) written, {campaignChanges} opinion(s) brought into campaign groups";
    }

    static readonly JsonSerializerOptions IndexJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>
    /// How long a run's lease lasts unrenewed (Statistics:LeaseSeconds, 15-60 as Blob Storage allows, default 60): also
    /// how long a run that crashed keeps the next one waiting.
    /// </summary>
    public static TimeSpan LeaseDuration(IConfiguration configuration) =>
        TimeSpan.FromSeconds(Math.Clamp(configuration.GetValue("Statistics:LeaseSeconds", 60), 15, 60));

    /// <summary>
    /// Journal rows newer than this are left for the next run: a transaction that took its id a moment ago may not be
    /// visible yet, and one read after the watermark passed it would be missed (Statistics:SettleSeconds, default 60).
    /// </summary>
    public static string Until(TimeProvider clock, IConfiguration configuration) =>
        Ids.Floor(clock.GetUtcNow() - TimeSpan.FromSeconds(configuration.GetValue("Statistics:SettleSeconds", 60)) + TimeSpan.FromMilliseconds(1));

    /// <summary>The counts with the journal rows before <paramref name="until"/> applied, and the receipts whose ledger entries they change.</summary>
    public sealed record CaughtUp(StatisticsState State, string? Watermark, string? LastUpdated, int Applied, bool Decided, IReadOnlyList<LedgerEntry> LedgerChanges);

    public static async Task<CaughtUp> CatchUpAsync(SubmissionStore submissions, string processId, SavedStatistics saved, string until, CancellationToken cancellationToken)
    {
        var (state, watermark, lastUpdated, applied, decided) = (saved.State, saved.Watermark, saved.LastUpdated, 0, false);
        var ledger = new List<LedgerEntry>();
        await foreach (var entry in Journal.ReadAsync(submissions, processId, watermark, until, cancellationToken))
        {
            foreach (var stat in entry.Stats)
            {
                state.Apply(stat, entry.Sign);
                decided |= stat.Kind == StatKind.Decision;
            }
            if (entry.Sha256 is { } sha) ledger.Add(new LedgerEntry(entry.Stats[0].Id, sha, entry.Sign > 0 ? LedgerEntry.Published : LedgerEntry.Hidden));
            watermark = entry.Id;
            lastUpdated = Timestamps.Format(Ids.TimeOf(entry.Id));
            applied++;
        }
        return new CaughtUp(state, watermark, lastUpdated, applied, decided, ledger);
    }

    /// <summary>Loads the ledger pages the changes fall in (usually the last one) and applies the changes in order.</summary>
    public static async Task ApplyAsync(StatisticsStore states, string processId, PagedLedger ledger, IReadOnlyList<LedgerEntry> changes, CancellationToken cancellationToken)
    {
        await states.LoadLedgerPagesAsync(processId, ledger, changes.Select(c => c.Id).Distinct().ToList(), cancellationToken);
        foreach (var change in changes) ledger.Set(change);
    }

    /// <summary>The public moderation log as CSV, read whole from the log rows (a few thousand at most); 1 when written.</summary>
    public static async Task<int> PublishModerationLogAsync(ModerationStore moderation, PublishedFiles published, string processId, CancellationToken cancellationToken)
    {
        var entries = new List<ModerationLogEntry>();
        await foreach (var d in moderation.LogEntriesAsync(processId, cancellationToken))
            entries.Add(new ModerationLogEntry(d.Id, d.DecidedAt, d.ItemId, d.Kind, d.Action, d.Effect, d.ReasonCategory, d.Note, d.AppealResolution));
        var file = OpenData.ModerationLog(entries);
        return await published.PublishAsync(PathOf(processId, file.Name), file.Content, file.ContentType, cancellationToken) ? 1 : 0;
    }

    /// <summary>
    /// Renders the files and writes those whose bytes changed; skips even the comparison when nothing did.
    /// statistics.json goes last: what it says (and the summaries serve) is never ahead of the CSV files beside it.
    /// </summary>
    public static async Task<(IReadOnlyList<PublishedFile> Files, int Written)> PublishAsync(PublishedFiles published, Process process, StatisticsState state,
        string? lastUpdated, PagedLedger ledger, string? previousHash, CancellationToken cancellationToken)
    {
        var files = OpenData.Render(process, state, lastUpdated, ledger.Root(), ledger.Count);
        if (FilesHash(files) == previousHash) return (files, 0);
        var written = 0;
        foreach (var file in files.OrderBy(f => f.Name == OpenData.StatisticsFile))
            if (await published.PublishAsync(PathOf(process.Id, file.Name), file.Content, file.ContentType, cancellationToken))
                written++;
        return (files, written);
    }

    static string FilesHash(IReadOnlyList<PublishedFile> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(file.Name + "\n"));
            hash.AppendData(file.Content);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}

/// <summary>
/// Timer, nightly (03:00 in Guatemala): recomputes every process's counts and ledger from the records themselves (each
/// item's receipt, each attendee, report and decision row), compares them with what the incremental runs kept,
/// repairs any difference and says so in its log.
/// </summary>
public sealed class RecomputeStatistics(ProcessStore processes, SubmissionStore submissions, ModerationStore moderation, StatisticsStore states,
    ReviewStore review, PublishedFiles published, TimeProvider clock, IConfiguration configuration, ILogger<RecomputeStatistics> logger) : ITimerJob
{
    public const string Name = "RecomputeStatistics";
    /// <summary>The app setting with the schedule; 03:00 in Guatemala is "0 0 9 * * *" (UTC).</summary>
    public const string ScheduleSetting = "RecomputeStatisticsSchedule";

    public async Task<string> RunAsync(TimerInvocation invocation, CancellationToken cancellationToken)
    {
        await using var lease = await states.TryLeaseAsync(cancellationToken, PublishStatistics.LeaseDuration(configuration));
        if (lease is null) return "another run holds the lease; nothing done";
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
        var ct = run.Token;
        var until = PublishStatistics.Until(clock, configuration);
        List<string> repaired = [], busy = [];
        foreach (var process in await processes.ListAsync(ct))
        {
            var (saved, etag) = await states.ReadAsync(process.Id, ct);
            var caughtUp = await PublishStatistics.CatchUpAsync(submissions, process.Id, saved, until, ct);
            var ledger = await states.ReadLedgerAsync(process.Id, ct);
            await PublishStatistics.ApplyAsync(states, process.Id, ledger, caughtUp.LedgerChanges, ct);
            if (await AsOfAsync(submissions, process.Id, until, states.LedgerPageSize, ct) is not var (full, fullLedger))
            {
                // Left as it is; the next incremental run catches up as usual and the next recompute compares.
                logger.LogInformation("Statistics of {Process} changed while they were recomputed; not compared this time", process.Id);
                busy.Add(process.Id);
                continue;
            }
            if (!full.SameCountsAs(caughtUp.State) || fullLedger.Root() != ledger.Root())
            {
                logger.LogWarning("Statistics of {Process} differed from a full recompute; repaired", process.Id);
                repaired.Add(process.Id);
            }
            await states.SaveLedgerAsync(process.Id, fullLedger, ct);
            if (await states.PruneLedgerAsync(process.Id, fullLedger, ct) is > 0 and var pruned)
                logger.LogInformation("Deleted {Pages} ledger page(s) of {Process} that its index no longer lists", pruned, process.Id);
            await PublishStatistics.PublishAsync(published, process, full, caughtUp.LastUpdated, fullLedger, null, ct);
            await PublishStatistics.PublishModerationLogAsync(moderation, published, process.Id, ct);
            await states.SaveAsync(process.Id, new SavedStatistics(full, caughtUp.Watermark, caughtUp.LastUpdated, null), etag, ct);
            if (process.Kind == ProcessKind.LegislativeInitiative) await review.RebuildCampaignsAsync(process.Id, until, ct);
        }
        return (repaired.Count == 0 ? "all statistics matched a full recompute" : $"repaired: {string.Join(", ", repaired)}")
               + (busy.Count == 0 ? "" : $"; changed while counted, compared next time: {string.Join(", ", busy)}");
    }

    /// <summary>
    /// The counts and ledger as of <paramref name="until"/>, from the records: everything made before it, counted as
    /// the records stand now, then with every later change to those older records undone (a hide, a restore, an
    /// outcome, an attendee removed after <paramref name="until"/>), because the next incremental run applies those
    /// changes on top. Null when such a change arrived while the records were read: the undoing would not be exact.
    /// </summary>
    public static async Task<(StatisticsState State, PagedLedger Ledger)?> AsOfAsync(SubmissionStore submissions, string processId, string until, int pageSize,
        CancellationToken cancellationToken)
    {
        var later = await LaterChangesAsync(submissions, processId, until, cancellationToken);
        var (state, entries) = await FromRecordsAsync(submissions, processId, until, cancellationToken);
        if (!(await LaterChangesAsync(submissions, processId, until, cancellationToken)).Select(e => e.Id).SequenceEqual(later.Select(e => e.Id)))
            return null;
        foreach (var entry in Enumerable.Reverse(later))
        {
            foreach (var stat in entry.Stats.Where(s => Before(s.Id, until)))
                state.Apply(stat, -entry.Sign);
            // Before a hide the receipt was published; before a restore, hidden.
            if (entry.Sha256 is { } sha && entries.TryGetValue(entry.Stats[0].Id, out var current))
                entries[entry.Stats[0].Id] = current with { State = entry.Sign > 0 ? LedgerEntry.Hidden : LedgerEntry.Published };
        }
        return (state, PagedLedger.Build(entries.Values, pageSize));
    }

    static bool Before(string id, string until) => string.CompareOrdinal(id, until) < 0;

    /// <summary>Journal entries from <paramref name="until"/> on that change records made before it.</summary>
    static async Task<List<JournalEntry>> LaterChangesAsync(SubmissionStore submissions, string processId, string until, CancellationToken cancellationToken)
    {
        var changes = new List<JournalEntry>();
        await foreach (var entry in Journal.ReadAsync(submissions, processId, until, null, cancellationToken))
            if (entry.Stats.Any(s => Before(s.Id, until)))
                changes.Add(entry);
        return changes;
    }

    /// <summary>
    /// Everything made before <paramref name="until"/>, counted from the records as they stand: every item from its
    /// receipt if published, every attendee from their row, every report and decision from theirs; and every receipt's
    /// ledger entry.
    /// </summary>
    public static async Task<(StatisticsState State, Dictionary<string, LedgerEntry> Ledger)> FromRecordsAsync(SubmissionStore submissions, string processId, string until,
        CancellationToken cancellationToken)
    {
        var state = new StatisticsState();
        var entries = new Dictionary<string, LedgerEntry>(StringComparer.Ordinal);
        await foreach (var receipt in submissions.ScanAsync(processId, Keys.Receipt(""), null, ["RowKey", "Stat", "State", "Sha256"], cancellationToken,
                           upper: Keys.Receipt(until)))
        {
            var published = receipt.GetString("State") == LedgerEntry.Published;
            if (published && receipt.GetString("Stat") is { } stat) state.Apply(Journal.Deserialize(stat), +1);
            var id = receipt.RowKey[Keys.Receipt("").Length..];
            entries[id] = new LedgerEntry(id, receipt.GetString("Sha256"), published ? LedgerEntry.Published : LedgerEntry.Hidden);
        }
        // Attendance and report rows are keyed by meeting or item first, so their time bound is checked on each row's own id.
        foreach (var prefix in new[] { MeetingStore.AttendanceRows, ModerationStore.ReportPrefix, ModerationStore.LogPrefix })
            await foreach (var row in submissions.ScanAsync(processId, prefix, null, ["RowKey", "Stat"], cancellationToken))
                if (row.GetString("Stat") is { } stat && Journal.Deserialize(stat) is var record && Before(record.Id, until))
                    state.Apply(record, +1);
        return (state, entries);
    }
}
