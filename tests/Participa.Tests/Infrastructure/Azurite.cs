using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Participa.Tests.Infrastructure;

/// <summary>
/// One in-memory Azurite for the whole test run, on ports the OS picks and read back from its output. It exits when
/// this process does (scripts/azurite.js watches its stdin), so a killed test run leaves nothing behind.
/// Tests isolate themselves by table prefix and container name, never by sharing data.
/// </summary>
public static partial class Azurite
{
    static readonly Lazy<Task<string>> Started = new(StartAsync);
    static Process? _process;

    /// <summary>The node process serving storage (the benchmark counts its CPU); 0 before it starts.</summary>
    public static int ProcessId => _process?.Id ?? 0;

    public static Task<string> ConnectionStringAsync() => Started.Value;

    /// <summary>A connection string to a port where nothing listens: storage that is down.</summary>
    public static string Unreachable()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return Build($"http://127.0.0.1:{port}", $"http://127.0.0.1:{port}");
    }

    public static string RepositoryRoot { get; } = FindRoot();

    static async Task<string> StartAsync()
    {
        var script = Path.Combine(RepositoryRoot, "scripts", "azurite.js");
        if (!Directory.Exists(Path.Combine(RepositoryRoot, "node_modules", "azurite")))
            throw new InvalidOperationException("Azurite is not installed: run scripts/test.sh (it runs npm ci), or npm ci at the repository root.");

        var start = new ProcessStartInfo("node")
        {
            ArgumentList =
            {
                script, "--silent", "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck",
                "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
                "--blobPort", "0", "--queuePort", "0", "--tablePort", "0",
            },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        _process = process;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();

        var ports = new Dictionary<string, string>();
        var output = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (ports.Count < 3)
        {
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                ?? throw new InvalidOperationException("Azurite exited: " + string.Join('\n', output) + await process.StandardError.ReadToEndAsync());
            output.Add(line);
            if (Listening().Match(line) is { Success: true } m)
                ports[m.Groups[1].Value] = m.Groups[2].Value;
        }
        // Keep draining its output so Azurite never blocks on a full pipe.
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        return Build($"http://127.0.0.1:{ports["Blob"]}", $"http://127.0.0.1:{ports["Table"]}");
    }

    static string Build(string blob, string table) =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        $"BlobEndpoint={blob}/devstoreaccount1;TableEndpoint={table}/devstoreaccount1;";

    static void Stop()
    {
        try
        {
            _process?.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Participa.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Run the tests from inside the repository.");
    }

    [GeneratedRegex(@"Azurite (Blob|Queue|Table) service is successfully listening at http://127\.0\.0\.1:(\d+)")]
    private static partial Regex Listening();
}
