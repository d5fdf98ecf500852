using Participa.Tests.Infrastructure;

/// <summary>The real app (worker behind the local host) on the shared Azurite, with tables of its own and no limits in the way of a benchmark.</summary>
static class BenchApp
{
    public static Task<ParticipaApp> StartAsync(string? prefix = null, bool? ownsStorage = null) => ParticipaApp.StartAsync(prefix: prefix, ownsStorage: ownsStorage, settings: new()
    {
        ["RateLimits:RequestsPerMinute"] = "10000000",
        ["RateLimits:PostsPerFiveMinutes"] = "10000000",
        ["RateLimits:PostsPerProcessPerSecond"] = "10000000",
        ["RateLimits:ParticipantTokensPerHour"] = "10000000",
        // The backup benchmark times an incremental run minutes after the full one: no overlap, or it re-exports all.
        ["Backup:OverlapSeconds"] = "0",
    });
}
