using Azure.Data.Tables;
using Participa.Domain;

namespace Participa.Storage;

/// <summary>The rows shared by every kind of submission: participant columns, the receipt, the private contact.</summary>
static class ItemRows
{
    public const string Published = "published";

    /// <summary>Copies of one item under each key: the same columns, so any index answers a query without a second read.</summary>
    public static List<TableEntity> Copies(string processId, IEnumerable<string> rowKeys, IDictionary<string, object?> columns) =>
        rowKeys.Select(rk =>
        {
            var row = new TableEntity(processId, rk);
            foreach (var (name, value) in columns) row[name] = value;
            return row;
        }).ToList();

    public static void AddParticipant(IDictionary<string, object?> columns, Participant p)
    {
        columns["Department"] = p.Department;
        columns["Municipality"] = p.Municipality;
        columns["Sector"] = p.Sector;
        columns["Gender"] = p.Gender;
        columns["AgeBand"] = p.AgeBand;
        columns["AuthorName"] = p.PublicName;
        columns["AuthorOrganisation"] = p.PublicOrganisation;
        columns["Hidden"] = false;
    }

    /// <summary>The participant as far as public reads need it: never the contact, which lives in its own row.</summary>
    public static Participant ReadParticipant(TableEntity e) => new(
        e.GetString("Department"), e.GetString("Municipality"), e.GetString("Sector"), e.GetString("Gender"), e.GetString("AgeBand"),
        e.GetString("AuthorName"), e.GetString("AuthorOrganisation"), null);

    /// <summary>The receipt row lists the item's copies, so moderation can update them all in one transaction.</summary>
    /// <remarks>
    /// The receipt also keeps the item's <see cref="StatRecord"/> (aggregate fields only), so a later state change can
    /// journal exactly what it adds to or removes from the statistics, and a full recompute reads receipts alone.
    /// </remarks>
    public static TableEntity Receipt(string processId, string id, string kind, string path, string sha256, DateTimeOffset submittedAt,
        IEnumerable<TableEntity> copies, StatRecord stat, DateTimeOffset? recordedAt = null) =>
        new(processId, Keys.Receipt(id))
        {
            ["Kind"] = kind,
            ["Path"] = path,
            ["Sha256"] = sha256,
            ["SubmittedAt"] = submittedAt,
            // Typed in by staff later (a meeting's proposals, paper forms): when, for the audit; SubmittedAt is when it was made.
            ["RecordedAt"] = recordedAt,
            ["State"] = Published,
            ["Rows"] = string.Join('\n', copies.Select(c => c.RowKey)),
            ["Stat"] = Journal.Serialize(stat),
        };

    public static IEnumerable<TableEntity> Contact(string processId, string id, Contact? contact) =>
        contact is null ? [] :
        [
            new TableEntity(processId, Keys.Contact(id))
            {
                ["Name"] = contact.Name,
                ["Organisation"] = contact.Organisation,
                ["Email"] = contact.Email,
                ["ShowName"] = contact.ShowName,
            },
        ];

    /// <summary>column eq 'value', the value escaped; the column is ours, never the client's, so it is not quoted.</summary>
    public static string? Eq(string column, string? value) => value is null ? null : $"{column} eq {TableClient.CreateQueryFilter($"{value}")}";

    public static string? And(params string?[] filters)
    {
        var parts = filters.Where(f => f is not null).ToList();
        return parts.Count == 0 ? null : string.Join(" and ", parts);
    }

    /// <summary>Lists show what is published; hidden items stay reachable through their receipts.</summary>
    public const string NotHidden = "Hidden eq false";
}
