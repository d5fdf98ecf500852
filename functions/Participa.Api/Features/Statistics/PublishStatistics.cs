using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using Azure;
using Participa.Api.Hosting;
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
    PublishedFiles published, TimeProvider clock, IConfiguration configuration) : ITimerJob
{
    public const string Name = "PublishStatistics";
    public const string Schedule = "0 */5 * * * *";

    public static string PathOf(string processId, string file = "statistics.json") => $"processes/{processId}/{file}";

    public async Task<string> RunAsync(TimerInvocation invocation, CancellationToken cancellationToken)
    {
        var lease = await states.TryLeaseAsync(TimeSpan.FromSeconds(60), cancellationToken);
        if (lease is null) return "another run holds the lease; nothing done";
        try
        {
            var until = Until(clock, configuration);
            int changes = 0, written = 0;
            var index = new List<object>();
            foreach (var process in (await processes.ListAsync(cancellationToken)).OrderBy(p => p.Id, StringComparer.Ordinal))
            {
                var (saved, etag) = await states.ReadAsync(process.Id, cancellationToken);
                var (book, bookETag) = await states.ReadLedgerAsync(process.Id, cancellationToken);
                var (state, watermark, lastUpdated, applied, decided) = await CatchUpAsync(submissions, process.Id, saved, book, until, cancellationToken);
                changes += applied;
                // The root is recomputed only when receipts changed: hashing every leaf is the one step that grows with history.
                var (root, size) = applied > 0 || saved.LedgerRoot is null ? (book.Root(), book.Entries.Count) : (saved.LedgerRoot, saved.LedgerSize);
                var (files, filesWritten) = await PublishAsync(published, process, state, lastUpdated, root, size, saved.FilesHash, cancellationToken);
                written += filesWritten;
                // The log is rewritten only when a decision was counted (or on a process's first run): it is read whole.
                if (decided || etag is null)
                    written += await PublishModerationLogAsync(moderation, published, process.Id, cancellationToken);
                if (applied > 0) await states.SaveLedgerAsync(process.Id, book, bookETag, cancellationToken);
                if (applied > 0 || filesWritten > 0 || etag is null)
                    await states.SaveAsync(process.Id, new SavedStatistics(state, watermark, lastUpdated, FilesHash(files), root, size), etag, cancellationToken);
                index.Add(new { id = process.Id, title = process.Title, kind = process.Kind, isSample = process.IsSample, lastUpdated, files = OpenData.FileNames(files).Select(f => PathOf(process.Id, f)) });
            }
            if (await published.PublishAsync("index.json", JsonSerializer.SerializeToUtf8Bytes(new { processes = index }, IndexJson), "application/json; charset=utf-8", cancellationToken))
                written++;
            return $"{index.Count} process(es), {changes} change(s) applied, {written} file(s) written";
        }
        finally
        {
            await lease.ReleaseAsync(cancellationToken: CancellationToken.None);
        }
    }

    static readonly JsonSerializerOptions IndexJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>
    /// Journal rows newer than this are left for the next run: a transaction that took its id a moment ago may not be
    /// visible yet, and one read after the watermark passed it would be missed (Statistics:SettleSeconds, default 60).
    /// </summary>
    public static string Until(TimeProvider clock, IConfiguration configuration) =>
        Ids.Floor(clock.GetUtcNow() - TimeSpan.FromSeconds(configuration.GetValue("Statistics:SettleSeconds", 60)) + TimeSpan.FromMilliseconds(1));

    /// <returns>The counts with the new journal rows applied, and whether any was a moderation decision.</returns>
    public static async Task<(StatisticsState State, string? Watermark, string? LastUpdated, int Applied, bool Decided)> CatchUpAsync(
        SubmissionStore submissions, string processId, SavedStatistics saved, LedgerBook book, string until, CancellationToken cancellationToken)
    {
        var (state, watermark, lastUpdated, applied, decided) = (saved.State, saved.Watermark, saved.LastUpdated, 0, false);
        await foreach (var entry in Journal.ReadAsync(submissions, processId, watermark, until, cancellationToken))
        {
            foreach (var stat in entry.Stats)
            {
                state.Apply(stat, entry.Sign);
                decided |= stat.Kind == StatKind.Decision;
            }
            if (entry.Sha256 is { } sha) book.Set(new LedgerEntry(entry.Stats[0].Id, sha, entry.Sign > 0 ? "published" : "hidden"));
            watermark = entry.Id;
            lastUpdated = Timestamps.Format(Ids.TimeOf(entry.Id));
            applied++;
        }
        return (state, watermark, lastUpdated, applied, decided);
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

    /// <summary>Renders the files and writes those whose bytes changed; skips even the comparison when nothing did.</summary>
    public static async Task<(IReadOnlyList<PublishedFile> Files, int Written)> PublishAsync(PublishedFiles published, Process process, StatisticsState state,
        string? lastUpdated, string ledgerRoot, long ledgerSize, string? previousHash, CancellationToken cancellationToken)
    {
        var files = OpenData.Render(process, state, lastUpdated, ledgerRoot, ledgerSize);
        if (FilesHash(files) == previousHash) return (files, 0);
        var written = 0;
        foreach (var file in files)
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
/// Timer, nightly (03:00 in Guatemala): recomputes every process's counts from its receipts, the records themselves,
/// compares them with what the incremental runs kept, repairs any difference and says so in its log.
/// </summary>
public sealed class RecomputeStatistics(ProcessStore processes, SubmissionStore submissions, ModerationStore moderation, StatisticsStore states,
    PublishedFiles published, TimeProvider clock, IConfiguration configuration, ILogger<RecomputeStatistics> logger) : ITimerJob
{
    public const string Name = "RecomputeStatistics";
    public const string Schedule = "0 0 9 * * *";

    public async Task<string> RunAsync(TimerInvocation invocation, CancellationToken cancellationToken)
    {
        var lease = await states.TryLeaseAsync(TimeSpan.FromSeconds(60), cancellationToken);
        if (lease is null) return "another run holds the lease; nothing done";
        try
        {
            var until = PublishStatistics.Until(clock, configuration);
            var repaired = new List<string>();
            foreach (var process in await processes.ListAsync(cancellationToken))
            {
                var (saved, etag) = await states.ReadAsync(process.Id, cancellationToken);
                var (book, bookETag) = await states.ReadLedgerAsync(process.Id, cancellationToken);
                var (incremental, watermark, lastUpdated, _, _) = await PublishStatistics.CatchUpAsync(submissions, process.Id, saved, book, until, cancellationToken);
                var (full, fullBook) = await FromReceiptsAsync(submissions, process.Id, until, cancellationToken);
                if (!full.SameCountsAs(incremental) || fullBook.Root() != book.Root())
                {
                    logger.LogWarning("Statistics of {Process} differed from a full recompute; repaired", process.Id);
                    repaired.Add(process.Id);
                }
                var (root, size) = (fullBook.Root(), fullBook.Entries.Count);
                var (files, _) = await PublishStatistics.PublishAsync(published, process, full, lastUpdated, root, size, null, cancellationToken);
                await PublishStatistics.PublishModerationLogAsync(moderation, published, process.Id, cancellationToken);
                await states.SaveLedgerAsync(process.Id, fullBook, bookETag, cancellationToken);
                await states.SaveAsync(process.Id, new SavedStatistics(full, watermark, lastUpdated, null, root, size), etag, cancellationToken);
            }
            return repaired.Count == 0 ? "all statistics matched a full recompute" : $"repaired: {string.Join(", ", repaired)}";
        }
        finally
        {
            await lease.ReleaseAsync(cancellationToken: CancellationToken.None);
        }
    }

    /// <summary>
    /// Everything made before <paramref name="until"/>, counted from the records themselves: every item from its receipt
    /// if published, every attendee from their row, every report and decision from theirs; and the ledger of all items.
    /// </summary>
    public static async Task<(StatisticsState State, LedgerBook Ledger)> FromReceiptsAsync(SubmissionStore submissions, string processId, string until, CancellationToken cancellationToken)
    {
        var state = new StatisticsState();
        var entries = new List<LedgerEntry>();
        await foreach (var receipt in submissions.ScanAsync(processId, Keys.Receipt(""), null, ["RowKey", "Stat", "State", "Sha256"], cancellationToken,
                           upper: Keys.Receipt(until)))
        {
            var published = receipt.GetString("State") == "published";
            if (published && receipt.GetString("Stat") is { } stat) state.Apply(Journal.Deserialize(stat), +1);
            entries.Add(new LedgerEntry(receipt.RowKey[Keys.Receipt("").Length..], receipt.GetString("Sha256"), published ? "published" : "hidden"));
        }
        // Attendance and report rows are keyed by meeting or item first, so their time bound is checked on each row's own id.
        foreach (var prefix in new[] { MeetingStore.AttendanceRows, ModerationStore.ReportPrefix, ModerationStore.LogPrefix })
            await foreach (var row in submissions.ScanAsync(processId, prefix, null, ["RowKey", "Stat"], cancellationToken))
                if (row.GetString("Stat") is { } stat && Journal.Deserialize(stat) is var record && string.CompareOrdinal(record.Id, until) < 0)
                    state.Apply(record, +1);
        return (state, new LedgerBook(entries));
    }
}
