using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Participa.Api.Hosting;
using Participa.Storage;
using Participa.Web;
using Participa.Web.Pages;
using Participa.Web.Resources;

namespace Participa.Api.Features.Pages;

/// <summary>
/// Staff sign-in for the pages, and the staff home. A staff page is authorised exactly as the API is (the same
/// Microsoft.Identity.Web bearer validation, the same [StaffOnly] policies); the browser just keeps the token in an
/// HttpOnly, SameSite=Strict cookie scoped to /staff, which the bearer handler reads there (StaffIdentity). In Azure
/// the token comes from Entra ID through the sign-in page's script (authorization code with PKCE); locally, from the
/// development issuer. docs/staff.md says why.
/// </summary>
public sealed class StaffPages(Html html, ProcessStore processes, IConfiguration configuration, IServiceProvider services)
{
    public const string Cookie = "participa_staff";
    public const string Path = "/staff";

    /// <summary>The sign-in page also runs a script and talks to Entra ID; every other page keeps the citizens' policy.</summary>
    const string SignInPolicy = "default-src 'none'; script-src 'self'; connect-src 'self' https://login.microsoftonline.com; style-src 'self'; img-src 'self' data:; form-action 'self' https://login.microsoftonline.com; base-uri 'none'; frame-ancestors 'none'";

    public static StaffMember? Signed(ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true && StaffRoles.All.Any(user.IsInRole)
        ? new StaffMember(user.FindFirst("name")?.Value ?? user.StaffId(),
            Administers: user.IsInRole(StaffRoles.Admin), Moderates: user.IsInRole(StaffRoles.Moderator),
            Reviews: user.IsInRole(StaffRoles.CongressStaff), Facilitates: user.IsInRole(StaffRoles.Facilitator))
        : null;

    /// <summary>Where to go after signing in: only a staff page of this site.</summary>
    public static string SafeReturn(string? value) =>
        value is { Length: > 0 } r && r.StartsWith(Path, StringComparison.Ordinal) && !r.StartsWith("//", StringComparison.Ordinal)
        && !r.Contains('\\') && r.All(c => c is > ' ' and < '\u007f') ? r : Path;

    [Function("StaffHomePage"), StaffOnly(StaffRoles.AnyStaff)]
    public async Task<IResult> Home([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff")] HttpRequest request, CancellationToken cancellationToken)
    {
        var context = html.Context(request);
        var all = (await processes.ListAsync(cancellationToken)).OrderBy(p => p.Id, StringComparer.Ordinal).ToList();
        return await html.PageAsync<StaffHomePage>(request, context, new { Processes = all });
    }

    [Function("StaffSignInPage")]
    public async Task<IResult> SignInPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/sign-in")] HttpRequest request, string? @return)
    {
        var context = html.Context(request);
        return await SignInAsync(request, context, SafeReturn(@return), error: null, StatusCodes.Status200OK);
    }

    /// <summary>Entra ID sends the browser back here with a code; the page's script redeems it and posts the token to StaffSession.</summary>
    [Function("StaffSignedInPage")]
    public async Task<IResult> SignedInPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/signed-in")] HttpRequest request)
    {
        var context = html.Context(request);
        return await html.PageAsync<StaffSignInPage>(request, context, new { Entra = Entra(request), Callback = true, Return = Path }, contentSecurityPolicy: SignInPolicy);
    }

    /// <summary>Development only: signs a token with the local issuer for the roles ticked, as scripts/token.sh does.</summary>
    [Function("StaffSignInLocal")]
    public async Task<IResult> SignInLocal([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/sign-in")] HttpRequest request)
    {
        var context = html.Context(request);
        if (services.GetService<LocalTokenIssuer>() is not { } issuer) return await html.NotFoundAsync(request, context);
        var (form, problem) = await Html.ReadFormAsync(request);
        if (problem is not null) return problem;
        var roles = form!["role"].Where(r => r is not null && StaffRoles.All.Contains(r)).Select(r => r!).Distinct().ToList();
        var back = SafeReturn(form["return"]);
        if (roles.Count == 0) return await SignInAsync(request, context, back, UI.StaffChooseRole, StatusCodes.Status422UnprocessableEntity);
        var name = Html.Value(form, "name") is { Length: <= 100 } n && n.All(c => !char.IsControl(c)) ? n.Trim() : UI.StaffLocalName;
        var lifetime = TimeSpan.FromHours(8);
        Keep(request, issuer.Mint(roles, name, lifetime), lifetime);
        return Html.SeeOther(back);
    }

    /// <summary>
    /// The sign-in script hands over the access token Entra ID gave it. It is validated here as any API call's would
    /// be, and kept only if it carries a staff role; then the browser sends it with each staff page, never script.
    /// </summary>
    [Function("StaffSession")]
    public async Task<IResult> Session([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/session")] HttpRequest request)
    {
        var context = html.Context(request);
        var (form, problem) = await Html.ReadFormAsync(request);
        if (problem is not null) return problem;
        var token = form!["token"].ToString();
        var back = SafeReturn(form["return"]);
        if (token.Length is 0 or > 8192) return await SignInAsync(request, context, back, UI.StaffSignInFailed, StatusCodes.Status401Unauthorized);
        request.Headers.Authorization = "Bearer " + token;
        var result = await request.HttpContext.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
        if (!result.Succeeded || Signed(result.Principal!) is null
            || (result.Properties?.ExpiresUtc ?? Expiry(result.Principal!)) is not { } expires)
            return await SignInAsync(request, context, back, UI.StaffSignInFailed, StatusCodes.Status401Unauthorized);
        // The cookie lives as long as the token: after that the sign-in page gets a fresh one (Entra ID keeps its own session).
        Keep(request, token, expires - DateTimeOffset.UtcNow);
        return Html.SeeOther(back);
    }

    [Function("StaffSignOut")]
    public IResult SignOut([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/sign-out")] HttpRequest request)
    {
        request.HttpContext.Response.Cookies.Delete(Cookie, html.Cookie(request, TimeSpan.Zero, Path, sameSite: SameSiteMode.Strict));
        return Html.SeeOther("/");
    }

    void Keep(HttpRequest request, string token, TimeSpan lifetime) =>
        request.HttpContext.Response.Cookies.Append(Cookie, token, html.Cookie(request, lifetime, Path, sameSite: SameSiteMode.Strict));

    static DateTimeOffset? Expiry(ClaimsPrincipal user) =>
        long.TryParse(user.FindFirst("exp")?.Value, out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    Task<IResult> SignInAsync(HttpRequest request, PageContext context, string back, string? error, int status)
    {
        var local = services.GetService<LocalTokenIssuer>() is not null;
        return html.PageAsync<StaffSignInPage>(request, context, new { Entra = local ? null : Entra(request), Return = back, Error = error, Callback = false }, status,
            local ? Html.ContentSecurityPolicy : SignInPolicy);
    }

    /// <summary>What the sign-in script needs to ask Entra ID for a token for this API (docs/staff.md).</summary>
    EntraSignIn Entra(HttpRequest request)
    {
        var section = configuration.GetSection("AzureAd");
        var instance = (section["Instance"] ?? "https://login.microsoftonline.com/").TrimEnd('/');
        var audience = section["Audience"] is { Length: > 0 } a ? a : "api://" + section["ClientId"];
        return new EntraSignIn(
            Authority: $"{instance}/{section["TenantId"]}",
            ClientId: section["ClientId"] ?? "",
            Scope: configuration["Staff:Scope"] is { Length: > 0 } scope ? scope : audience + "/access_as_user",
            RedirectUri: $"{request.Scheme}://{request.Host}{Path}/signed-in");
    }
}
