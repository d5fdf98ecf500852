using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Participa.Tests.Infrastructure;

/// <summary>
/// A small HTTP proxy in front of Azurite's table endpoint, for storage that answers but badly: it can answer table
/// calls itself with a status (throttling 503, a 500) or run something just before forwarding one (a contender
/// writing first). Blobs go straight to Azurite. The app under test uses the real Azure SDK against it; nothing is faked
/// inside the app.
/// </summary>
public sealed class StorageFaultProxy : IAsyncDisposable
{
    static readonly HttpClient Forwarder = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
    readonly WebApplication _app;

    /// <summary>When set, every table call is answered with this status (and a Table service error body) instead of forwarded.</summary>
    public HttpStatusCode? FailWith { get; set; }
    /// <summary>Runs before a table call is forwarded.</summary>
    public Func<HttpRequest, Task>? BeforeForward { get; set; }
    /// <summary>Table calls answered or forwarded so far.</summary>
    public int Calls => _calls;
    int _calls;

    /// <summary>The connection string for the app: tables through the proxy, blobs direct.</summary>
    public string ConnectionString { get; private set; } = "";

    StorageFaultProxy(WebApplication app) => _app = app;

    public static async Task<StorageFaultProxy> StartAsync()
    {
        var azurite = await Azurite.ConnectionStringAsync();
        var table = new Uri(Setting(azurite, "TableEndpoint"));
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var proxy = new StorageFaultProxy(app);
        app.Run(context => proxy.HandleAsync(context, table));
        await app.StartAsync();
        var address = app.Urls.Single().TrimEnd('/');
        proxy.ConnectionString = azurite.Replace(table.GetLeftPart(UriPartial.Authority), address, StringComparison.Ordinal);
        return proxy;
    }

    async Task HandleAsync(HttpContext context, Uri table)
    {
        Interlocked.Increment(ref _calls);
        if (FailWith is { } status)
        {
            context.Response.StatusCode = (int)status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"odata.error":{"code":"ServerBusy","message":{"lang":"en-US","value":"The server is busy."}}}""");
            return;
        }
        if (BeforeForward is { } before) await before(context.Request);
        context.Request.EnableBuffering();
        using var outgoing = new HttpRequestMessage(new HttpMethod(context.Request.Method),
            new Uri(table.GetLeftPart(UriPartial.Authority) + context.Request.Path + context.Request.QueryString));
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
            outgoing.Content = new StreamContent(context.Request.Body);
        foreach (var (name, values) in context.Request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) continue;
            if (!outgoing.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
                outgoing.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
        }
        using var answer = await Forwarder.SendAsync(outgoing, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)answer.StatusCode;
        foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers))
        {
            if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) continue;
            context.Response.Headers[name] = values.ToArray();
        }
        await answer.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    static string Setting(string connectionString, string name) =>
        connectionString.Split(';').Select(p => p.Split('=', 2)).Single(p => p[0] == name)[1];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
