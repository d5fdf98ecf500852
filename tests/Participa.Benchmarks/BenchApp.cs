using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Participa.Tests.Infrastructure;

/// <summary>The real app in memory on the shared Azurite, with tables of its own and no limits in the way of a benchmark.</summary>
static class BenchApp
{
    public static async Task<(WebApplicationFactory<Program> Factory, string Prefix)> StartAsync(string letter)
    {
        // WebApplicationFactory finds the app's folder this way outside a test project.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_PARTICIPA_API", Path.Combine(Azurite.RepositoryRoot, "functions", "Participa.Api"));
        var connection = await Azurite.ConnectionStringAsync();
        var prefix = letter + Guid.NewGuid().ToString("N")[..10];
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("ParticipaStorage", connection);
            b.UseSetting("Participa:TablePrefix", prefix);
            b.UseSetting("Participa:PublishedContainer", prefix + "published");
            b.UseSetting("Participa:StateContainer", prefix + "state");
            b.UseSetting("Timers:RunLocally", "false");
            b.UseSetting("Statistics:SettleSeconds", "0");
            b.UseSetting("RateLimits:RequestsPerMinute", "10000000");
            b.UseSetting("RateLimits:PostsPerFiveMinutes", "10000000");
            b.UseSetting("RateLimits:PostsPerProcessPerSecond", "10000000");
            b.UseSetting("Logging:LogLevel:Default", "Warning");
            b.UseSetting("Logging:LogLevel:Microsoft.Hosting.Lifetime", "Warning");
        });
        return (factory, prefix);
    }
}
