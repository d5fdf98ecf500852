using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Participa.LocalHost;

/// <summary>Bare Kestrel apps for the host's two listeners: no config files, no logging, no signal handling of their own.</summary>
internal static class LocalWebApp
{
    public static WebApplicationBuilder CreateBuilder()
    {
        // Empty builder: an appsettings.json or ASPNETCORE_URLS in a test's folder must not change the listeners.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(LocalWebApp).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore();
        // The owner stops the host; Ctrl-C and SIGTERM are not these apps' business.
        builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        return builder;
    }

    public static Uri BoundAddress(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        return new Uri(addresses.Single());
    }

    private sealed class QuietLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
