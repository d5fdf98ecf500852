using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Participa.LocalHost.Rpc;

namespace Participa.LocalHost;

/// <summary>
/// Development/test stand-in for the Azure Functions host: launches a .NET isolated worker, plays the host's side of
/// its gRPC protocol, serves its HTTP functions and runs its timers. Production runs on the real Functions host.
/// </summary>
public sealed class LocalFunctionsHost : IAsyncDisposable
{
    private const string HostVersion = "4.0.0-participa-local";
    private static readonly TimeSpan TerminateGrace = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LongestTimerWait = TimeSpan.FromHours(12);

    private readonly LocalHostOptions _options;
    private readonly string _appDirectory;
    private readonly WorkerChannel _channel;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, DateTime> _lastTimerRun = new();
    private readonly Dictionary<string, TimerSchedule> _schedules = [];
    private readonly Lock _stopLock = new();
    private HttpFrontend? _http;
    private WebApplication? _grpc;
    private WorkerProcess? _worker;
    private Task? _stopped;

    private LocalFunctionsHost(LocalHostOptions options)
    {
        _options = options;
        _appDirectory = Path.GetFullPath(options.AppDirectory);
        _channel = new WorkerChannel(Log);
    }

    /// <summary>The public HTTP address, http://127.0.0.1:{port}/.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The functions the worker reported, with their routes and schedules.</summary>
    public IReadOnlyList<HostedFunction> Functions { get; private set; } = [];

    public int WorkerProcessId => _worker?.Id ?? 0;

    /// <summary>From <see cref="StartAsync"/> to functions loaded and the worker's HTTP listener accepting.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>Completes when the worker process exits, for whatever reason.</summary>
    public Task WorkerExited => _worker?.Exited ?? Task.CompletedTask;

    internal Task Ready => _ready.Task;

    internal Uri? WorkerHttpUri { get; private set; }

    /// <summary>Launches the worker and returns once its functions are loaded and HTTP requests are accepted.</summary>
    public static async Task<LocalFunctionsHost> StartAsync(LocalHostOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var host = new LocalFunctionsHost(options);
        try
        {
            await host.StartCoreAsync(ct).ConfigureAwait(false);
            return host;
        }
        catch (Exception e)
        {
            if (host._ready.TrySetException(e))
            {
                _ = host._ready.Task.Exception; // observed: requests still waiting answer 503
            }

            await host.StopAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs a non-HTTP function (a timer, say) now and waits for the worker's InvocationResponse.</summary>
    public Task<InvocationOutcome> InvokeAsync(string functionName, CancellationToken ct) => InvokeAsync(functionName, null, ct);

    /// <summary>Runs a non-HTTP function now; <paramref name="input"/> is the trigger value for non-timer triggers (like the admin route's "input").</summary>
    public async Task<InvocationOutcome> InvokeAsync(string functionName, string? input = null, CancellationToken ct = default)
    {
        var function = Find(functionName)
            ?? throw new ArgumentException($"No function named '{functionName}'. Functions: {string.Join(", ", Functions.Select(f => f.Name))}.", nameof(functionName));
        if (function.Kind == FunctionKind.Http)
        {
            throw new InvalidOperationException($"'{function.Name}' is an HTTP function: send a request to {BaseAddress}{function.Route} instead.");
        }

        await Ready.WaitAsync(ct).ConfigureAwait(false);
        return await InvokeAsync(function, TriggerInvocation(function, input), ct).ConfigureAwait(false);
    }

    /// <summary>Sends WorkerTerminate, waits briefly for the worker to leave, then kills its process tree and closes the listeners.</summary>
    public Task StopAsync()
    {
        lock (_stopLock)
        {
            return _stopped ??= StopCoreAsync();
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    internal HostedFunction? Find(string name) =>
        Functions.FirstOrDefault(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    internal void Log(string message)
    {
        try
        {
            _options.Log?.Invoke(message);
        }
        catch (InvalidOperationException)
        {
            // xunit's output helper refuses lines once its test has finished; worker output may still arrive.
        }
    }

    internal static InvocationRequest NewInvocation(HostedFunction function, string invocationId, string? traceParent) => new()
    {
        InvocationId = invocationId,
        FunctionId = function.Id,
        TraceContext = new RpcTraceContext
        {
            TraceParent = string.IsNullOrEmpty(traceParent) ? $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-00" : traceParent,
        },
    };

    /// <summary>Sends one invocation and maps its InvocationResponse; only cancellation throws.</summary>
    internal async Task<InvocationOutcome> InvokeAsync(HostedFunction function, InvocationRequest request, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var collect = function.Kind != FunctionKind.Http;
        if (collect)
        {
            _channel.CollectLogs(request.InvocationId);
        }

        try
        {
            var response = (await _channel.RequestAsync(new StreamingMessage { InvocationRequest = request }, ct).ConfigureAwait(false)).InvocationResponse;
            var succeeded = response.Result?.Status == StatusResult.Types.Status.Success;
            return new InvocationOutcome(function.Name, request.InvocationId, succeeded, succeeded ? null : Describe(response.Result), Stopwatch.GetElapsedTime(started))
            {
                Logs = collect ? _channel.TakeLogs(request.InvocationId) : [],
            };
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            TrySend(new StreamingMessage { InvocationCancel = new InvocationCancel { InvocationId = request.InvocationId } });
            throw;
        }
        catch (IOException e)
        {
            _channel.TakeLogs(request.InvocationId);
            return new InvocationOutcome(function.Name, request.InvocationId, false, e.Message, Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>Runs a non-HTTP function in the background (timer tick, admin route) and logs how it went.</summary>
    /// <summary>The timers this host runs on their schedules (none unless told to).</summary>
    public IReadOnlyList<string> ScheduledTimers { get; private set; } = [];

    /// <summary>A run the host started itself (schedule or admin API) ended: what a test waits for instead of sleeping.</summary>
    public event Action<string, InvocationOutcome>? RunCompleted;

    internal async Task RunAndLogAsync(HostedFunction function, string? input, string reason)
    {
        try
        {
            Log($"Executing '{function.Name}' (Reason='{reason}')");
            var outcome = await InvokeAsync(function, TriggerInvocation(function, input), _stopping.Token).ConfigureAwait(false);
            Log(outcome.ToString());
            RunCompleted?.Invoke(function.Name, outcome);
        }
        catch (OperationCanceledException)
        {
            // The host is stopping.
        }
    }

    private async Task StartCoreAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var routePrefix = ReadRoutePrefix(_appDirectory);
        _http = await HttpFrontend.StartAsync(this, _options.Port, ct).ConfigureAwait(false);
        BaseAddress = _http.BaseAddress;
        _grpc = StartGrpc();
        await _grpc.StartAsync(ct).ConfigureAwait(false);
        _worker = WorkerProcess.Start(_appDirectory, LocalWebApp.BoundAddress(_grpc), Guid.NewGuid().ToString(), _options.Settings, Log);
        Log($"Started worker process {_worker.Id} for {_appDirectory}");

        using var startup = CancellationTokenSource.CreateLinkedTokenSource(ct);
        startup.CancelAfter(_options.StartTimeout);
        try
        {
            await HandshakeAsync(routePrefix, startup.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"The worker did not load its functions within {_options.StartTimeout.TotalSeconds:0} s. Its last output:{Environment.NewLine}{_worker.RecentOutput}");
        }

        StartupTime = clock.Elapsed;
        _ready.TrySetResult();
        if (_options.RunTimersOnSchedule)
        {
            ScheduledTimers = [.. _schedules.Keys];
            foreach (var (name, schedule) in _schedules)
            {
                _ = RunOnScheduleAsync(Find(name)!, schedule, _stopping.Token);
            }
        }
    }

    // The real host's order: StartStream, WorkerInit, FunctionsMetadata, FunctionLoad per function.
    private async Task HandshakeAsync(string routePrefix, CancellationToken ct)
    {
        await StepAsync(_channel.Started, ct).ConfigureAwait(false);
        var init = (await StepAsync(_channel.RequestAsync(new StreamingMessage
        {
            RequestId = Guid.NewGuid().ToString(),
            WorkerInitRequest = new WorkerInitRequest { HostVersion = HostVersion, WorkerDirectory = _appDirectory, FunctionAppDirectory = _appDirectory },
        }, ct), ct).ConfigureAwait(false)).WorkerInitResponse;
        EnsureSucceeded(init.Result, "initialise");
        WorkerHttpUri = init.Capabilities.TryGetValue("HttpUri", out var httpUri) && !string.IsNullOrEmpty(httpUri) ? new Uri(httpUri) : null;

        var metadata = (await StepAsync(_channel.RequestAsync(new StreamingMessage
        {
            RequestId = Guid.NewGuid().ToString(),
            FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = _appDirectory },
        }, ct), ct).ConfigureAwait(false)).FunctionMetadataResponse;
        EnsureSucceeded(metadata.Result, "index its functions");
        if (metadata.UseDefaultMetadataIndexing)
        {
            throw new NotSupportedException("The worker asked the host to index its functions; this host only supports worker indexing (Microsoft.Azure.Functions.Worker 2.x).");
        }

        Functions = metadata.FunctionMetadataResults.Select(m =>
        {
            m.FunctionId = string.IsNullOrEmpty(m.FunctionId) ? Guid.NewGuid().ToString() : m.FunctionId;
            return HostedFunction.FromMetadata(m, routePrefix, Setting);
        }).ToList();

        var loads = await StepAsync(Task.WhenAll(Functions.Select(f => _channel.RequestAsync(new StreamingMessage
        {
            FunctionLoadRequest = new FunctionLoadRequest { FunctionId = f.Id, Metadata = f.Metadata },
        }, ct))), ct).ConfigureAwait(false);
        // A function that does not load is a build problem: fail loudly rather than serve half an app.
        var failures = loads.Select(l => l.FunctionLoadResponse).Where(l => l.Result?.Status != StatusResult.Types.Status.Success)
            .Select(l => $"{Functions.First(f => f.Id == l.FunctionId).Name}: {Describe(l.Result)}").ToList();
        if (failures.Count > 0)
        {
            throw new InvalidOperationException($"The worker could not load {string.Join("; ", failures)}");
        }

        foreach (var function in Functions)
        {
            if (function.Error is not null)
            {
                Log($"fail: Function '{function.Name}' will not be served on its trigger: {function.Error}");
            }
            else if (function.Kind == FunctionKind.Timer && TimerSchedule.TryParse(function.ResolvedSchedule!, out var schedule, out _))
            {
                _schedules[function.Name] = schedule!;
            }
        }

        _http!.Map(Functions);
        if (WorkerHttpUri is { } uri && Functions.Any(f => f.Kind == FunctionKind.Http))
        {
            // The worker's Kestrel may start after its gRPC client: answer nothing until it listens.
            await StepAsync(WaitForListenerAsync(uri, ct), ct).ConfigureAwait(false);
        }
    }

    // One start-up step, cut short when the worker exits (with its last output) or time runs out.
    private async Task<T> StepAsync<T>(Task<T> step, CancellationToken ct)
    {
        if (await Task.WhenAny(step, _worker!.Exited.WaitAsync(ct)).ConfigureAwait(false) != step)
        {
            ct.ThrowIfCancellationRequested();
            if (!step.IsCompleted)
            {
                throw new InvalidOperationException($"The worker exited with code {_worker.ExitCode} while starting. Its last output:{Environment.NewLine}{_worker.RecentOutput}");
            }
        }

        return await step.ConfigureAwait(false);
    }

    private async Task RunOnScheduleAsync(HostedFunction function, TimerSchedule schedule, CancellationToken ct)
    {
        Task? running = null;
        void Fire(string reason)
        {
            // Like the real host's singleton lock: one run at a time; an occurrence that finds one running is skipped.
            if (running is { IsCompleted: false })
            {
                Log($"Skipped '{function.Name}' ({reason}): the previous run is still going");
                return;
            }

            running = RunAndLogAsync(function, null, reason);
        }

        try
        {
            if (function.RunOnStartup)
            {
                Fire("RunOnStartup");
            }

            var due = schedule.Next(DateTimeOffset.UtcNow);
            while (due is { } next)
            {
                for (var wait = next - DateTimeOffset.UtcNow; wait > TimeSpan.Zero; wait = next - DateTimeOffset.UtcNow)
                {
                    await Task.Delay(wait < LongestTimerWait ? wait : LongestTimerWait, ct).ConfigureAwait(false);
                }

                Fire("Timer fired at " + next.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                var now = DateTimeOffset.UtcNow;
                due = schedule.Next(next > now ? next : now); // occurrences missed while busy are skipped
            }
        }
        catch (OperationCanceledException)
        {
            // The host is stopping.
        }
    }

    private InvocationRequest TriggerInvocation(HostedFunction function, string? input)
    {
        var request = NewInvocation(function, Guid.NewGuid().ToString(), null);
        var data = function.Kind == FunctionKind.Timer ? new TypedData { Json = TimerPayload(function) } : new TypedData { String = input ?? "" };
        request.InputData.Add(new ParameterBinding { Name = function.TriggerBindingName, Data = data });
        return request;
    }

    // What the timer extension deserialises into TimerInfo.
    private string TimerPayload(HostedFunction function)
    {
        var now = DateTime.UtcNow;
        var last = _lastTimerRun.TryGetValue(function.Name, out var previous) ? previous : DateTime.MinValue;
        _lastTimerRun[function.Name] = now;
        var next = _schedules.TryGetValue(function.Name, out var schedule) ? schedule.Next(now)?.UtcDateTime : null;
        return JsonSerializer.Serialize(new
        {
            Schedule = new { AdjustForDST = true },
            ScheduleStatus = next is null ? null : new { Last = last, Next = next, LastUpdated = now },
            IsPastDue = false,
        });
    }

    private string? Setting(string name) =>
        _options.Settings.TryGetValue(name, out var value) ? value : Environment.GetEnvironmentVariable(name);

    private WebApplication StartGrpc()
    {
        var builder = LocalWebApp.CreateBuilder();
        // The worker's gRPC client speaks HTTP/2 without TLS (prior knowledge), so the listener is HTTP/2 only.
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = null; // the real host allows int.MaxValue too
            o.MaxSendMessageSize = null;
        });
        builder.Services.AddSingleton(_channel);
        var app = builder.Build();
        app.MapGrpcService<FunctionRpcService>();
        return app;
    }

    private async Task StopCoreAsync()
    {
        if (_ready.TrySetException(new InvalidOperationException("The host has stopped.")))
        {
            _ = _ready.Task.Exception;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_http is not null)
        {
            await _http.DisposeAsync().ConfigureAwait(false);
        }

        if (_worker is not null)
        {
            var grace = TimeSpan.Zero;
            if (!_worker.Exited.IsCompleted && _channel.Started.IsCompletedSuccessfully && TrySend(new StreamingMessage
            {
                WorkerTerminate = new WorkerTerminate { GracePeriod = Duration.FromTimeSpan(TerminateGrace) },
            }))
            {
                grace = TerminateGrace;
            }

            await _worker.StopAsync(grace).ConfigureAwait(false);
            Log($"Worker process {_worker.Id} exited with code {_worker.ExitCode}");
        }

        _channel.Close();
        if (_grpc is not null)
        {
            await _grpc.StopAsync().ConfigureAwait(false);
            await _grpc.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private bool TrySend(StreamingMessage message)
    {
        try
        {
            _channel.Send(message);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task<bool> WaitForListenerAsync(Uri uri, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(uri.Host, uri.Port, ct).ConfigureAwait(false);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(20, ct).ConfigureAwait(false);
            }
        }
    }

    private static void EnsureSucceeded(StatusResult? result, string step)
    {
        if (result?.Status != StatusResult.Types.Status.Success)
        {
            throw new InvalidOperationException($"The worker failed to {step}: {Describe(result)}");
        }
    }

    private static string Describe(StatusResult? result) =>
        result?.Exception is { Message.Length: > 0 } e ? e.Message
        : !string.IsNullOrEmpty(result?.Result) ? result.Result
        : $"status {result?.Status.ToString() ?? "missing"}";

    // host.json's extensions.http.routePrefix, read case-insensitively like the worker does; "api" when absent.
    private static string ReadRoutePrefix(string appDirectory)
    {
        var path = Path.Combine(appDirectory, "host.json");
        if (!File.Exists(path))
        {
            return "api";
        }

        using var hostJson = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return HostedFunction.Property(hostJson.RootElement, "extensions") is { } extensions
            && HostedFunction.Property(extensions, "http") is { } http
            && HostedFunction.Property(http, "routePrefix") is { ValueKind: JsonValueKind.String } prefix
            ? prefix.GetString()!
            : "api";
    }
}
