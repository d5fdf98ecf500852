using Azure.Storage.Blobs.Specialized;

namespace Participa.Storage;

/// <summary>
/// A blob lease held for as long as a run lasts: renewed every third of its duration, so a long run keeps it and a
/// crashed one loses it within the duration. When a renewal fails, <see cref="Lost"/> is cancelled.
/// </summary>
public sealed class RunLease : IAsyncDisposable
{
    /// <summary>Blob leases last 15 to 60 seconds.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(60);

    readonly BlobLeaseClient _lease;
    readonly TimeSpan _renewEvery;
    readonly CancellationTokenSource _stop = new();
    readonly CancellationTokenSource _lost = new();
    readonly Task _renewing;
    int _renewals;

    internal RunLease(BlobLeaseClient lease, TimeSpan duration)
    {
        _lease = lease;
        _renewEvery = duration / 3;
        _renewing = RenewAsync();
    }

    /// <summary>Cancelled when the lease could not be renewed: another run may hold it now.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>Renewals that succeeded so far: what a test waits for instead of sleeping past the duration.</summary>
    public int Renewals => Volatile.Read(ref _renewals);

    async Task RenewAsync()
    {
        try
        {
            while (true)
            {
                await Task.Delay(_renewEvery, _stop.Token);
                await _lease.RenewAsync(cancellationToken: _stop.Token);
                Interlocked.Increment(ref _renewals);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception)
        {
            // Whatever failed (storage, the network, a timeout), the lease can no longer be counted on.
            await _lost.CancelAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _renewing;
        if (!_lost.IsCancellationRequested)
        {
            try
            {
                await _lease.ReleaseAsync();
            }
            catch (Exception)
            {
                // It expires on its own.
            }
        }
        _stop.Dispose();
        _lost.Dispose();
    }
}
