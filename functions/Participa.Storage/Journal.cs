using System.Text.Json;
using Azure.Data.Tables;
using Participa.Domain;

namespace Participa.Storage;

/// <summary>One change to a process's statistics: an item's aggregate fields and whether it counts in or out.</summary>
/// <remarks><see cref="Sha256"/> is the item's receipt hash, so the ledger follows the same journal.</remarks>
public sealed record JournalEntry(string Id, StatRecord Stat, int Sign, string? Sha256);

/// <summary>
/// The statistics journal: rows "j|{eventId}" in the process's partition, written in the same transaction as the
/// change they record (a new item, a hide, a restore). Event ids are time-ordered, so the statistics timer reads only
/// the rows after its watermark: its cost follows the new changes, not the process's history.
/// </summary>
public static class Journal
{
    public const string Prefix = "j|";

    public static string Serialize(StatRecord stat) => JsonSerializer.Serialize(stat, Json.Options);

    public static StatRecord Deserialize(string json) =>
        JsonSerializer.Deserialize<StatRecord>(json, Json.Options) ?? throw new InvalidDataException("Empty statistics record.");

    public static TableEntity Row(string processId, string eventId, string stat, int sign, string? sha256) =>
        new(processId, Prefix + eventId) { ["Stat"] = stat, ["Sign"] = sign, ["Sha256"] = sha256 };

    /// <summary>Entries after <paramref name="afterId"/> (exclusive) up to <paramref name="untilId"/> (exclusive), in order.</summary>
    public static async IAsyncEnumerable<JournalEntry> ReadAsync(SubmissionStore submissions, string processId, string? afterId, string untilId,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // A range read from the watermark on: rows before it are never touched.
        await foreach (var row in submissions.ScanAsync(processId, Prefix, null, ["RowKey", "Stat", "Sign", "Sha256"], cancellationToken,
                           lower: Prefix + (afterId ?? ""), upper: Prefix + untilId))
        {
            var id = row.RowKey[Prefix.Length..];
            if (id == afterId) continue;
            yield return new JournalEntry(id, Deserialize(row.GetString("Stat")), row.GetInt32("Sign") ?? 1, row.GetString("Sha256"));
        }
    }
}
