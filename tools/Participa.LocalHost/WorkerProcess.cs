using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Participa.LocalHost;

/// <summary>The worker process, launched the way the Functions host launches a dotnet-isolated worker.</summary>
internal sealed class WorkerProcess
{
    private const int TailLines = 40;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _tail = new();

    private WorkerProcess(Process process, Action<string> log)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Line(e.Data, log);
        _process.ErrorDataReceived += (_, e) => Line(e.Data, log);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        // WaitForExitAsync also waits for the redirected output to drain.
        Exited = _process.WaitForExitAsync();
    }

    public int Id => _process.Id;

    public Task Exited { get; }

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>The last lines the worker wrote, for start-up errors.</summary>
    public string RecentOutput => string.Join(Environment.NewLine, _tail);

    public static WorkerProcess Start(string appDirectory, Uri grpcUri, string workerId, IDictionary<string, string?> settings, Action<string> log)
    {
        var configPath = Path.Combine(appDirectory, "worker.config.json");
        if (!File.Exists(configPath))
        {
            throw new FileNotFoundException($"No worker.config.json in '{appDirectory}': point AppDirectory at the function app's build output.", configPath);
        }

        using var config = JsonDocument.Parse(File.ReadAllText(configPath));
        var description = config.RootElement.GetProperty("description");
        var executable = Expand(description.GetProperty("defaultExecutablePath").GetString()!, appDirectory);
        var workerPath = description.TryGetProperty("defaultWorkerPath", out var w) ? Expand(w.GetString()!, appDirectory) : null;

        var start = new ProcessStartInfo
        {
            FileName = ResolveExecutable(executable, appDirectory),
            WorkingDirectory = appDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        // Command line as the host builds it: executable, its arguments, worker path, worker arguments, then the connection.
        AddAll(start.ArgumentList, description, "arguments");
        if (!string.IsNullOrEmpty(workerPath))
        {
            start.ArgumentList.Add(Path.Combine(appDirectory, workerPath));
        }

        AddAll(start.ArgumentList, description, "workerArguments");
        var requestId = Guid.NewGuid().ToString();
        var maxMessage = int.MaxValue.ToString(CultureInfo.InvariantCulture);
        // Both spellings, as the host passes them: older workers read the short ones, 2.x reads --functions-*.
        string[] connection =
        [
            "--host", grpcUri.Host, "--port", grpcUri.Port.ToString(CultureInfo.InvariantCulture),
            "--workerId", workerId, "--requestId", requestId, "--grpcMaxMessageLength", maxMessage,
            "--functions-uri", grpcUri.AbsoluteUri, "--functions-worker-id", workerId,
            "--functions-request-id", requestId, "--functions-grpc-max-message-length", maxMessage,
        ];
        foreach (var argument in connection)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in settings)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        start.Environment["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        start.Environment["FUNCTIONS_WORKER_DIRECTORY"] = appDirectory;
        start.Environment["FUNCTIONS_APPLICATION_DIRECTORY"] = appDirectory;

        return new WorkerProcess(new Process { StartInfo = start }, log);
    }

    /// <summary>Waits for the worker to leave on its own, then kills its process tree.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        try
        {
            await Exited.WaitAsync(grace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Exited between the timeout and the kill.
            }

            await Exited.ConfigureAwait(false);
        }
    }

    private void Line(string? line, Action<string> log)
    {
        if (line is null)
        {
            return;
        }

        _tail.Enqueue(line);
        while (_tail.Count > TailLines && _tail.TryDequeue(out _))
        {
        }

        log("worker: " + line);
    }

    private static void AddAll(ICollection<string> arguments, JsonElement description, string property)
    {
        if (description.TryGetProperty(property, out var values) && values.ValueKind == JsonValueKind.Array)
        {
            foreach (var value in values.EnumerateArray())
            {
                arguments.Add(value.GetString()!);
            }
        }
    }

    private static string Expand(string path, string appDirectory) =>
        path.Replace("{WorkerRoot}", appDirectory.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static string ResolveExecutable(string executable, string appDirectory)
    {
        if (executable == "dotnet")
        {
            // The SDK sets DOTNET_HOST_PATH for the processes it runs (dotnet test): use the same dotnet.
            var hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(hostPath) && File.Exists(hostPath))
            {
                return hostPath;
            }

            return Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : executable;
        }

        // An app-relative executable (self-contained or apphost builds) wins over one on PATH.
        var local = Path.Combine(appDirectory, executable);
        return File.Exists(local) ? local : executable;
    }
}
