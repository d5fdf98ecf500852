using Azure;
using Azure.Data.Tables;

namespace Participa.Storage;

/// <summary>
/// Random keys the app makes for itself on first use and keeps in its own table, so every instance and every restart
/// shares them, and a restored backup keeps them. Nothing to configure, nothing to rotate by hand.
/// </summary>
public sealed class SecretStore(Tables tables)
{
    // Not a valid process id: never read as a process or a process's partition.
    const string Partition = "~secrets";

    public async Task<byte[]> GetOrCreateAsync(string name, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var found = await tables.Processes.GetEntityIfExistsAsync<TableEntity>(Partition, name, ["Key"], cancellationToken);
        if (found.HasValue && found.Value!.GetBinary("Key") is { } existing) return existing;
        try
        {
            var key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
            await tables.Processes.AddEntityAsync(new TableEntity(Partition, name) { ["Key"] = key }, cancellationToken);
            return key;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Another instance made it first: everyone uses that one.
            var winner = await tables.Processes.GetEntityAsync<TableEntity>(Partition, name, ["Key"], cancellationToken);
            return winner.Value.GetBinary("Key");
        }
    }
}
