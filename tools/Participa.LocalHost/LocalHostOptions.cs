namespace Participa.LocalHost;

/// <summary>Options for <see cref="LocalFunctionsHost"/> (development/test tooling, not the Azure Functions host).</summary>
public sealed class LocalHostOptions
{
    /// <summary>The worker's build output: holds worker.config.json, functions.metadata and host.json.</summary>
    public required string AppDirectory { get; init; }

    /// <summary>Public HTTP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>App settings: environment variables of the worker, and the values behind %Name% in timer schedules.</summary>
    public IDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>(StringComparer.Ordinal);

    /// <summary>Run timer functions on their schedules; when false they run only through <see cref="LocalFunctionsHost.InvokeAsync(string, CancellationToken)"/> or the admin route.</summary>
    public bool RunTimersOnSchedule { get; init; } = true;

    /// <summary>Receives the worker's logs (RpcLog), its stdout/stderr lines and the host's own messages.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>How long the worker may take from launch to functions loaded and HTTP accepted.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
