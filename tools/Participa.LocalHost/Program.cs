using System.Collections;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Connections;

namespace Participa.LocalHost;

/// <summary>CLI: dotnet Participa.LocalHost.dll --app DIR [--port 7071] [--no-timers]. Development tooling only.</summary>
internal static class Program
{
    private const string Usage = "Usage: dotnet Participa.LocalHost.dll --app <worker build output> [--port 7071] [--no-timers]";

    private static async Task<int> Main(string[] args)
    {
        string? app = null;
        var port = 7071;
        var timers = true;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--app" when i + 1 < args.Length:
                    app = args[++i];
                    break;
                case "--port" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out port):
                    i++;
                    break;
                case "--no-timers":
                    timers = false;
                    break;
                default:
                    await Console.Error.WriteLineAsync(Usage);
                    return 1;
            }
        }

        if (app is null)
        {
            await Console.Error.WriteLineAsync(Usage);
            return 1;
        }

        // Like the real host, the app settings are the environment: pass all of it on.
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            settings[(string)variable.Key] = (string?)variable.Value;
        }

        using var stop = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true; // stop the worker ourselves instead of dying at once
            stop.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

        LocalFunctionsHost host;
        try
        {
            host = await LocalFunctionsHost.StartAsync(new LocalHostOptions
            {
                AppDirectory = app,
                Port = port,
                Settings = settings,
                RunTimersOnSchedule = timers,
                Log = line => Console.WriteLine($"[{DateTime.UtcNow.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)}] {line}"),
            }, stop.Token);
        }
        catch (Exception e) when (IsAddressInUse(e))
        {
            await Console.Error.WriteLineAsync($"Port {port} is already in use on 127.0.0.1. Stop whatever listens there or pass --port with a free port.");
            return 2;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 130;
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync($"The functions host could not start: {e.Message}");
            return 1;
        }

        await using (host)
        {
            var address = host.BaseAddress.GetLeftPart(UriPartial.Authority);
            Console.WriteLine($"Functions host (local development tool) listening on {address}");
            Console.WriteLine($"Worker process {host.WorkerProcessId} ready in {host.StartupTime.TotalMilliseconds:0} ms. Functions:");
            foreach (var function in host.Functions)
            {
                Console.WriteLine(function.Kind == FunctionKind.Http && function.Error is null
                    ? $"    {function.Name}: [{(function.Methods.Count == 0 ? "ANY" : string.Join(",", function.Methods))}] {address}/{function.Route}"
                    : $"    {function}{(function.Error is null ? "" : "  (not served: " + function.Error + ")")}");
            }

            var stopped = Task.Delay(Timeout.Infinite, stop.Token);
            if (await Task.WhenAny(stopped, host.WorkerExited) == host.WorkerExited)
            {
                await Console.Error.WriteLineAsync("The worker process exited; stopping.");
                return 1;
            }

            Console.WriteLine("Stopping...");
        }

        return 0;
    }

    private static bool IsAddressInUse(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is AddressInUseException)
            {
                return true;
            }
        }

        return false;
    }
}
