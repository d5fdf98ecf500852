namespace Participa.Domain;

/// <summary>
/// Small-count suppression for counts of people in small groups (who came to a roundtable, who proposed at it): a
/// count of 1 or 2 in a table about a known room can point at a person. Cells below <see cref="MinimumCount"/> are
/// withheld; when only one is, the next smallest is withheld too, so it cannot be worked out from the total; a table
/// whose total is below the minimum is withheld whole. Zeros are shown: "nobody from Petén" points at nobody.
/// </summary>
public static class Disclosure
{
    public const int MinimumCount = 3;

    /// <summary>The keys whose counts must not be published.</summary>
    public static IReadOnlySet<string> Suppressed(IEnumerable<KeyValuePair<string, long>> cells)
    {
        var list = cells.ToList();
        if (list.Sum(c => c.Value) < MinimumCount)
            return list.Where(c => c.Value > 0).Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        var small = list.Where(c => c.Value is > 0 and < MinimumCount).Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        if (small.Count == 1)
            small.Add(list.Where(c => c.Value >= MinimumCount).OrderBy(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).First().Key);
        return small;
    }
}
