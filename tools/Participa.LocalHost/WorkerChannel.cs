using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using Participa.LocalHost.Rpc;
using MsgType = Participa.LocalHost.Rpc.StreamingMessage.ContentOneofCase;

namespace Participa.LocalHost;

/// <summary>
/// The host's end of the worker's EventStream: one writer loop, replies matched to requests by
/// request_id (init, metadata), function_id (load) and invocation_id (invocations).
/// </summary>
internal sealed class WorkerChannel(Action<string> log)
{
    private readonly Channel<StreamingMessage> _outbound = Channel.CreateUnbounded<StreamingMessage>(new() { SingleReader = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StreamingMessage>> _pending = new();
    private readonly TaskCompletionSource<string> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _closing = new();
    private int _connected;

    /// <summary>Completes with the worker id once the worker has sent StartStream.</summary>
    public Task<string> Started => _started.Task;

    /// <summary>Serves the worker's EventStream call until the worker or the host ends it.</summary>
    public async Task RunAsync(IAsyncStreamReader<StreamingMessage> input, IServerStreamWriter<StreamingMessage> output, CancellationToken callAborted)
    {
        // The host does not advertise MultiStream, so a second stream is a mistake.
        if (Interlocked.Exchange(ref _connected, 1) == 1)
        {
            throw new Grpc.Core.RpcException(new Status(StatusCode.AlreadyExists, "This host serves a single worker stream."));
        }

        using var ended = CancellationTokenSource.CreateLinkedTokenSource(callAborted, _closing.Token);
        var writer = WriteAllAsync(output, ended.Token);
        try
        {
            await foreach (var message in input.ReadAllAsync(ended.Token).ConfigureAwait(false))
            {
                Dispatch(message);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException || e is Grpc.Core.RpcException { StatusCode: StatusCode.Cancelled })
        {
            // The worker went away or the host is stopping.
        }
        finally
        {
            _outbound.Writer.TryComplete();
            foreach (var key in _pending.Keys)
            {
                if (_pending.TryRemove(key, out var waiting))
                {
                    waiting.TrySetException(new IOException("The worker's gRPC stream closed before it answered."));
                }
            }

            await ended.CancelAsync().ConfigureAwait(false);
            await writer.ConfigureAwait(false);
        }
    }

    /// <summary>Sends a request and waits for the worker's matching response.</summary>
    public async Task<StreamingMessage> RequestAsync(StreamingMessage request, CancellationToken ct)
    {
        var key = CorrelationKey(request) ?? throw new ArgumentException($"{request.ContentCase} has no response.", nameof(request));
        var response = new TaskCompletionSource<StreamingMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_pending.TryAdd(key, response))
        {
            throw new InvalidOperationException($"A request with key {key} is already waiting.");
        }

        try
        {
            Send(request);
            return await response.Task.WaitAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(key, out _);
        }
    }

    /// <summary>Queues a message for the single writer; fails once the stream is closed.</summary>
    public void Send(StreamingMessage message)
    {
        if (!_outbound.Writer.TryWrite(message))
        {
            throw new IOException("The worker's gRPC stream is closed.");
        }
    }

    /// <summary>Ends the stream from the host's side.</summary>
    public void Close()
    {
        _outbound.Writer.TryComplete();
        _closing.Cancel();
    }

    private async Task WriteAllAsync(IServerStreamWriter<StreamingMessage> output, CancellationToken ct)
    {
        try
        {
            await foreach (var message in _outbound.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                await output.WriteAsync(message, ct).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            // The stream ended while writing; pending requests fail in RunAsync.
        }
    }

    // The log lines of the invocations someone is waiting for, by invocation id (RpcLog carries it).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, List<string>> _invocationLogs = new();

    /// <summary>Starts keeping the worker's log lines for this invocation.</summary>
    public void CollectLogs(string invocationId) => _invocationLogs[invocationId] = [];

    /// <summary>The lines kept for this invocation, and stops keeping them.</summary>
    public IReadOnlyList<string> TakeLogs(string invocationId) =>
        _invocationLogs.TryRemove(invocationId, out var lines) ? lines : [];

    private void Dispatch(StreamingMessage message)
    {
        switch (message.ContentCase)
        {
            case MsgType.StartStream:
                _started.TrySetResult(message.StartStream.WorkerId);
                break;
            case MsgType.RpcLog:
                var line = Format(message.RpcLog);
                log(line);
                if (message.RpcLog.InvocationId is { Length: > 0 } invocation && _invocationLogs.TryGetValue(invocation, out var lines))
                {
                    lock (lines)
                    {
                        lines.Add(line);
                    }
                }

                break;
            default:
                if (CorrelationKey(message) is { } key && _pending.TryRemove(key, out var waiting))
                {
                    waiting.TrySetResult(message);
                }

                break;
        }
    }

    // A request and its response share a key.
    private static string? CorrelationKey(StreamingMessage m) => m.ContentCase switch
    {
        MsgType.WorkerInitRequest or MsgType.WorkerInitResponse or MsgType.FunctionsMetadataRequest or MsgType.FunctionMetadataResponse
            => "request:" + m.RequestId,
        MsgType.FunctionLoadRequest => "load:" + m.FunctionLoadRequest.FunctionId,
        MsgType.FunctionLoadResponse => "load:" + m.FunctionLoadResponse.FunctionId,
        MsgType.InvocationRequest => "invocation:" + m.InvocationRequest.InvocationId,
        MsgType.InvocationResponse => "invocation:" + m.InvocationResponse.InvocationId,
        _ => null,
    };

    private static string Format(RpcLog entry)
    {
        var level = entry.Level switch
        {
            RpcLog.Types.Level.Trace => "trce",
            RpcLog.Types.Level.Debug => "dbug",
            RpcLog.Types.Level.Information => "info",
            RpcLog.Types.Level.Warning => "warn",
            RpcLog.Types.Level.Error => "fail",
            RpcLog.Types.Level.Critical => "crit",
            _ => "none",
        };
        var text = $"{level}: {entry.Category}: {entry.Message}";
        if (entry.Exception is not { } e)
        {
            return text;
        }

        // The .NET worker puts the whole exception, stack included, in the message.
        var stack = string.IsNullOrEmpty(e.StackTrace) || e.Message.Contains(e.StackTrace, StringComparison.Ordinal) ? "" : Environment.NewLine + e.StackTrace;
        return $"{text}{Environment.NewLine}      {e.Message}{stack}";
    }
}

/// <summary>The FunctionRpc gRPC service: hands the worker's stream to the channel.</summary>
internal sealed class FunctionRpcService(WorkerChannel channel) : FunctionRpc.FunctionRpcBase
{
    public override Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context)
        => channel.RunAsync(requestStream, responseStream, context.CancellationToken);
}
