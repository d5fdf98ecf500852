using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Participa.Domain;

/// <summary>
/// What grouping needs of one opinion's reasons, computed once at submission and stored on its rows: the hash of the
/// normalized text (exact duplicates) and a MinHash sketch of its 3-word shingles (near duplicates).
/// </summary>
public sealed record TextFeatures(string TextHash, byte[] Sketch)
{
    /// <summary>Null when the reasons have no words: an opinion without reasons is not part of any campaign.</summary>
    public static TextFeatures? Of(string? reasons)
    {
        var normalized = Campaigns.Normalize(reasons);
        if (normalized.Length == 0) return null;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)).AsSpan(0, 8));
        return new(hash, Campaigns.Sketch(normalized));
    }
}

/// <summary>One opinion as grouping sees it: a projection of its row.</summary>
public sealed record CampaignMember(string Id, string Position, DateTimeOffset SubmittedAt, string TextHash, byte[] Sketch);

/// <summary>A set of opinions whose reasons are the same or nearly the same text. <see cref="Id"/> is its earliest opinion's id.</summary>
public sealed record CampaignGroup(
    string Id, int Count, IReadOnlyDictionary<string, int> Positions, string RepresentativeId,
    DateTimeOffset FirstSubmittedAt, DateTimeOffset LastSubmittedAt, IReadOnlyList<string> MemberIds, int DistinctTexts);

/// <summary>
/// Mass-campaign grouping, as regulations.gov agencies do it: identical texts after normalization form one class;
/// classes whose 3-word-shingle Jaccard similarity is estimated at 0.8 or more join one group. Candidates come from
/// MinHash LSH (16 bands of 4 values), and every candidate pair is checked on the whole sketch, so the bands only
/// decide what is compared, never what is grouped. Parameters and their arithmetic: docs/congress-review.md.
/// </summary>
public static class Campaigns
{
    public const int ShingleWords = 3;
    public const int Hashes = 64;
    public const int Bands = 16;
    public const int RowsPerBand = Hashes / Bands;
    public const double Threshold = 0.8;
    /// <summary>Matching sketch values needed: ceil(0.8 x 64) = 52.</summary>
    public static readonly int MatchesNeeded = (int)Math.Ceiling(Threshold * Hashes);

    /// <summary>
    /// A campaign's text as staff read it: the representative opinion's words, with tabs, runs of spaces and blank
    /// lines collapsed, and SHOUTED or mIxEd capitals put into sentence case. Only for display; the opinion keeps its text.
    /// </summary>
    public static string Readable(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "";
        var collapsed = System.Text.RegularExpressions.Regex.Replace(text.Trim(), @"[\s\p{Cc}]+", " ");
        var letters = collapsed.Where(char.IsLetter).ToList();
        if (letters.Count == 0) return collapsed;
        var upper = letters.Count(char.IsUpper);
        var oddCapitals = letters.Count > 1 && letters.Skip(1).Zip(letters).Count(p => char.IsUpper(p.First) != char.IsUpper(p.Second)) > letters.Count / 3;
        if (upper * 10 < letters.Count * 6 && !oddCapitals) return collapsed;
        var result = new System.Text.StringBuilder(collapsed.Length);
        var startOfSentence = true;
        foreach (var c in collapsed)
        {
            if (char.IsLetter(c))
            {
                result.Append(startOfSentence ? char.ToUpper(c, System.Globalization.CultureInfo.InvariantCulture) : char.ToLower(c, System.Globalization.CultureInfo.InvariantCulture));
                startOfSentence = false;
            }
            else
            {
                result.Append(c);
                if (c is '.' or '!' or '?' or '¡' or '¿') startOfSentence = true;
            }
        }
        return result.ToString();
    }

    /// <summary>
    /// Lower case, accents and punctuation dropped, whitespace collapsed: "¡Sí, NO!" and "si no" are one text. Never
    /// throws: what Unicode normalization refuses (a lone surrogate, a noncharacter; text rules keep them out, but
    /// stored rows are read as they are) is a separator here, like punctuation.
    /// </summary>
    public static string Normalize(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var decomposed = Scalars(text).ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var space = true;
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark) continue;
            if (char.IsLetterOrDigit(c) || char.IsSurrogate(c))
            {
                builder.Append(c);
                space = false;
            }
            else if (!space)
            {
                builder.Append(' ');
                space = true;
            }
        }
        if (builder.Length > 0 && builder[^1] == ' ') builder.Length--;
        return builder.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>The text with every lone surrogate and noncharacter replaced by a space; the same instance when it has none.</summary>
    static string Scalars(string text)
    {
        StringBuilder? clean = null;
        for (var i = 0; i < text.Length;)
        {
            var status = Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var used);
            var bad = status != System.Buffers.OperationStatus.Done || Text.IsNoncharacter(rune.Value);
            if (bad && clean is null) clean = new StringBuilder(text.Length).Append(text, 0, i);
            if (bad) clean!.Append(' ');
            else clean?.Append(text, i, used);
            i += used;
        }
        return clean?.ToString() ?? text;
    }

    /// <summary>
    /// 64 MinHash values of the text's 3-word shingles, each kept to its low 16 bits (128 bytes). Two unrelated
    /// values agree by chance with probability 1/65,536, which adds nothing noticeable to the Jaccard estimate.
    /// </summary>
    public static byte[] Sketch(string normalized)
    {
        var words = normalized.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var shingles = new HashSet<ulong>();
        if (words.Length <= ShingleWords)
            shingles.Add(Fnv(string.Join(' ', words)));
        else
            for (var i = 0; i + ShingleWords <= words.Length; i++)
                shingles.Add(Fnv(string.Join(' ', words, i, ShingleWords)));

        Span<ulong> minima = stackalloc ulong[Hashes];
        minima.Fill(ulong.MaxValue);
        foreach (var shingle in shingles)
            for (var h = 0; h < Hashes; h++)
            {
                var value = Mix(shingle ^ Seeds[h]);
                if (value < minima[h]) minima[h] = value;
            }
        var sketch = new byte[Hashes * 2];
        for (var h = 0; h < Hashes; h++)
        {
            sketch[2 * h] = (byte)minima[h];
            sketch[2 * h + 1] = (byte)(minima[h] >> 8);
        }
        return sketch;
    }

    /// <summary>The estimated Jaccard similarity of two sketches: the share of values that agree.</summary>
    public static double Similarity(byte[] a, byte[] b) => (double)Matches(a, b) / Hashes;

    static int Matches(byte[] a, byte[] b)
    {
        var matches = 0;
        for (var i = 0; i < a.Length; i += 2)
            if (a[i] == b[i] && a[i + 1] == b[i + 1]) matches++;
        return matches;
    }

    /// <summary>Groups of two or more opinions, largest first (then earliest first), with at most <paramref name="memberCap"/> ids each.</summary>
    public static IReadOnlyList<CampaignGroup> Group(IEnumerable<CampaignMember> opinions, int memberCap = int.MaxValue)
    {
        // Exact classes first: identical texts share one sketch, so near-duplicate work is per distinct text.
        var classes = new Dictionary<string, List<CampaignMember>>(StringComparer.Ordinal);
        foreach (var o in opinions)
        {
            if (o.Sketch.Length != Hashes * 2) continue;
            if (!classes.TryGetValue(o.TextHash, out var members)) classes[o.TextHash] = members = [];
            members.Add(o);
        }
        var texts = classes.Values.ToList();
        var parent = Enumerable.Range(0, texts.Count).ToArray();

        // LSH: classes that agree on all 4 values of any band are candidates; the first class in each bucket is
        // compared with the others on the whole sketch.
        var buckets = new Dictionary<(int Band, ulong Key), int>();
        for (var t = 0; t < texts.Count; t++)
        {
            var sketch = texts[t][0].Sketch;
            for (var band = 0; band < Bands; band++)
            {
                var key = BitConverter.ToUInt64(sketch, band * RowsPerBand * 2);
                if (!buckets.TryAdd((band, key), t))
                {
                    var head = buckets[(band, key)];
                    if (Find(parent, head) != Find(parent, t) && Matches(texts[head][0].Sketch, sketch) >= MatchesNeeded)
                        parent[Find(parent, t)] = Find(parent, head);
                }
            }
        }

        var groups = new List<CampaignGroup>();
        foreach (var component in Enumerable.Range(0, texts.Count).GroupBy(t => Find(parent, t)))
        {
            var members = component.SelectMany(t => texts[t]).OrderBy(m => m.Id, StringComparer.Ordinal).ToList();
            if (members.Count < 2) continue;
            var positions = members.GroupBy(m => m.Position, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            // The most common exact text speaks for the group; its earliest opinion is the one shown.
            var representative = component.Select(t => texts[t]).OrderByDescending(c => c.Count).ThenBy(c => c.Min(m => m.Id), StringComparer.Ordinal).First()
                .MinBy(m => m.Id, StringComparer.Ordinal)!;
            groups.Add(new CampaignGroup(members[0].Id, members.Count, positions, representative.Id,
                members.Min(m => m.SubmittedAt), members.Max(m => m.SubmittedAt),
                members.Take(memberCap).Select(m => m.Id).ToList(), component.Count()));
        }
        return groups.OrderByDescending(g => g.Count).ThenBy(g => g.Id, StringComparer.Ordinal).ToList();
    }

    static int Find(int[] parent, int i)
    {
        while (parent[i] != i) i = parent[i] = parent[parent[i]];
        return i;
    }

    static readonly ulong[] Seeds = Enumerable.Range(1, Hashes).Select(i => Mix((ulong)i * 0x9E3779B97F4A7C15UL)).ToArray();

    /// <summary>SplitMix64's finalizer: a fixed, well-mixed 64-bit permutation (stable across runs and machines, unlike string.GetHashCode).</summary>
    static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    static ulong Fnv(string s)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in s)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        return Mix(hash);
    }
}
