using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

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
    /// How many proxies in front of the app append to X-Forwarded-For: 1 behind the Functions host; 2 with a front
    /// door before it. The client is the entry that many places from the end; anything before it is client-supplied.
    /// </summary>
    public int TrustedProxies { get; set; } = Hosting.CustomHandler.UnderFunctionsHost ? 1 : 0;
}

public static class RateLimits
{
    public const string ParticipantTokens = "participant-tokens";

    public static IServiceCollection AddParticipaRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection("RateLimits").Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddSingleton(options);
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http => RateLimitPartition.GetFixedWindowLimiter(
                    ClientAddress(http, options.TrustedProxies),
                    _ => Window(options.RequestsPerMinute, TimeSpan.FromMinutes(1)))),
                PartitionedRateLimiter.Create<HttpContext, string>(http => HttpMethods.IsPost(http.Request.Method) && IsApi(http)
                    ? RateLimitPartition.GetSlidingWindowLimiter(ClientAddress(http, options.TrustedProxies), _ => new SlidingWindowRateLimiterOptions
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
            limiter.AddPolicy(ParticipantTokens, http => RateLimitPartition.GetFixedWindowLimiter(
                ClientAddress(http, options.TrustedProxies), _ => Window(options.ParticipantTokensPerHour, TimeSpan.FromHours(1))));
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 60;
                var http = context.HttpContext;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = { Status = 429, Title = "Too many requests", Detail = $"Slow down: try again in {retryAfter} seconds." },
                });
            };
        });
        return services;
    }

    static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) => new() { PermitLimit = permits, Window = window, QueueLimit = 0 };

    static bool IsApi(HttpContext http) => http.Request.Path.StartsWithSegments("/api");

    /// <summary>
    /// The client's address: the X-Forwarded-For entry appended by the outermost trusted proxy (counting from the
    /// end), never an entry the client wrote itself; the connection's address when no proxy is trusted.
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
