using Participa.Api.Hosting;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Participa.Api.Http;
using Participa.Storage;

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
    const byte Burst = 1;
    readonly byte[]? _configured;
    readonly SecretStore _secrets;
    Task<byte[]>? _stored;

    public ParticipantTokens(IConfiguration configuration, IHostEnvironment environment, SecretStore secrets, ILogger<ParticipantTokens> logger)
    {
        _secrets = secrets;
        var configured = configuration["Participa:ParticipantTokenKey"];
        if (!string.IsNullOrEmpty(configured))
        {
            _configured = Convert.FromBase64String(configured);
            if (_configured.Length < 32) throw new InvalidOperationException("Participa:ParticipantTokenKey must be at least 32 bytes (base64).");
        }
        else if (!environment.IsDevelopment())
        {
            // Supports still count once per token, but a token only works on the instance that minted it, until it restarts.
            logger.LogWarning("Participa:ParticipantTokenKey is not set: participant tokens work only on this instance until it restarts. Set it in production.");
            _configured = RandomNumberGenerator.GetBytes(32);
        }
        // In Development the key is random per data folder (its tables), kept with the appeal-code key: nobody can
        // mint tokens for someone else's development server offline.
    }

    /// <param name="mintedInBurst">The client minted more than its quiet share this hour: supports from it are shown apart.</param>
    public async Task<string> MintAsync(bool mintedInBurst, CancellationToken cancellationToken)
    {
        var id = new byte[17];
        RandomNumberGenerator.Fill(id.AsSpan(0, 16));
        id[16] = mintedInBurst ? Burst : (byte)0;
        return Base64Url(id) + "." + Base64Url(Sign(await KeyAsync(cancellationToken), id));
    }

    /// <summary>
    /// The participant (a stable key, a hash safe to store, and how the token was minted), or null when the token is
    /// not one this server signed. Tokens from before the burst mark (16-byte ids) read as minted quietly.
    /// </summary>
    public async Task<Supporter?> VerifyAsync(string? token, CancellationToken cancellationToken)
    {
        if (token is null || token.Length > 100 || token.Split('.') is not [var idPart, var macPart]) return null;
        var id = FromBase64Url(idPart);
        var mac = FromBase64Url(macPart);
        if (id is not { Length: 16 or 17 } || mac is null) return null;
        var key = await KeyAsync(cancellationToken);
        if (!CryptographicOperations.FixedTimeEquals(mac, Sign(key, id))) return null;
        return new(Convert.ToHexStringLower(SHA256.HashData(id.AsSpan(0, 16)))[..32], id.Length == 17 && id[16] == Burst);
    }

    Task<byte[]> KeyAsync(CancellationToken cancellationToken)
    {
        if (_configured is not null) return Task.FromResult(_configured);
        var stored = _stored;
        if (stored is { IsCompletedSuccessfully: true }) return stored;
        // A failed read (storage down) is not remembered: the next call tries again.
        return _stored = _secrets.GetOrCreateAsync("participant-tokens", cancellationToken);
    }

    public string? FromRequest(HttpRequest request) =>
        request.Headers.TryGetValue(Header, out var header) ? header.ToString() : request.Cookies[Cookie];

    static byte[] Sign(byte[] key, byte[] id) => HMACSHA256.HashData(key, id)[..16];

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    static byte[]? FromBase64Url(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        base64 += new string('=', (4 - base64.Length % 4) % 4);
        var buffer = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, buffer, out var written) ? buffer[..written] : null;
    }
}

/// <summary>Who supports: a key derived from the token, and whether the token was minted in a burst from its address.</summary>
public sealed record Supporter(string Key, bool MintedInBurst);

public sealed record ParticipantTokenResponse(string Token);

public sealed class ParticipantsApi(ParticipantTokens tokens, RateLimiting limits, RateLimitOptions options)
{
    [Function("CreateParticipant"), RateLimited(RateLimits.ParticipantTokens)]
    [ProducesResponseType<ParticipantTokenResponse>(201)]
    public async Task<IResult> Create([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/participants")] HttpRequest request, CancellationToken cancellationToken)
    {
        var response = request.HttpContext.Response;
        // The rate-limit middleware has counted this one already.
        var token = await tokens.MintAsync(limits.TokensMintedThisHour(request.HttpContext) > options.QuietTokensPerHour, cancellationToken);
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
