using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Components;
using Participa.Storage;
using Participa.Web;
using Participa.Web.Resources;

namespace Participa.Api.Features.Pages;

/// <summary>
/// What every page function shares: the reader's language, rendering a page component with the headers every page
/// carries, reading a posted form, and the redirect after a post.
/// </summary>
public sealed class Html(PageRenderer renderer, IConfiguration configuration, TimeProvider clock, IHostEnvironment environment)
{
    public const string LanguageCookie = "participa_lang";
    /// <summary>Forms are small: a proposal's three texts of 4,000 characters, in UTF-8 and URL-encoded, fit with room to spare.</summary>
    public const int FormLimit = 64 * 1024;

    /// <summary>Nothing loads but this origin's stylesheet and icon; no script at all, inline or not; forms post only here.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    readonly IReadOnlyList<string> _languages = Languages.Supported(configuration[Languages.Setting]);

    public bool Supports(string language) => _languages.Contains(language);

    /// <summary>
    /// Sets the invocation's culture to the reader's language: the cookie the language links set, else Accept-Language
    /// (as for the API, see RequestLanguage), else the first supported language (Spanish).
    /// </summary>
    public PageContext Context(HttpRequest request)
    {
        var language = request.Cookies[LanguageCookie] is { } chosen && _languages.Contains(chosen)
            ? chosen
            : Languages.Choose(request.Headers.AcceptLanguage.ToString(), _languages);
        var culture = CultureInfo.GetCultureInfo(language);
        (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, culture);
        return new PageContext(language, request.Path + request.QueryString, _languages, clock.GetUtcNow(), StaffPages.Signed(request.HttpContext.User));
    }

    public async Task<IResult> PageAsync<TPage>(HttpRequest request, PageContext context, object parameters, int status = 200,
        string contentSecurityPolicy = ContentSecurityPolicy) where TPage : IComponent
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal) { ["Context"] = context };
        foreach (var property in parameters.GetType().GetProperties()) values[property.Name] = property.GetValue(parameters);
        var html = await renderer.RenderAsync<TPage>(values);
        var headers = request.HttpContext.Response.Headers;
        headers.ContentSecurityPolicy = contentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentLanguage = context.Language;
        // What staff see is theirs alone: no shared cache, no back-button copy after signing out.
        headers.CacheControl = context.Staff is null ? "no-cache" : "no-store";
        headers.Vary = "Accept-Language, Cookie";
        return TypedResults.Text(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    public Task<IResult> NotFoundAsync(HttpRequest request, PageContext context) =>
        PageAsync<Participa.Web.Pages.MessagePage>(request, context, new { Title = UI.NotFoundTitle, Message = UI.NotFoundMessage }, StatusCodes.Status404NotFound);

    public CookieOptions Cookie(HttpRequest request, TimeSpan maxAge, string path, bool httpOnly = true, SameSiteMode sameSite = SameSiteMode.Lax) => new()
    {
        HttpOnly = httpOnly,
        // Plain http only on a developer's machine (the local host); everywhere else the cookie needs https.
        Secure = request.IsHttps || !environment.IsDevelopment(),
        SameSite = sameSite,
        MaxAge = maxAge,
        Path = path,
    };

    /// <summary>The redirect after a successful post: the browser then GETs the result, so a reload does not post again.</summary>
    public static IResult SeeOther(string url) => new SeeOtherResult(url);

    sealed class SeeOtherResult(string url) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = url;
            return Task.CompletedTask;
        }
    }

    /// <summary>A url-encoded form of at most <see cref="FormLimit"/> bytes, or the problem to answer with (415, 413).</summary>
    public static async Task<(IFormCollection? Form, IResult? Problem)> ReadFormAsync(HttpRequest request)
    {
        if (!request.HasFormContentType || !request.ContentType!.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
            return (null, Http.Problems.UnsupportedMediaType(request.ContentType));
        if (request.ContentLength > FormLimit) return (null, Http.Problems.TooLarge(FormLimit));
        try
        {
            return (await request.ReadFormAsync(new Microsoft.AspNetCore.Http.Features.FormOptions
            {
                BufferBody = true, ValueLengthLimit = FormLimit, KeyLengthLimit = 100, ValueCountLimit = 50,
            }, request.HttpContext.RequestAborted), null);
        }
        catch (InvalidDataException)
        {
            return (null, Http.Problems.TooLarge(FormLimit));
        }
    }

    /// <summary>The form's values for the fields a page shows (to show them again next to their errors).</summary>
    public static FormState State(IFormCollection form, IDictionary<string, string[]> errors) =>
        new(form.Keys.Where(k => k != "idempotencyKey").ToDictionary(k => k, k => (string?)form[k].ToString(), StringComparer.Ordinal), errors.AsReadOnly());

    /// <summary>
    /// A form carries a random key made when it was rendered: posting the same form twice (a double click, a reload
    /// after a lost answer) is one submission. The key is scoped to the form's path, and paired with the values'
    /// hash to tell a retry from a reused form.
    /// </summary>
    public static IdempotencyKey? Key(HttpRequest request, IFormCollection form)
    {
        var key = form["idempotencyKey"].ToString();
        if (key.Length is < 16 or > 128 || key.Any(c => c is < '!' or > '~')) return null;
        var values = string.Join('\n', form.Keys.Where(k => k != "idempotencyKey").Order(StringComparer.Ordinal).Select(k => k + "=" + form[k]));
        return new IdempotencyKey(
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"FORM {request.Path}\n{key}"))),
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(values))));
    }

    public static string NewKey() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Form values as the domain's participant fields take them.</summary>
    public static T Participant<T>(IFormCollection form, T input) where T : Domain.ParticipantFields => input with
    {
        Department = Value(form, "department"),
        Municipality = Value(form, "municipality"),
        Sector = Value(form, "sector"),
        Gender = Value(form, "gender"),
        AgeBand = Value(form, "ageBand"),
        AuthorName = Value(form, "authorName"),
        AuthorOrganisation = Value(form, "authorOrganisation"),
        AuthorEmail = Value(form, "authorEmail"),
        ShowName = form["showName"].ToString() == "true",
    };

    /// <summary>An empty field is an absent one, as in JSON.</summary>
    public static string? Value(IFormCollection form, string name) => form[name].ToString() is { Length: > 0 } v ? v : null;
}
