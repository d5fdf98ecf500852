using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Primitives;
using Participa.LocalHost.Rpc;

namespace Participa.LocalHost;

/// <summary>
/// The public HTTP side: the admin route, then ASP.NET Core routing over the HTTP functions, then forwarding of
/// the raw request to the worker's own Kestrel alongside the InvocationRequest, as the real host does.
/// </summary>
internal sealed class HttpFrontend : IAsyncDisposable
{
    private const string InvocationHeader = "x-ms-invocation-id";

    // The worker usually still answers after a failed invocation; wait this long before answering for it.
    private static readonly TimeSpan FailureGrace = TimeSpan.FromSeconds(2);

    // Hop-by-hop headers and the ones this proxy sets itself.
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade", "Host", "Expect", InvocationHeader, "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host",
    };

    private readonly LocalFunctionsHost _host;
    private readonly WebApplication _app;
    private readonly FunctionEndpoints _endpoints = new();

    // One connection pool to the worker; a proxy must not decompress, follow redirects or keep cookies.
    private readonly HttpMessageInvoker _worker = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        // Pass header values on as the client sent them (Kestrel read them as UTF-8), never refuse to forward them.
        RequestHeaderEncodingSelector = (_, _) => System.Text.Encoding.UTF8,
        ResponseHeaderEncodingSelector = (_, _) => System.Text.Encoding.UTF8,
    });

    private HttpFrontend(LocalFunctionsHost host, int port)
    {
        _host = host;
        var builder = LocalWebApp.CreateBuilder();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 100 * 1024 * 1024; // the Functions host's default limit
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http1);
        });
        builder.Services.AddRouting();
        _app = builder.Build();
        ((IEndpointRouteBuilder)_app).DataSources.Add(_endpoints);
        // Admin routes come first so that no function route (routePrefix may be "") can shadow them.
        _app.Use(next => context => AdminOrWaitAsync(context, next));
        _app.UseRouting();
        // Only function endpoints run; anything else routing picks (such as its 405 endpoint) is a 404, as on the real host.
        _app.Run(context => context.GetEndpoint() is { RequestDelegate: { } forward } endpoint && endpoint.Metadata.GetMetadata<HostedFunction>() is not null
            ? forward(context)
            : ProblemAsync(context, 404, "Not found", $"No function matches {context.Request.Method} {context.Request.Path}{context.Request.QueryString}."));
    }

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<HttpFrontend> StartAsync(LocalFunctionsHost host, int port, CancellationToken ct)
    {
        var frontend = new HttpFrontend(host, port);
        try
        {
            await frontend._app.StartAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            await frontend.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        frontend.BaseAddress = LocalWebApp.BoundAddress(frontend._app);
        return frontend;
    }

    /// <summary>Publishes the HTTP functions as route endpoints: ASP.NET Core picks the most specific match.</summary>
    public void Map(IEnumerable<HostedFunction> functions)
    {
        var endpoints = new List<Endpoint>();
        foreach (var function in functions.Where(f => f.Kind == FunctionKind.Http && f.Error is null))
        {
            var endpoint = new RouteEndpointBuilder(context => ForwardAsync(context, function), RoutePatternFactory.Parse(function.Route!), order: 0) { DisplayName = function.Name };
            if (function.Methods.Count > 0)
            {
                endpoint.Metadata.Add(new HttpMethodMetadata(function.Methods));
            }

            endpoint.Metadata.Add(function);
            endpoints.Add(endpoint.Build());
        }

        _endpoints.Set(endpoints);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // In-flight requests were aborted.
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        _worker.Dispose();
    }

    private async Task AdminOrWaitAsync(HttpContext context, RequestDelegate next)
    {
        // Requests that arrive while the worker is still loading wait for it, as the real host queues them.
        try
        {
            await _host.Ready.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            await ProblemAsync(context, 503, "Host not running", e.Message).ConfigureAwait(false);
            return;
        }

        if (context.Request.Path.StartsWithSegments("/admin", StringComparison.OrdinalIgnoreCase, out var rest))
        {
            await AdminAsync(context, rest).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    // POST /admin/functions/{name} with an optional {"input": "..."}: run a non-HTTP function now, answer 202.
    private async Task AdminAsync(HttpContext context, PathString rest)
    {
        var name = rest.StartsWithSegments("/functions", StringComparison.OrdinalIgnoreCase, out var tail) ? tail.Value?.TrimStart('/') : null;
        if (!HttpMethods.IsPost(context.Request.Method) || string.IsNullOrEmpty(name) || name.Contains('/', StringComparison.Ordinal))
        {
            await ProblemAsync(context, 404, "Not found", $"This host has no admin route {context.Request.Method} {context.Request.Path}; it serves POST /admin/functions/{{name}}.").ConfigureAwait(false);
            return;
        }

        var function = _host.Find(name);
        if (function is null)
        {
            await ProblemAsync(context, 404, "Not found", $"No function named '{name}'.").ConfigureAwait(false);
            return;
        }

        if (function.Kind == FunctionKind.Http)
        {
            await ProblemAsync(context, 400, "Bad request", $"'{function.Name}' is an HTTP function: call /{function.Route} instead.").ConfigureAwait(false);
            return;
        }

        string? input = null;
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            input = body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("input", out var i) ? i.ToString() : null;
        }
        catch (JsonException) when (context.Request.ContentLength is null or 0)
        {
            // No body: run without input.
        }
        catch (JsonException e)
        {
            await ProblemAsync(context, 400, "Bad request", $"The body must be JSON like {{\"input\":\"\"}}: {e.Message}").ConfigureAwait(false);
            return;
        }

        _ = _host.RunAndLogAsync(function, input, "admin");
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private async Task ForwardAsync(HttpContext context, HostedFunction function)
    {
        if (_host.WorkerHttpUri is not { } workerUri)
        {
            await ProblemAsync(context, 501, "Not implemented", "The worker did not report an HttpUri: this host only serves workers using ASP.NET Core integration (ConfigureFunctionsWebApplication).").ConfigureAwait(false);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var invocationId = Guid.NewGuid().ToString();
        using var request = ForwardedRequest(context, workerUri, invocationId);
        using var stopForwarding = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        using var stopInvocation = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);

        // Like the real host: start forwarding the request, then send the invocation; the worker pairs them by id.
        var forwarding = _worker.SendAsync(request, stopForwarding.Token);
        var invocation = _host.InvokeAsync(function, HttpInvocation(context, function, invocationId), stopInvocation.Token);

        HttpResponseMessage? response = null;
        string? problem = null;
        try
        {
            if (await Task.WhenAny(forwarding, invocation).ConfigureAwait(false) == invocation && FailureOf(invocation) is not null)
            {
                await Task.WhenAny(forwarding, Task.Delay(FailureGrace, context.RequestAborted)).ConfigureAwait(false);
            }

            if (forwarding.IsCompleted || FailureOf(invocation) is null)
            {
                response = await forwarding.ConfigureAwait(false);
            }
            else
            {
                await stopForwarding.CancelAsync().ConfigureAwait(false);
                problem = FailureOf(invocation);
            }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !context.RequestAborted.IsCancellationRequested)
        {
            problem = FailureOf(invocation) ?? $"The worker did not answer the forwarded request: {e.Message}";
            await stopInvocation.CancelAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return; // The client went away; the invocation is cancelled with it.
        }

        if (response is null)
        {
            // A worker that is dying takes a moment to be seen as exited.
            await Task.WhenAny(_host.WorkerExited, Task.Delay(WorkerExitGrace, context.RequestAborted)).ConfigureAwait(false);
        }

        if (response is null && _host.WorkerExited.IsCompleted)
        {
            // The worker died with the request (or before it): the real host answers while it starts a new one.
            context.Response.Headers.RetryAfter = "5";
            await ProblemAsync(context, 503, "Worker not running", problem!).ConfigureAwait(false);
        }
        else if (response is null)
        {
            var failed = invocation.IsCompletedSuccessfully && !invocation.Result.Succeeded;
            await ProblemAsync(context, failed ? 500 : 502, failed ? "Function failed" : "Bad gateway", problem!).ConfigureAwait(false);
        }
        else
        {
            using (response)
            {
                await CopyResponseAsync(context, response).ConfigureAwait(false);
            }
        }

        // Log the outcome, without holding the connection for an invocation that never reports back.
        await Task.WhenAny(invocation, Task.Delay(FailureGrace)).ConfigureAwait(false);
        var outcome = invocation.IsCompletedSuccessfully ? invocation.Result.ToString() : $"'{function.Name}' (Id={invocationId}) has not reported back";
        _host.Log($"{context.Request.Method} {context.Request.Path} -> {context.Response.StatusCode} in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0}ms: {outcome}");
    }

    // The failure to report once the invocation has ended badly; null while running or after success.
    private static string? FailureOf(Task<InvocationOutcome> invocation) => !invocation.IsCompleted ? null
        : !invocation.IsCompletedSuccessfully ? "The invocation was cancelled."
        : invocation.Result.Succeeded ? null
        : invocation.Result.Error ?? "The function failed.";

    private const long LargeBody = 64 * 1024;
    private static readonly TimeSpan WorkerExitGrace = TimeSpan.FromSeconds(1);

    private static HttpRequestMessage ForwardedRequest(HttpContext context, Uri workerUri, string invocationId)
    {
        var incoming = context.Request;
        var outgoing = new HttpRequestMessage(new HttpMethod(incoming.Method), new Uri(workerUri, UriHelper.BuildRelative(incoming.PathBase, incoming.Path, incoming.QueryString)))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
        {
            outgoing.Content = new StreamContent(incoming.Body); // streamed, not buffered
            // A body the worker may refuse unread (413) waits for its go-ahead: otherwise the worker closes the
            // connection while the body is still coming and its answer is lost (a 502 instead of the 413).
            if (incoming.ContentLength is null or > LargeBody)
            {
                outgoing.Headers.ExpectContinue = true;
            }
        }

        foreach (var (name, values) in incoming.Headers)
        {
            if (!NotForwarded.Contains(name) && !outgoing.Headers.TryAddWithoutValidation(name, values.ToArray()))
            {
                outgoing.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
        }

        // As a reverse proxy: append the client to X-Forwarded-For, state the original scheme and host.
        var client = context.Connection.RemoteIpAddress?.ToString();
        var forwardedFor = incoming.Headers["X-Forwarded-For"];
        outgoing.Headers.TryAddWithoutValidation("X-Forwarded-For", StringValues.IsNullOrEmpty(forwardedFor) ? client : $"{forwardedFor}, {client}");
        outgoing.Headers.TryAddWithoutValidation("X-Forwarded-Proto", incoming.Scheme);
        outgoing.Headers.TryAddWithoutValidation("X-Forwarded-Host", incoming.Host.Value);
        outgoing.Headers.TryAddWithoutValidation(InvocationHeader, invocationId);
        return outgoing;
    }

    // The HTTP trigger's binding data: query values, then route values (which win), as strings.
    private static InvocationRequest HttpInvocation(HttpContext context, HostedFunction function, string invocationId)
    {
        var request = LocalFunctionsHost.NewInvocation(function, invocationId, context.Request.Headers["traceparent"]);
        request.InputData.Add(new ParameterBinding { Name = function.TriggerBindingName, Data = new TypedData { Http = new RpcHttp() } });
        foreach (var (key, value) in context.Request.Query)
        {
            // "code" carries a function key in Azure and is not binding data there.
            if (key.Length > 0 && !key.Equals("code", StringComparison.OrdinalIgnoreCase))
            {
                request.TriggerMetadata[key] = new TypedData { String = value.ToString() };
            }
        }

        foreach (var (key, value) in context.Request.RouteValues)
        {
            if (value is not null)
            {
                request.TriggerMetadata[key] = new TypedData { String = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) };
            }
        }

        return request;
    }

    private static async Task CopyResponseAsync(HttpContext context, HttpResponseMessage response)
    {
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers)
        {
            if (!NotForwarded.Contains(name))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        foreach (var (name, values) in response.Content.Headers)
        {
            context.Response.Headers[name] = values.ToArray();
        }

        try
        {
            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
        {
            context.Abort(); // client or worker went away mid-body
        }
    }

    internal static Task ProblemAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        var type = status switch
        {
            400 => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
            404 => "https://tools.ietf.org/html/rfc9110#section-15.5.5",
            501 => "https://tools.ietf.org/html/rfc9110#section-15.6.2",
            502 => "https://tools.ietf.org/html/rfc9110#section-15.6.3",
            503 => "https://tools.ietf.org/html/rfc9110#section-15.6.4",
            _ => "https://tools.ietf.org/html/rfc9110#section-15.6.1",
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { type, title, status, detail }), context.RequestAborted);
    }

    /// <summary>Endpoints that appear once the worker has reported its functions.</summary>
    private sealed class FunctionEndpoints : EndpointDataSource
    {
        private IReadOnlyList<Endpoint> _endpoints = [];
        private CancellationTokenSource _changed = new();

        public override IReadOnlyList<Endpoint> Endpoints => _endpoints;

        public override IChangeToken GetChangeToken() => new CancellationChangeToken(_changed.Token);

        public void Set(IReadOnlyList<Endpoint> endpoints)
        {
            var previous = _changed;
            _endpoints = endpoints;
            _changed = new CancellationTokenSource();
            previous.Cancel();
        }
    }
}
