using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Participa.Api.Hosting;

namespace Participa.Tests.Infrastructure;

/// <summary>
/// Staff tokens signed by a key this test process made, which the test apps trust in place of Entra ID's published
/// keys (the app's Development-only local issuer, given this key's file). They go through the app's real
/// Microsoft.Identity.Web pipeline: only the signing keys are local.
/// </summary>
public static class StaffTokens
{
    public const string Tenant = LocalTokenIssuer.Tenant;
    public const string Audience = LocalTokenIssuer.Audience;
    public const string Issuer = LocalTokenIssuer.Issuer;

    static readonly RSA Rsa = RSA.Create(2048);
    public static readonly RsaSecurityKey Key = new(Rsa) { KeyId = "participa-local" };
    static readonly RsaSecurityKey OtherKey = new(RSA.Create(2048)) { KeyId = "participa-local" };

    /// <summary>The key as a PEM file, for the app under test (Participa:LocalIssuerKeyFile).</summary>
    public static string KeyFile { get; } = WriteKeyFile();

    static string WriteKeyFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"participa-tests-{Environment.ProcessId}.pem");
        File.WriteAllText(path, Rsa.ExportPkcs8PrivateKeyPem());
        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(path);
        return path;
    }

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
