using System.Security.Cryptography;
using System.Text;

namespace Participa.Domain;

/// <summary>One receipt as the ledger commits to it: id, content hash and public state (never the content).</summary>
public sealed record LedgerEntry(string Id, string Sha256, string State)
{
    public const string Published = "published", Hidden = "hidden";

    /// <summary>The leaf: SHA-256 of 0x00 and "id\nsha256\nstate" (RFC 6962 style, so a leaf can never pass as a node).</summary>
    public byte[] LeafHash() => Ledger.Hash([0x00, .. Encoding.UTF8.GetBytes($"{Id}\n{Sha256}\n{State}")]);
}

/// <summary>A sibling on the path from a leaf to the root, and which side it is on.</summary>
public sealed record ProofStep(string Sibling, bool SiblingOnLeft);

/// <summary>
/// A Merkle tree over every receipt of a process, ordered by id. Leaves and nodes are hashed with distinct prefixes
/// (0x00, 0x01) as in RFC 6962; levels are paired left to right and an odd last node moves up unchanged. Publishing
/// the root makes silent deletion detectable: a citizen holding a receipt asks for its proof and recomputes the root;
/// a removed or altered receipt cannot produce the published root.
/// </summary>
public static class Ledger
{
    public static byte[] Hash(ReadOnlySpan<byte> data) => SHA256.HashData(data);

    static byte[] Node(byte[] left, byte[] right) => Hash([0x01, .. left, .. right]);

    /// <summary>The root over entries sorted by id (ordinal); the hash of nothing for an empty ledger.</summary>
    public static string Root(IReadOnlyList<LedgerEntry> sortedEntries) => Convert.ToHexStringLower(Fold(Leaves(sortedEntries)));

    /// <summary>The inclusion proof of the entry at <paramref name="index"/> in the sorted entries.</summary>
    public static IReadOnlyList<ProofStep> Proof(IReadOnlyList<LedgerEntry> sortedEntries, int index) => Path(Leaves(sortedEntries), index);

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

    internal static List<byte[]> Leaves(IEnumerable<LedgerEntry> entries) => entries.Select(e => e.LeafHash()).ToList();

    /// <summary>The node a level of nodes folds to; the hash of nothing for no nodes.</summary>
    internal static byte[] Fold(List<byte[]> level)
    {
        if (level.Count == 0) return Hash([]);
        while (level.Count > 1) level = Up(level);
        return level[0];
    }

    /// <summary>The siblings on the way from node <paramref name="index"/> of a level to the node it folds to.</summary>
    internal static List<ProofStep> Path(List<byte[]> level, int index)
    {
        var steps = new List<ProofStep>();
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

    static List<byte[]> Up(List<byte[]> level)
    {
        var next = new List<byte[]>((level.Count + 1) / 2);
        for (var i = 0; i < level.Count; i += 2)
            next.Add(i + 1 < level.Count ? Node(level[i], level[i + 1]) : level[i]);
        return next;
    }
}

/// <summary>Where a page of the ledger starts, how many receipts it holds and the root of its subtree.</summary>
public sealed record LedgerPage(string FirstId, int Count, string Root);

/// <summary>
/// The ledger as it is stored: the receipts in id order, cut into pages of <see cref="PageSize"/> (a power of two), so
/// every full page is a whole subtree of <see cref="Ledger"/>'s tree and the root over the page roots is the root over
/// every receipt. A statistics run loads only the pages its changes fall in (new receipts go to the last page) and a
/// proof reads one page, so neither grows with the history. Pages are loaded by the caller (<see cref="PagesFor"/>,
/// <see cref="Load"/>), because reading them is storage's business.
/// </summary>
public sealed class PagedLedger
{
    public const int DefaultPageSize = 4096;
    const int EntrySize = 49;

    readonly List<LedgerPage> _pages;
    readonly Dictionary<int, List<LedgerEntry>> _loaded = [];
    // Pages changed since they were loaded (to be stored), those whose root is out of date, and the stored roots they replace.
    readonly SortedSet<int> _changed = [];
    readonly HashSet<int> _stale = [];
    readonly List<string> _replaced = [];

    public PagedLedger(IEnumerable<LedgerPage>? pages = null, int pageSize = DefaultPageSize)
    {
        if (pageSize < 1 || (pageSize & (pageSize - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(pageSize), "A page is a whole subtree: a power of two.");
        PageSize = pageSize;
        _pages = pages?.ToList() ?? [];
    }

    /// <summary>A ledger of these entries (in any order), every page changed: what a full recompute builds.</summary>
    public static PagedLedger Build(IEnumerable<LedgerEntry> entries, int pageSize = DefaultPageSize)
    {
        var ledger = new PagedLedger(pageSize: pageSize);
        var sorted = entries.OrderBy(e => e.Id, StringComparer.Ordinal).ToList();
        for (var start = 0; start < sorted.Count; start += pageSize)
        {
            ledger.AddPage();
            ledger._loaded[ledger._pages.Count - 1] = sorted.GetRange(start, Math.Min(pageSize, sorted.Count - start));
            ledger.Touch(ledger._pages.Count - 1);
        }
        return ledger;
    }

    public int PageSize { get; }

    public IReadOnlyList<LedgerPage> Pages
    {
        get
        {
            Refresh();
            return _pages;
        }
    }

    public long Count => _pages.Sum(p => (long)p.Count);

    public string Root() => Convert.ToHexStringLower(Ledger.Fold(PageRoots()));

    List<byte[]> PageRoots() => Pages.Select(p => Convert.FromHexString(p.Root)).ToList();

    /// <summary>The page a receipt is in, or would go in: the last one starting at or before it (the first for an id before all).</summary>
    public int PageOf(string id)
    {
        int low = 0, high = _pages.Count - 1, found = 0;
        while (low <= high)
        {
            var mid = (low + high) / 2;
            if (string.CompareOrdinal(_pages[mid].FirstId, id) <= 0) { found = mid; low = mid + 1; }
            else high = mid - 1;
        }
        return found;
    }

    /// <summary>
    /// The pages still to load before <see cref="Set"/> can place these receipts; call until it returns none. A change
    /// of state needs the receipt's page. A new receipt older than the last page's first would shift every later
    /// receipt, so it needs every page from its own on; new receipts are nearly always newer than every stored one
    /// (ids are time-ordered and runs take them in order), which makes that the last page.
    /// </summary>
    public IReadOnlySet<int> PagesFor(IEnumerable<string> ids)
    {
        var pages = new SortedSet<int>();
        var last = _pages.Count - 1;
        foreach (var id in ids)
        {
            var page = PageOf(id);
            if (!_loaded.TryGetValue(page, out var entries)) pages.Add(page);
            else if (page < last && IndexOf(entries, id) < 0)
                for (var later = page + 1; later <= last; later++) pages.Add(later);
        }
        pages.RemoveWhere(p => p > last || _loaded.ContainsKey(p));
        return pages;
    }

    /// <summary>Gives the ledger a page's receipts, as stored.</summary>
    public void Load(int page, IReadOnlyList<LedgerEntry> entries) => _loaded[page] = entries.ToList();

    /// <summary>Adds a receipt or changes its state; the pages it touches must be loaded (<see cref="PagesFor"/>).</summary>
    public void Set(LedgerEntry entry)
    {
        if (_pages.Count == 0) AddPage();
        var page = PageOf(entry.Id);
        var entries = Loaded(page);
        var index = IndexOf(entries, entry.Id);
        if (index >= 0) entries[index] = entry;
        else entries.Insert(~index, entry);
        // A full page passes its last receipt to the next one, so every page but the last stays exactly full.
        var first = page;
        for (; entries.Count > PageSize; page++)
        {
            if (page + 1 == _pages.Count) AddPage();
            var next = Loaded(page + 1);
            next.Insert(0, entries[^1]);
            entries.RemoveAt(entries.Count - 1);
            entries = next;
        }
        for (var touched = first; touched <= page; touched++) Touch(touched);
    }

    void AddPage()
    {
        _pages.Add(new LedgerPage("", 0, ""));
        _loaded[_pages.Count - 1] = [];
    }

    /// <summary>Keeps a changed page's first id and count current at once (later changes are placed by them); its root is computed when asked for.</summary>
    void Touch(int page)
    {
        var entries = Loaded(page);
        if (_changed.Add(page) && _pages[page].Root is { Length: > 0 } stored) _replaced.Add(stored);
        _pages[page] = _pages[page] with { FirstId = entries[0].Id, Count = entries.Count };
        _stale.Add(page);
    }

    void Refresh()
    {
        foreach (var page in _stale)
            _pages[page] = _pages[page] with { Root = Convert.ToHexStringLower(Ledger.Fold(Ledger.Leaves(_loaded[page]))) };
        _stale.Clear();
    }

    /// <summary>The receipt and where it is, or null when it is not in the ledger; its page must be loaded.</summary>
    public (LedgerEntry Entry, long Index, IReadOnlyList<ProofStep> Proof)? Find(string id)
    {
        if (_pages.Count == 0) return null;
        var page = PageOf(id);
        var entries = Loaded(page);
        var index = IndexOf(entries, id);
        if (index < 0) return null;
        var proof = Ledger.Path(Ledger.Leaves(entries), index);
        proof.AddRange(Ledger.Path(PageRoots(), page));
        return (entries[index], (long)page * PageSize + index, proof);
    }

    /// <summary>
    /// The pages changed since they were loaded, to be stored, and the roots of the stored pages they replace (to be
    /// deleted once the new pages are in the index). The ledger then counts as stored.
    /// </summary>
    public (IReadOnlyList<(LedgerPage Page, IReadOnlyList<LedgerEntry> Entries)> Pages, IReadOnlyList<string> Replaced) Seal()
    {
        var pages = Pages;
        var changed = _changed.Select(page => (pages[page], (IReadOnlyList<LedgerEntry>)_loaded[page])).ToList();
        // A page changed back to what it was (a run repeated after a crash) replaces nothing.
        var current = pages.Select(p => p.Root).ToHashSet(StringComparer.Ordinal);
        var replaced = _replaced.Where(r => !current.Contains(r)).ToList();
        _changed.Clear();
        _replaced.Clear();
        return (changed, replaced);
    }

    List<LedgerEntry> Loaded(int page) =>
        _loaded.TryGetValue(page, out var entries) ? entries : throw new InvalidOperationException($"Ledger page {page} is not loaded.");

    static int IndexOf(List<LedgerEntry> entries, string id)
    {
        int low = 0, high = entries.Count - 1;
        while (low <= high)
        {
            var mid = (low + high) / 2;
            var c = string.CompareOrdinal(entries[mid].Id, id);
            if (c == 0) return mid;
            if (c < 0) low = mid + 1; else high = mid - 1;
        }
        return ~low;
    }

    /// <summary>A page as stored: 49 bytes a receipt (16 of id, 32 of hash, 1 of state).</summary>
    public static byte[] ToBytes(IReadOnlyList<LedgerEntry> entries)
    {
        var bytes = new byte[entries.Count * EntrySize];
        for (var i = 0; i < entries.Count; i++)
        {
            var span = bytes.AsSpan(i * EntrySize, EntrySize);
            Convert.FromHexString(entries[i].Id).CopyTo(span);
            Convert.FromHexString(entries[i].Sha256).CopyTo(span[16..]);
            span[48] = entries[i].State == LedgerEntry.Published ? (byte)0 : (byte)1;
        }
        return bytes;
    }

    public static List<LedgerEntry> FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % EntrySize != 0) throw new InvalidDataException("A ledger page is a whole number of 49-byte entries.");
        var entries = new List<LedgerEntry>(bytes.Length / EntrySize);
        for (var i = 0; i < bytes.Length; i += EntrySize)
        {
            var span = bytes.Slice(i, EntrySize);
            entries.Add(new LedgerEntry(Convert.ToHexStringLower(span[..16]), Convert.ToHexStringLower(span[16..48]), span[48] == 0 ? LedgerEntry.Published : LedgerEntry.Hidden));
        }
        return entries;
    }
}
