using Azure.Data.Tables;

namespace Participa.Storage;

/// <summary>The app's tables. Created on first use, so start-up never waits on storage (the host polls GET / for readiness).</summary>
public sealed class Tables
{
    readonly TableClient[] _all;
    readonly SemaphoreSlim _gate = new(1, 1);
    volatile bool _created;

    public TableClient Processes { get; }
    public TableClient Submissions { get; }

    /// <param name="prefix">Lets tests give every app instance its own tables in one Azurite.</param>
    public Tables(StorageAccount account, string prefix)
    {
        Processes = account.Tables.GetTableClient(prefix + "Processes");
        Submissions = account.Tables.GetTableClient(prefix + "Submissions");
        _all = [Processes, Submissions];
        ByName = new Dictionary<string, TableClient> { ["Processes"] = Processes, ["Submissions"] = Submissions };
    }

    public IEnumerable<TableClient> All => _all;

    /// <summary>Every table the app owns, by its name without the prefix (what backups call it).</summary>
    public IReadOnlyDictionary<string, TableClient> ByName { get; }

    public async ValueTask EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (_created) return;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_created) return;
            foreach (var table in _all)
                await table.CreateIfNotExistsAsync(cancellationToken);
            _created = true;
        }
        finally
        {
            _gate.Release();
        }
    }
}
