using System.Text.Json;
using Azure.Data.Tables;
using Participa.Domain;

namespace Participa.Storage;

/// <summary>One change to a process's statistics: records that count in (+1) or out (-1) together.</summary>
/// <remarks>
/// <see cref="Sha256"/> is set when the change is an item stored, hidden or restored (one record): the item's receipt
/// hash, so the ledger follows the same journal.
/// </remarks>
public sealed record JournalEntry(string Id, IReadOnlyList<StatRecord> Stats, int Sign, string? Sha256);

/// <summary>
/// The statistics journal: rows "j|{eventId}" in the process's partition, written in the same transaction as the
/// change they record (an item stored, hidden or restored; an outcome replaced; attendees registered or removed; a
/// report; a moderation decision). Event ids are time-ordered, so the statistics timer reads only the rows after its
/// watermark: its cost follows the new changes, not the process's history.
/// </summary>
public static class Journal
{
    public const string Prefix = "j|";

    public static string Serialize(StatRecord stat) => JsonSerializer.Serialize(stat, Json.Compact);

    public static StatRecord Deserialize(string json) =>
        JsonSerializer.Deserialize<StatRecord>(json, Json.Options) ?? throw new InvalidDataException("Empty statistics record.");

    /// <summary>A row for one serialized record (as a receipt keeps it).</summary>
    public static TableEntity Row(string processId, string eventId, string stat, int sign, string? sha256) =>
        new(processId, Prefix + eventId) { ["Stats"] = "[" + stat + "]", ["Sign"] = sign, ["Sha256"] = sha256 };

    /// <summary>
    /// A row for several records with one sign: a batch of 99 attendees is one row, so the batch and its journal fit
    /// one transaction. 99 attendance records serialize to about 25,000 characters, inside a string column's 32K.
    /// </summary>
    public static TableEntity Row(string processId, string eventId, IEnumerable<StatRecord> stats, int sign) =>
        new(processId, Prefix + eventId) { ["Stats"] = JsonSerializer.Serialize(stats, Json.Compact), ["Sign"] = sign };

    /// <summary>Entries after <paramref name="afterId"/> (exclusive) up to <paramref name="untilId"/> (exclusive; null for all), in order.</summary>
    public static async IAsyncEnumerable<JournalEntry> ReadAsync(SubmissionStore submissions, string processId, string? afterId, string? untilId,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // A range read from the watermark on: rows before it are never touched.
        await foreach (var row in submissions.ScanAsync(processId, Prefix, null, ["RowKey", "Stats", "Sign", "Sha256"], cancellationToken,
                           lower: Prefix + (afterId ?? ""), upper: untilId is null ? null : Prefix + untilId))
        {
            var id = row.RowKey[Prefix.Length..];
            if (id == afterId) continue;
            var stats = JsonSerializer.Deserialize<List<StatRecord>>(row.GetString("Stats"), Json.Options) ?? [];
            yield return new JournalEntry(id, stats, row.GetInt32("Sign") ?? 1, row.GetString("Sha256"));
        }
    }
}
