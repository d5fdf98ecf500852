using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Participa.Storage;

return await RestoreCommand.RunAsync(args, Console.Out, Console.Error);

/// <summary>
/// scripts/restore.sh: rebuilds the app's tables from the backups container into empty tables.
/// Sources and targets are connection strings (Azurite) or service URIs reached with your Entra ID sign-in
/// (az login; the account takes no shared keys).
/// </summary>
public static class RestoreCommand
{
    public const string Usage = """
        Usage: scripts/restore.sh --from BLOBS [--container backups] --to TABLES [--prefix P] [--run RUN_ID] [--list]
          --from       the backups' account: a connection string, or its blob service URI (https://ACCOUNT.blob.core.windows.net)
          --container  the backups container (default: backups)
          --to         the account to rebuild: a connection string, or its table service URI (https://ACCOUNT.table.core.windows.net)
          --prefix     the target deployment's table prefix (default: none, as in Azure)
          --run        restore up to this run id (e.g. 2026-12-02T080000Z); default: the latest
          --list       list the complete runs and stop
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors, CancellationToken cancellationToken = default)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--list") { options["--list"] = "true"; continue; }
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                await errors.WriteLineAsync(Usage);
                return 2;
            }
            options[args[i]] = args[++i];
        }
        if (!options.TryGetValue("--from", out var from) || (!options.ContainsKey("--list") && !options.ContainsKey("--to")))
        {
            await errors.WriteLineAsync(Usage);
            return 2;
        }
        var backups = Blobs(from).GetBlobContainerClient(options.GetValueOrDefault("--container", "backups"));
        if (options.ContainsKey("--list"))
        {
            foreach (var run in await TableRestore.ListRunsAsync(backups, cancellationToken))
                await output.WriteLineAsync($"{run.RunId}  {run.Kind,-11}  {run.Tables.Sum(t => t.Rows),10} row(s)  {run.Tables.Sum(t => t.Bytes),12} bytes");
            return 0;
        }
        var started = System.Diagnostics.Stopwatch.StartNew();
        TableRestore.Result result;
        try
        {
            result = await TableRestore.RestoreAsync(backups, Tables(options["--to"]), options.GetValueOrDefault("--prefix", ""),
                options.GetValueOrDefault("--run"), line => output.WriteLine(line), cancellationToken);
        }
        catch (InvalidOperationException e)
        {
            // No backup to restore, or tables that are not empty: say so, change nothing.
            await errors.WriteLineAsync(e.Message);
            return 1;
        }
        await output.WriteLineAsync($"Restored {result.RowsByTable.Values.Sum()} row(s) from {result.RunIds.Count} run(s) in {started.Elapsed.TotalSeconds:F1} s. " +
                                    "Next: start the app on this account and run RecomputeStatistics (docs/deploy.md).");
        return 0;
    }

    static readonly TokenCredential Credential = new DefaultAzureCredential();

    static BlobServiceClient Blobs(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == "https" ? new BlobServiceClient(uri, Credential) : new BlobServiceClient(value);

    static TableServiceClient Tables(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == "https" ? new TableServiceClient(uri, Credential) : new TableServiceClient(value);
}
