using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Participa.Tests.Infrastructure;

/// <summary>
/// Staff tokens signed by a key this test process made, which the test apps trust in place of Entra ID's published
/// keys. They go through the app's real Microsoft.Identity.Web pipeline: only the signing keys are local.
/// </summary>
public static class StaffTokens
{
    public const string Tenant = "7a1f0c3e-0000-4000-8000-0000000000aa";
    public const string ClientId = "5c2b9d1e-0000-4000-8000-0000000000bb";
    public const string Audience = "api://participa-tests";
    public const string Issuer = "https://login.microsoftonline.com/" + Tenant + "/v2.0";

    public static readonly RsaSecurityKey Key = new(RSA.Create(2048)) { KeyId = "tests" };
    static readonly RsaSecurityKey OtherKey = new(RSA.Create(2048)) { KeyId = "tests" };

    public static string For(params string[] roles) => Mint(roles, Audience, Key, DateTime.UtcNow.AddMinutes(30));

    public static string WrongAudience(string role) => Mint([role], "api://someone-else", Key, DateTime.UtcNow.AddMinutes(30));

    /// <summary>Expired well beyond the validator's 5-minute clock skew.</summary>
    public static string Expired(string role) => Mint([role], Audience, Key, DateTime.UtcNow.AddMinutes(-10));

    public static string WrongKey(string role) => Mint([role], Audience, OtherKey, DateTime.UtcNow.AddMinutes(30));

    static string Mint(string[] roles, string audience, SecurityKey key, DateTime expires) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            IssuedAt = expires.AddMinutes(-40),
            NotBefore = expires.AddMinutes(-40),
            Expires = expires,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
            Claims = new Dictionary<string, object>
            {
                ["oid"] = Guid.NewGuid().ToString(),
                ["tid"] = Tenant,
                ["name"] = "Test staff",
                ["roles"] = roles,
            },
        });

    public static HttpRequestMessage WithToken(this HttpRequestMessage request, string? token)
    {
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        return request;
    }
}
