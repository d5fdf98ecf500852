using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Participa.Tests.Infrastructure;

/// <summary>
/// An Azurite of one test's own that keeps its data in a folder (--location) and can be killed and started again on
/// the same ports and folder: storage that goes away and comes back. Azurite holds the data in memory and saves it
/// to the folder every 5 s (LokiJS autosave), so a kill loses what it accepted since its last save;
/// <see cref="WaitForSaveAsync"/> tells when a save has happened, so a test can separate that loss from the app's.
/// </summary>
public sealed partial class DurableAzurite : IAsyncDisposable
{
    readonly string _folder = Path.Combine(Path.GetTempPath(), "participa-azurite-" + Guid.NewGuid().ToString("N")[..12]);
    Process? _process;
    int _blobPort, _tablePort, _queuePort;

    public string ConnectionString => Build($"http://127.0.0.1:{_blobPort}", $"http://127.0.0.1:{_tablePort}");

    /// <summary>The table service's database file, which Azurite rewrites whole on each save.</summary>
    string TableDatabase => Path.Combine(_folder, "__azurite_db_table__.json");

    public static async Task<DurableAzurite> StartAsync()
    {
        var azurite = new DurableAzurite();
        Directory.CreateDirectory(azurite._folder);
        await azurite.LaunchAsync();
        return azurite;
    }

    /// <summary>Starts it again on the same ports, reading the folder it last saved.</summary>
    public Task RestartAsync() => LaunchAsync();

    /// <summary>Kills the process tree at once, as a crash would: no final save.</summary>
    public async Task KillAsync()
    {
        if (_process is null) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    /// <summary>Completes once Azurite has written its table database after <paramref name="after"/> (UTC).</summary>
    public async Task WaitForSaveAsync(DateTime after, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        // File times have coarse resolution on some file systems: ask for a save that starts clearly after the mark.
        while (!File.Exists(TableDatabase) || File.GetLastWriteTimeUtc(TableDatabase) <= after)
            await Task.Delay(50, cancel.Token);
    }

    async Task LaunchAsync()
    {
        var start = new ProcessStartInfo("node")
        {
            ArgumentList =
            {
                Path.Combine(Azurite.RepositoryRoot, "scripts", "azurite.js"), "--silent", "--location", _folder, "--disableTelemetry",
                "--skipApiVersionCheck", "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
                "--blobPort", _blobPort.ToString(CultureInfo.InvariantCulture), "--queuePort", _queuePort.ToString(CultureInfo.InvariantCulture), "--tablePort", _tablePort.ToString(CultureInfo.InvariantCulture),
            },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        _process = process;
        var ports = new Dictionary<string, int>();
        var output = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (ports.Count < 3)
        {
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                ?? throw new InvalidOperationException("Azurite exited: " + string.Join('\n', output) + await process.StandardError.ReadToEndAsync());
            output.Add(line);
            if (Listening().Match(line) is { Success: true } m)
                ports[m.Groups[1].Value] = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        }
        (_blobPort, _queuePort, _tablePort) = (ports["Blob"], ports["Queue"], ports["Table"]);
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
    }

    static string Build(string blob, string table) =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        $"BlobEndpoint={blob}/devstoreaccount1;TableEndpoint={table}/devstoreaccount1;";

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [GeneratedRegex(@"Azurite (Blob|Queue|Table) service is successfully listening at http://127\.0\.0\.1:(\d+)")]
    private static partial Regex Listening();
}
