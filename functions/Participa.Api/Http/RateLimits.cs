using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;

namespace Participa.Api.Http;

/// <summary>
/// Limits, configurable under "RateLimits". Defaults follow the platforms citizens already use: CONSUL allows 300
/// POSTs per 5 minutes per address, Decidim 100 requests a minute. Counters are per instance: with N instances the
/// effective limit is up to N times higher.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Requests of any kind per client address per minute.</summary>
    public int RequestsPerMinute { get; set; } = 300;
    /// <summary>Submissions (POST) per client address per 5 minutes.</summary>
    public int PostsPerFiveMinutes { get; set; } = 300;
    /// <summary>Submissions per process per second, from everyone: what one partition comfortably takes.</summary>
    public int PostsPerProcessPerSecond { get; set; } = 200;
    /// <summary>Participant tokens per client address per hour: what makes a thousand supports from one person costly.</summary>
    public int ParticipantTokensPerHour { get; set; } = 20;
    /// <summary>
    /// Proxies in front of the Functions host that append to X-Forwarded-For (a front door, say). The host's own entry
    /// is already applied by the worker (its forwarded-headers step sets the connection's address); each further
    /// trusted proxy moves the client one entry back. Anything before that entry is client-supplied.
    /// </summary>
    public int TrustedProxies { get; set; }
}

public static class RateLimits
{
    public const string ParticipantTokens = "participant-tokens";

    public static IServiceCollection AddParticipaRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection("RateLimits").Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddSingleton(options);
        services.AddSingleton<RateLimiting>();
        return services;
    }

    /// <summary>
    /// The client's address: the connection's (set by the worker from the Functions host's X-Forwarded-For entry), or,
    /// behind further trusted proxies, the entry the outermost of them appended; never an entry the client wrote itself.
    /// </summary>
    public static string ClientAddress(HttpContext http, int trustedProxies)
    {
        if (trustedProxies > 0)
        {
            var entries = http.Request.Headers["X-Forwarded-For"].ToString()
                .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (entries.Length >= trustedProxies && IPAddress.TryParse(StripPort(entries[^trustedProxies]), out var forwarded))
                return forwarded.ToString();
        }
        return http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
    }

    static string StripPort(string entry) =>
        entry.StartsWith('[') && entry.IndexOf(']') is var end and > 0 ? entry[1..end]
        : entry.Count(c => c == ':') == 1 ? entry[..entry.IndexOf(':')]
        : entry;
}

/// <summary>The limiters themselves: every request passes the global chain, and a function may name a stricter policy.</summary>
public sealed class RateLimiting
{
    readonly PartitionedRateLimiter<HttpContext> _global;
    readonly Dictionary<string, PartitionedRateLimiter<HttpContext>> _policies;

    public RateLimiting(RateLimitOptions options)
    {
        _global = PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<HttpContext, string>(http => RateLimitPartition.GetFixedWindowLimiter(
                RateLimits.ClientAddress(http, options.TrustedProxies),
                _ => Window(options.RequestsPerMinute, TimeSpan.FromMinutes(1)))),
            PartitionedRateLimiter.Create<HttpContext, string>(http => HttpMethods.IsPost(http.Request.Method)
                ? RateLimitPartition.GetSlidingWindowLimiter(RateLimits.ClientAddress(http, options.TrustedProxies), _ => new SlidingWindowRateLimiterOptions
                {
                    PermitLimit = options.PostsPerFiveMinutes,
                    Window = TimeSpan.FromMinutes(5),
                    SegmentsPerWindow = 5,
                })
                : RateLimitPartition.GetNoLimiter("")),
            PartitionedRateLimiter.Create<HttpContext, string>(http =>
                HttpMethods.IsPost(http.Request.Method) && http.Request.RouteValues["processId"] is string processId
                    ? RateLimitPartition.GetFixedWindowLimiter("process:" + processId, _ => Window(options.PostsPerProcessPerSecond, TimeSpan.FromSeconds(1)))
                    : RateLimitPartition.GetNoLimiter("")));
        _policies = new()
        {
            [RateLimits.ParticipantTokens] = PartitionedRateLimiter.Create<HttpContext, string>(http => RateLimitPartition.GetFixedWindowLimiter(
                RateLimits.ClientAddress(http, options.TrustedProxies), _ => Window(options.ParticipantTokensPerHour, TimeSpan.FromHours(1)))),
        };
    }

    /// <summary>A lease from the global limits and, if named, the function's own policy; not acquired if any refuses.</summary>
    public RateLimitLease Acquire(HttpContext http, string? policy)
    {
        var lease = _global.AttemptAcquire(http);
        if (!lease.IsAcquired || policy is null) return lease;
        var own = _policies[policy].AttemptAcquire(http);
        if (!own.IsAcquired)
        {
            lease.Dispose();
            return own;
        }
        own.Dispose();
        return lease;
    }

    public static int RetryAfterSeconds(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 60;

    static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) => new() { PermitLimit = permits, Window = window, QueueLimit = 0 };
}
