using System.Globalization;
using Participa.Domain;
using Participa.Storage;

namespace Participa.Api.Http;

/// <summary>The paging parameters every list takes: pageSize (1-100, default 20) and an opaque continuationToken.</summary>
public sealed record Paging(int PageSize, string? ContinuationToken)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public static Paging Parse(string? pageSize, string? continuationToken, Errors errors)
    {
        var size = DefaultPageSize;
        if (pageSize is not null && (!int.TryParse(pageSize, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxPageSize))
            errors.Add("pageSize", Localized.Format(Messages.WholeNumberRange, MaxPageSize));
        if (continuationToken is { Length: 0 or > 400 })
            errors.Add("continuationToken", Messages.TokenUnknown);
        return new Paging(size, continuationToken);
    }

    /// <summary>
    /// The answer of every list: one page, the total, each item's view. A continuation token this list did not hand
    /// out is a 400, not a 500.
    /// </summary>
    public static async Task<IResult> RespondAsync<TItem, TView>(Func<Task<Page<TItem>>> page, Func<Task<long>> count, Func<TItem, TView> view)
    {
        try
        {
            var items = await page();
            return TypedResults.Ok(new PageResponse<TView>(items.Items.Select(view).ToList(), items.ContinuationToken, await count()));
        }
        catch (FormatException)
        {
            return BadToken();
        }
    }

    /// <summary>
    /// The same answer for a short list held in memory (processes), in the ordinal order of <paramref name="key"/>. The
    /// token is the next item's key, encoded like every other list's; one that does not decode, or decodes to something
    /// <paramref name="isKey"/> refuses, is a 400. A key that has gone since the token was handed out still works:
    /// the page starts at the first item after it.
    /// </summary>
    public static IResult Respond<TItem, TView>(IEnumerable<TItem> items, Func<TItem, string> key, Func<string, bool> isKey, Paging paging, Func<TItem, TView> view)
    {
        var ordered = items.OrderBy(key, StringComparer.Ordinal).ToList();
        var start = 0;
        if (paging.ContinuationToken is { } token)
        {
            string next;
            try
            {
                next = Tokens.Decode(token);
            }
            catch (FormatException)
            {
                return BadToken();
            }
            if (!isKey(next)) return BadToken();
            start = ordered.Count(i => string.CompareOrdinal(key(i), next) < 0);
        }
        var page = ordered.Skip(start).Take(paging.PageSize + 1).ToList();
        var continuation = page.Count > paging.PageSize ? Tokens.Encode(key(page[^1])) : null;
        return TypedResults.Ok(new PageResponse<TView>(page.Take(paging.PageSize).Select(view).ToList(), continuation, ordered.Count));
    }

    public static IResult BadToken() => Problems.Validation(new Dictionary<string, string[]>
    {
        ["continuationToken"] = [Messages.TokenUnknownForList],
    });
}

/// <summary>A page as every list returns it: the items, the token of the next page, and how many match in all.</summary>
public sealed record PageResponse<T>(IReadOnlyList<T> Items, string? ContinuationToken, long Count);

/// <summary>A short list returned whole (processes, a process's documents).</summary>
public sealed record ListResponse<T>(IReadOnlyList<T> Items);
