namespace Participa.Web;

/// <summary>What every page needs besides its own model: the reader's language, where the page is, the time now.</summary>
/// <param name="Path">The page's path and query, for the language links that come back to it.</param>
/// <param name="Staff">The signed-in staff member on staff pages; null on citizens' pages.</param>
public sealed record PageContext(string Language, string Path, IReadOnlyList<string> Languages, DateTimeOffset Now, StaffMember? Staff = null);

/// <summary>Who is signed in, and what their roles let them do: the pages show only that.</summary>
public sealed record StaffMember(string Name, bool Administers, bool Moderates, bool Reviews, bool Facilitates);

/// <summary>A form's submitted values and its errors by field, as the domain reported them.</summary>
public sealed record FormState(IReadOnlyDictionary<string, string?> Values, IReadOnlyDictionary<string, string[]> Errors)
{
    public static readonly FormState Empty = new(new Dictionary<string, string?>(), new Dictionary<string, string[]>());

    public string? this[string field] => Values.TryGetValue(field, out var v) ? v : null;
    public string[] ErrorsOf(string field) => Errors.TryGetValue(field, out var e) ? e : [];
}

/// <summary>Where the staff sign-in script sends the browser to get a token for this API from Entra ID.</summary>
public sealed record EntraSignIn(string Authority, string ClientId, string Scope, string RedirectUri);
