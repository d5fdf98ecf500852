using System.Net;
using System.Net.Sockets;

namespace Participa.Api.Http;

/// <summary>
/// Limits, configurable under "RateLimits". Defaults follow the platforms citizens already use: CONSUL allows 300
/// POSTs per 5 minutes per address, Decidim 100 requests a minute. Counters are per instance: with N instances the
/// effective limit is up to N times higher.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>More proxies than this in front of the host is not a deployment anyone runs: a typo, refused at start.</summary>
    public const int MaxTrustedProxies = 3;

    /// <summary>Requests of any kind per client address per minute.</summary>
    public int RequestsPerMinute { get; set; } = 300;
    /// <summary>Submissions (POST) per client address per 5 minutes.</summary>
    public int PostsPerFiveMinutes { get; set; } = 300;
    /// <summary>Submissions per process per second, from everyone: what one partition comfortably takes.</summary>
    public int PostsPerProcessPerSecond { get; set; } = 200;
    /// <summary>Participant tokens per client address per hour: what makes a thousand supports from one person costly.</summary>
    public int ParticipantTokensPerHour { get; set; } = 20;
    /// <summary>
    /// Tokens an address mints in an hour before the next ones are marked as minted in a burst (docs/abuse.md): their
    /// supports still count, and are shown apart.
    /// </summary>
    public int QuietTokensPerHour { get; set; } = 3;
    /// <summary>
    /// Proxies in front of the Functions host that append to X-Forwarded-For. The host's own entry is already applied
    /// by the worker (its forwarded-headers step sets the connection's address); each further trusted proxy moves the
    /// client one entry back. Anything before that entry is client-supplied. In Azure the Functions front end is one:
    /// set 1 there (docs/participants.md).
    /// </summary>
    public int TrustedProxies { get; set; }

    /// <summary>Settings that cannot be right stop the app at start, not quietly let every client choose its address.</summary>
    public void Validate(bool inAzure)
    {
        if (TrustedProxies is < 0 or > MaxTrustedProxies)
            throw new InvalidOperationException($"RateLimits:TrustedProxies must be between 0 and {MaxTrustedProxies} (it is {TrustedProxies}): count the proxies in front of the Functions host.");
        // In Azure the front end is always there: with 0, every citizen would share the front end's address and its limits.
        if (inAzure && TrustedProxies == 0)
            throw new InvalidOperationException("RateLimits:TrustedProxies is 0 in Azure, where the Functions front end adds X-Forwarded-For: set it to 1 (more with a proxy of your own in front).");
        foreach (var (name, value) in new[] { (nameof(RequestsPerMinute), RequestsPerMinute), (nameof(PostsPerFiveMinutes), PostsPerFiveMinutes),
                     (nameof(PostsPerProcessPerSecond), PostsPerProcessPerSecond), (nameof(ParticipantTokensPerHour), ParticipantTokensPerHour) })
            if (value < 1) throw new InvalidOperationException($"RateLimits:{name} must be at least 1 (it is {value}).");
        if (QuietTokensPerHour < 0) throw new InvalidOperationException("RateLimits:QuietTokensPerHour cannot be negative.");
    }
}

public static class RateLimits
{
    public const string ParticipantTokens = "participant-tokens";

    public static IServiceCollection AddParticipaRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection("RateLimits").Get<RateLimitOptions>() ?? new RateLimitOptions();
        // WEBSITE_SITE_NAME is set by App Service and Functions on every Azure instance.
        options.Validate(inAzure: !string.IsNullOrEmpty(configuration["WEBSITE_SITE_NAME"]));
        services.AddSingleton(options);
        services.AddSingleton<RateLimiting>();
        return services;
    }

    /// <summary>
    /// The client's address: the connection's (set by the worker from the Functions host's X-Forwarded-For entry), or,
    /// behind further trusted proxies, the entry the outermost of them appended; never an entry the client wrote itself.
    /// </summary>
    public static IPAddress? ClientAddress(HttpContext http, int trustedProxies)
    {
        if (trustedProxies > 0)
        {
            var entries = http.Request.Headers["X-Forwarded-For"].ToString()
                .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (entries.Length >= trustedProxies && IPAddress.TryParse(StripPort(entries[^trustedProxies]), out var forwarded))
                return forwarded;
        }
        return http.Connection.RemoteIpAddress;
    }

    /// <summary>
    /// What the limits count by: an IPv4 address, or an IPv6 address's /64, because one home or phone usually holds a
    /// whole /64 and would otherwise get a fresh limit for each of its 2^64 addresses.
    /// </summary>
    public static string ClientKey(HttpContext http, int trustedProxies) => ClientAddress(http, trustedProxies) switch
    {
        null => "unknown",
        { IsIPv4MappedToIPv6: true } mapped => mapped.MapToIPv4().ToString(),
        { AddressFamily: AddressFamily.InterNetworkV6 } v6 => Network64(v6),
        var v4 => v4.ToString(),
    };

    static string Network64(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    static string StripPort(string entry) =>
        entry.StartsWith('[') && entry.IndexOf(']') is var end and > 0 ? entry[1..end]
        : entry.Count(c => c == ':') == 1 ? entry[..entry.IndexOf(':')]
        : entry;
}

/// <summary>
/// The limiters themselves: every request passes the global ones, and a function may name a stricter policy. They
/// read the app's <see cref="TimeProvider"/>, so a test moves time instead of racing a window.
/// </summary>
public sealed class RateLimiting
{
    readonly RateLimitOptions _options;
    readonly WindowLimiter _perMinute, _posts, _perProcess, _tokens;
    readonly Lock _lock = new();

    public RateLimiting(RateLimitOptions options, TimeProvider clock)
    {
        _options = options;
        _perMinute = new(options.RequestsPerMinute, TimeSpan.FromMinutes(1), 1, clock);
        _posts = new(options.PostsPerFiveMinutes, TimeSpan.FromMinutes(5), 5, clock);
        _perProcess = new(options.PostsPerProcessPerSecond, TimeSpan.FromSeconds(1), 1, clock);
        _tokens = new(options.ParticipantTokensPerHour, TimeSpan.FromHours(1), 1, clock);
    }

    /// <summary>Null when every limit lets the request through (it is then counted by each); otherwise the seconds to wait.</summary>
    public int? Acquire(HttpContext http, string? policy)
    {
        var client = RateLimits.ClientKey(http, _options.TrustedProxies);
        var isPost = HttpMethods.IsPost(http.Request.Method);
        var process = isPost ? http.Request.RouteValues["processId"] as string : null;
        List<(WindowLimiter Limiter, string Key)> applicable = [(_perMinute, client)];
        if (isPost) applicable.Add((_posts, client));
        if (process is not null) applicable.Add((_perProcess, process));
        if (policy == RateLimits.ParticipantTokens) applicable.Add((_tokens, client));

        // A refused request takes nothing from the limits it passed: check all, then count in all.
        lock (_lock)
        {
            var wait = applicable.Select(a => a.Limiter.Wait(a.Key)).Max();
            if (wait > TimeSpan.Zero) return Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            foreach (var (limiter, key) in applicable) limiter.Take(key);
            // Counted now, under the lock: read later, concurrent mints from one client would each see the others.
            if (policy == RateLimits.ParticipantTokens) http.Items[MintedKey] = _tokens.Used(client);
            return null;
        }
    }

    /// <summary>
    /// A token minted outside <c>POST /api/participants</c> (the support form makes one for a browser without one)
    /// takes from the same per-address limit: null when allowed, otherwise the seconds to wait.
    /// </summary>
    public int? AcquireToken(HttpContext http)
    {
        var client = RateLimits.ClientKey(http, _options.TrustedProxies);
        lock (_lock)
        {
            if (_tokens.Wait(client) is var wait && wait > TimeSpan.Zero) return Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            _tokens.Take(client);
            http.Items[MintedKey] = _tokens.Used(client);
            return null;
        }
    }

    /// <summary>How many participant tokens this client has minted in the current hour, this request's included.</summary>
    public int TokensMintedThisHour(HttpContext http)
    {
        if (http.Items[MintedKey] is int counted) return counted;
        lock (_lock) return _tokens.Used(RateLimits.ClientKey(http, _options.TrustedProxies));
    }

    const string MintedKey = "participa.tokens-minted";
}

/// <summary>
/// At most <c>permits</c> per key in any window, counted in <c>segments</c> slices: one slice is a fixed window, more
/// make it slide (a slice's permits come back when it leaves the window). Callers hold the lock.
/// </summary>
sealed class WindowLimiter(int permits, TimeSpan window, int segments, TimeProvider clock)
{
    readonly long _slice = window.Ticks / segments;
    readonly Dictionary<string, long[]> _counts = new();   // per key: slice index -> permits, as a ring of `segments`
    readonly Dictionary<string, long[]> _slices = new();
    long _lastSweep;

    long Now => clock.GetUtcNow().UtcTicks / _slice;

    public int Used(string key)
    {
        if (!_counts.TryGetValue(key, out var counts)) return 0;
        var now = Now;
        var slices = _slices[key];
        long used = 0;
        for (var i = 0; i < segments; i++)
            if (slices[i] > now - segments && slices[i] <= now) used += counts[i];
        return (int)used;
    }

    /// <summary>Zero when a permit is free now; otherwise until the oldest slice holding one leaves the window.</summary>
    public TimeSpan Wait(string key)
    {
        if (Used(key) < permits) return TimeSpan.Zero;
        var now = Now;
        var slices = _slices[key];
        var counts = _counts[key];
        var oldest = Enumerable.Range(0, segments).Where(i => counts[i] > 0 && slices[i] > now - segments && slices[i] <= now).Min(i => slices[i]);
        var freedAt = new DateTimeOffset((oldest + segments) * _slice, TimeSpan.Zero);
        return freedAt - clock.GetUtcNow();
    }

    public void Take(string key)
    {
        var now = Now;
        Sweep(now);
        if (!_counts.TryGetValue(key, out var counts))
        {
            _counts[key] = counts = new long[segments];
            _slices[key] = new long[segments];
        }
        var slices = _slices[key];
        var ring = (int)(now % segments);
        if (slices[ring] != now) (slices[ring], counts[ring]) = (now, 0);
        counts[ring]++;
    }

    // Forget keys idle for a whole window, at most once a window: memory stays bounded by recent clients.
    void Sweep(long now)
    {
        if (now - _lastSweep < segments) return;
        _lastSweep = now;
        foreach (var key in _slices.Where(s => s.Value.Max() <= now - segments).Select(s => s.Key).ToList())
        {
            _slices.Remove(key);
            _counts.Remove(key);
        }
    }
}
