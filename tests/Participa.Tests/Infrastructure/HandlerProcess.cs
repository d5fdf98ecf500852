using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Participa.Tests.Infrastructure;

/// <summary>
/// Starts the handler the way the Functions host does: as a child process with FUNCTIONS_CUSTOMHANDLER_PORT set,
/// then polls GET / until any answer arrives. Requests then go to http://127.0.0.1:{port}, as the host proxies them.
/// </summary>
public sealed class HandlerProcess : IAsyncDisposable
{
    readonly Process _process;
    readonly StringBuilder _output = new();

    public int Port { get; }
    public HttpClient Client { get; }
    public TimeSpan StartupTime { get; private set; }
    public string Output { get { lock (_output) return _output.ToString(); } }

    HandlerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public static async Task<HandlerProcess> StartAsync(string fileName, IEnumerable<string> arguments, string workingDirectory, IDictionary<string, string> environment)
    {
        var port = FreePort();
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["FUNCTIONS_APP_ROOT_PATH"] = workingDirectory;
        foreach (var (key, value) in environment) start.Environment[key] = value;

        var stopwatch = Stopwatch.StartNew();
        var handler = new HandlerProcess(Process.Start(start)!, port);
        handler._process.OutputDataReceived += (_, e) => { lock (handler._output) handler._output.AppendLine(e.Data); };
        handler._process.ErrorDataReceived += (_, e) => { lock (handler._output) handler._output.AppendLine(e.Data); };
        handler._process.BeginOutputReadLine();
        handler._process.BeginErrorReadLine();

        // The host waits 30 s by default (initializationTimeout) for the first answer to GET /.
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (handler._process.HasExited)
                throw new InvalidOperationException($"The handler exited with {handler._process.ExitCode}:\n{handler.Output}");
            try
            {
                using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
                await probe.GetAsync($"http://127.0.0.1:{port}/");
                handler.StartupTime = stopwatch.Elapsed;
                return handler;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(50);
            }
            catch (TaskCanceledException)
            {
            }
        }
        await handler.DisposeAsync();
        throw new TimeoutException($"The handler did not answer GET / within 30 s:\n{handler.Output}");
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
