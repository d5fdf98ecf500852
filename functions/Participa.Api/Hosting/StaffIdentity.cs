using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Web;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Participa.Api.Hosting;

/// <summary>The Entra ID app roles staff are assigned (infra/entra/app-roles.json). Each is also the name of its policy.</summary>
public static class StaffRoles
{
    public const string Admin = "Participa.Admin";
    public const string Moderator = "Participa.Moderator";
    public const string CongressStaff = "Participa.CongressStaff";
    public const string Facilitator = "Participa.Facilitator";
    public static readonly IReadOnlyList<string> All = [Admin, Moderator, CongressStaff, Facilitator];

    /// <summary>
    /// Proposal outcomes: the point of contact (Admin) consolidates proposals into commitments, and facilitators sort
    /// the proposals of their tables (merging duplicates, reviewing); both record decisions.
    /// </summary>
    public const string AdminOrFacilitator = "Participa.AdminOrFacilitator";
    public static readonly IReadOnlyList<string> AdminOrFacilitatorRoles = [Admin, Facilitator];

    /// <summary>The policy any staff role satisfies.</summary>
    public const string AnyStaff = "Participa.AnyStaff";

    /// <summary>Every policy a function can name in [StaffOnly].</summary>
    public static readonly IReadOnlyList<string> Policies = [.. All, AnyStaff, AdminOrFacilitator];

    /// <summary>The roles a policy accepts (any one of them will do).</summary>
    public static IReadOnlyList<string> RolesOf(string policy) => policy switch
    {
        AnyStaff => All,
        AdminOrFacilitator => AdminOrFacilitatorRoles,
        _ when All.Contains(policy) => [policy],
        _ => throw new ArgumentException($"There is no staff policy '{policy}'.", nameof(policy)),
    };
}

/// <summary>
/// Staff sign in with Entra ID; the API validates their bearer tokens with Microsoft.Identity.Web and authorises by app
/// role (StaffAuthorizationMiddleware, for functions marked [StaffOnly]). In Development a local issuer stands in for
/// Entra ID. Without Entra ID settings outside Development, staff endpoints fail closed: no token validates.
/// </summary>
public static class StaffIdentity
{
    public static void AddStaffIdentity(this FunctionsApplicationBuilder builder)
    {
        var local = LocalTokenIssuer.IsAllowed(builder.Environment, builder.Configuration);
        var configured = !string.IsNullOrEmpty(builder.Configuration["AzureAd:ClientId"]);
        if (!configured)
            // Microsoft.Identity.Web needs these to start; with the signing keys below emptied, nothing they name can validate.
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AzureAd:Instance"] = "https://login.microsoftonline.com/",
                ["AzureAd:TenantId"] = LocalTokenIssuer.Tenant,
                ["AzureAd:ClientId"] = LocalTokenIssuer.ClientId,
                ["AzureAd:Audience"] = LocalTokenIssuer.Audience,
            });

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddMicrosoftIdentityWebApi(builder.Configuration.GetSection("AzureAd"));
        builder.Services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, ReadStaffPagesCookie);
        builder.Services.AddAuthorization(options =>
        {
            foreach (var name in StaffRoles.Policies)
                options.AddPolicy(name, policy => policy.RequireAuthenticatedUser().RequireRole(StaffRoles.RolesOf(name)));
        });

        if (local)
        {
            builder.Services.AddSingleton(new LocalTokenIssuer(builder.Configuration["Participa:LocalIssuerKeyFile"]));
            builder.Services.AddSingleton<IPostConfigureOptions<JwtBearerOptions>, TrustLocalIssuer>();
        }
        else if (!configured)
        {
            builder.Services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o => Trust(o, LocalTokenIssuer.Issuer, LocalTokenIssuer.Audience, []));
        }
    }

    /// <summary>
    /// Staff pages carry the token in a cookie the browser sends only to /staff (StaffPages). The API never reads it:
    /// a cookie rides along with requests other sites make, a bearer header never does.
    /// </summary>
    static void ReadStaffPagesCookie(JwtBearerOptions options)
    {
        var events = options.Events ??= new JwtBearerEvents();
        var previous = events.OnMessageReceived;
        events.OnMessageReceived = async context =>
        {
            await previous(context);
            if (context.Token is null && !context.Request.Headers.ContainsKey("Authorization")
                && context.Request.Path.StartsWithSegments(Features.Pages.StaffPages.Path)
                && context.Request.Cookies[Features.Pages.StaffPages.Cookie] is { Length: > 0 } token)
                context.Token = token;
        };
    }

    /// <summary>Validates tokens against the given keys, issuer and audience instead of Entra ID's published metadata.</summary>
    public static void Trust(JwtBearerOptions options, string issuer, string audience, IEnumerable<SecurityKey> keys)
    {
        var configuration = new OpenIdConnectConfiguration { Issuer = issuer };
        foreach (var key in keys) configuration.SigningKeys.Add(key);
        options.Configuration = configuration;
        options.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration);
        options.TokenValidationParameters.ValidIssuer = issuer;
        options.TokenValidationParameters.ValidAudience = audience;
        options.TokenValidationParameters.IssuerValidator = null;
    }

    sealed class TrustLocalIssuer(LocalTokenIssuer issuer) : IPostConfigureOptions<JwtBearerOptions>
    {
        public void PostConfigure(string? name, JwtBearerOptions options)
        {
            if (name == JwtBearerDefaults.AuthenticationScheme)
                Trust(options, LocalTokenIssuer.Issuer, LocalTokenIssuer.Audience, [issuer.Key]);
        }
    }

    /// <summary>Who did it, for decision logs: the token's object id, never shown publicly.</summary>
    public static string StaffId(this ClaimsPrincipal user) =>
        // GetObjectId reads "oid" in either of the forms the token handler may map it to.
        user.GetObjectId() ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? "unknown";
}

/// <summary>
/// Development only: signs staff tokens, so a newcomer can try every staff feature with scripts/token.sh and tests can
/// sign their own. The key is kept in Participa:LocalIssuerKeyFile (PEM; made on first use), or made at start-up.
/// It cannot be enabled outside Development.
/// </summary>
public sealed class LocalTokenIssuer(string? keyFile = null)
{
    public const string Tenant = "00000000-0000-0000-0000-00000000dev0";
    public const string ClientId = "00000000-0000-0000-0000-0000participa";
    public const string Audience = "api://participa-local";
    public const string Issuer = "https://login.microsoftonline.com/" + Tenant + "/v2.0";

    public RsaSecurityKey Key { get; } = LoadOrCreate(keyFile);

    static RsaSecurityKey LoadOrCreate(string? keyFile)
    {
        var rsa = RSA.Create(2048);
        if (keyFile is not null && File.Exists(keyFile))
            rsa.ImportFromPem(File.ReadAllText(keyFile));
        else if (keyFile is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(keyFile))!);
            File.WriteAllText(keyFile, rsa.ExportPkcs8PrivateKeyPem());
        }
        return new RsaSecurityKey(rsa) { KeyId = "participa-local" };
    }

    public static bool IsAllowed(IHostEnvironment environment, IConfiguration configuration)
    {
        var wanted = configuration.GetValue("Participa:LocalTokenIssuer", environment.IsDevelopment());
        if (!wanted) return false;
        if (!environment.IsDevelopment())
            throw new InvalidOperationException("Participa:LocalTokenIssuer is for local Development only; it cannot be enabled here.");
        return true;
    }

    public string Mint(IEnumerable<string> roles, string name, TimeSpan lifetime)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.RsaSha256),
            Claims = new Dictionary<string, object>
            {
                ["oid"] = Guid.NewGuid().ToString(),
                ["tid"] = Tenant,
                ["name"] = name,
                ["roles"] = roles.ToArray(),
            },
        });
    }
}
