using System.Security.Cryptography;
using System.Text;

namespace Participa.Domain;

/// <summary>One receipt as the ledger commits to it: id, content hash and public state (never the content).</summary>
public sealed record LedgerEntry(string Id, string Sha256, string State)
{
    /// <summary>The leaf: SHA-256 of 0x00 and "id\nsha256\nstate" (RFC 6962 style, so a leaf can never pass as a node).</summary>
    public byte[] LeafHash() => Ledger.Hash([0x00, .. Encoding.UTF8.GetBytes($"{Id}\n{Sha256}\n{State}")]);
}

/// <summary>A sibling on the path from a leaf to the root, and which side it is on.</summary>
public sealed record ProofStep(string Sibling, bool SiblingOnLeft);

/// <summary>
/// A Merkle tree over every receipt of a process, ordered by id. Leaves and nodes are hashed with distinct prefixes
/// (0x00, 0x01) as in RFC 6962; levels are paired left to right and an odd last node moves up unchanged. Publishing the root makes silent deletion detectable: a citizen holding a receipt asks for its proof
/// and recomputes the root; a removed or altered receipt cannot produce the published root.
/// </summary>
public static class Ledger
{
    public static byte[] Hash(ReadOnlySpan<byte> data) => SHA256.HashData(data);

    static byte[] Node(byte[] left, byte[] right) => Hash([0x01, .. left, .. right]);

    /// <summary>The root over entries sorted by id (ordinal); the hash of nothing for an empty ledger.</summary>
    public static string Root(IReadOnlyList<LedgerEntry> sortedEntries)
    {
        if (sortedEntries.Count == 0) return Convert.ToHexStringLower(Hash([]));
        var level = sortedEntries.Select(e => e.LeafHash()).ToList();
        while (level.Count > 1) level = Up(level);
        return Convert.ToHexStringLower(level[0]);
    }

    /// <summary>The inclusion proof of the entry at <paramref name="index"/> in the sorted entries.</summary>
    public static IReadOnlyList<ProofStep> Proof(IReadOnlyList<LedgerEntry> sortedEntries, int index)
    {
        var steps = new List<ProofStep>();
        var level = sortedEntries.Select(e => e.LeafHash()).ToList();
        while (level.Count > 1)
        {
            var sibling = index % 2 == 0 ? index + 1 : index - 1;
            if (sibling < level.Count)
                steps.Add(new ProofStep(Convert.ToHexStringLower(level[sibling]), SiblingOnLeft: sibling < index));
            level = Up(level);
            index /= 2;
        }
        return steps;
    }

    /// <summary>What a citizen runs: the leaf of their receipt, folded with the proof, must give the published root.</summary>
    public static bool Verify(LedgerEntry entry, IReadOnlyList<ProofStep> proof, string root)
    {
        var hash = entry.LeafHash();
        foreach (var step in proof)
        {
            var sibling = Convert.FromHexString(step.Sibling);
            hash = step.SiblingOnLeft ? Node(sibling, hash) : Node(hash, sibling);
        }
        return Convert.ToHexStringLower(hash) == root;
    }

    static List<byte[]> Up(List<byte[]> level)
    {
        var next = new List<byte[]>((level.Count + 1) / 2);
        for (var i = 0; i < level.Count; i += 2)
            next.Add(i + 1 < level.Count ? Node(level[i], level[i + 1]) : level[i]);
        return next;
    }
}

/// <summary>
/// The leaves of a process's ledger, kept sorted by receipt id between statistics runs and stored compactly
/// (49 bytes a receipt: 16 of id, 32 of hash, 1 of state), so a run updates it from new journal rows alone.
/// </summary>
public sealed class LedgerBook
{
    const int Size = 49;
    readonly List<LedgerEntry> _entries;

    public LedgerBook(IEnumerable<LedgerEntry>? entries = null) =>
        _entries = (entries ?? []).OrderBy(e => e.Id, StringComparer.Ordinal).ToList();

    public IReadOnlyList<LedgerEntry> Entries => _entries;

    /// <summary>Adds a receipt or changes its state.</summary>
    public void Set(LedgerEntry entry)
    {
        var index = IndexOf(entry.Id);
        if (index >= 0) _entries[index] = entry;
        // New receipts are time-ordered, so this is nearly always an append.
        else _entries.Insert(~index, entry);
    }

    public int IndexOf(string id)
    {
        int low = 0, high = _entries.Count - 1;
        while (low <= high)
        {
            var mid = (low + high) / 2;
            var c = string.CompareOrdinal(_entries[mid].Id, id);
            if (c == 0) return mid;
            if (c < 0) low = mid + 1; else high = mid - 1;
        }
        return ~low;
    }

    public string Root() => Ledger.Root(_entries);

    public byte[] ToBytes()
    {
        var bytes = new byte[_entries.Count * Size];
        for (var i = 0; i < _entries.Count; i++)
        {
            var span = bytes.AsSpan(i * Size, Size);
            Convert.FromHexString(_entries[i].Id).CopyTo(span);
            Convert.FromHexString(_entries[i].Sha256).CopyTo(span[16..]);
            span[48] = _entries[i].State == "published" ? (byte)0 : (byte)1;
        }
        return bytes;
    }

    public static LedgerBook FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % Size != 0) throw new InvalidDataException("A ledger is a whole number of 49-byte entries.");
        var entries = new List<LedgerEntry>(bytes.Length / Size);
        for (var i = 0; i < bytes.Length; i += Size)
        {
            var span = bytes.Slice(i, Size);
            entries.Add(new LedgerEntry(Convert.ToHexStringLower(span[..16]), Convert.ToHexStringLower(span[16..48]), span[48] == 0 ? "published" : "hidden"));
        }
        return new LedgerBook(entries);
    }
}
