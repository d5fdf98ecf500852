using Participa.Api.Hosting;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Participa.Api.Http;

namespace Participa.Api.Features.Participants;

/// <summary>
/// Participants have no accounts. A participant is a token the server signs (HMAC) and the client keeps, in a cookie
/// or the Participant-Token header. Minting tokens is rate-limited per address, and each token supports a proposal
/// once, so one person supporting a thousand times must first get a thousand tokens from many addresses. Only a hash
/// of the token is stored. See docs/participants.md.
/// </summary>
public sealed class ParticipantTokens
{
    public const string Header = "Participant-Token";
    public const string Cookie = "participa_participant";
    readonly byte[] _key;

    public ParticipantTokens(IConfiguration configuration, IHostEnvironment environment, ILogger<ParticipantTokens> logger)
    {
        var configured = configuration["Participa:ParticipantTokenKey"];
        if (!string.IsNullOrEmpty(configured))
            _key = Convert.FromBase64String(configured);
        else if (environment.IsDevelopment())
            _key = SHA256.HashData("participa-development-only"u8);
        else
        {
            // Supports still count once per token, but a token only works on the instance that minted it, until it restarts.
            logger.LogWarning("Participa:ParticipantTokenKey is not set: participant tokens work only on this instance until it restarts. Set it in production.");
            _key = RandomNumberGenerator.GetBytes(32);
        }
        if (_key.Length < 32) throw new InvalidOperationException("Participa:ParticipantTokenKey must be at least 32 bytes (base64).");
    }

    public string Mint()
    {
        var id = RandomNumberGenerator.GetBytes(16);
        return Base64Url(id) + "." + Base64Url(Sign(id));
    }

    /// <summary>The participant's stable key (a hash, safe to store), or null when the token is not one this server signed.</summary>
    public string? Verify(string? token)
    {
        if (token is null || token.Length > 100 || token.Split('.') is not [var idPart, var macPart]) return null;
        var id = FromBase64Url(idPart);
        var mac = FromBase64Url(macPart);
        if (id is not { Length: 16 } || mac is null || !CryptographicOperations.FixedTimeEquals(mac, Sign(id))) return null;
        return Convert.ToHexStringLower(SHA256.HashData(id))[..32];
    }

    public string? FromRequest(HttpRequest request) =>
        request.Headers.TryGetValue(Header, out var header) ? header.ToString() : request.Cookies[Cookie];

    byte[] Sign(byte[] id) => HMACSHA256.HashData(_key, id)[..16];

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    static byte[]? FromBase64Url(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        base64 += new string('=', (4 - base64.Length % 4) % 4);
        var buffer = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, buffer, out var written) ? buffer[..written] : null;
    }
}

public sealed record ParticipantTokenResponse(string Token);

public sealed class ParticipantsApi(ParticipantTokens tokens)
{
    [Function("CreateParticipant"), RateLimited(RateLimits.ParticipantTokens)]
    [ProducesResponseType<ParticipantTokenResponse>(201)]
    public IResult Create([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/participants")] HttpRequest request)
    {
        var response = request.HttpContext.Response;
        var token = tokens.Mint();
        response.Cookies.Append(ParticipantTokens.Cookie, token, new CookieOptions
        {
            HttpOnly = true,
            Secure = true,
            SameSite = SameSiteMode.Lax,
            MaxAge = TimeSpan.FromDays(365),
            Path = "/api",
        });
        return TypedResults.Created((string?)null, new ParticipantTokenResponse(token));
    }
}
