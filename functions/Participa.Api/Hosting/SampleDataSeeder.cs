using Participa.Domain;
using Participa.Storage;

namespace Participa.Api.Hosting;

/// <summary>
/// Loads the sample process once (Participa:SeedSampleData, set by the local run command). Runs in the background so
/// start-up and the host's readiness probe never wait on it; an existing process is left as it is.
/// </summary>
public sealed class SampleDataSeeder(ProcessStore processes, ProposalStore proposals, TimeProvider clock, ILogger<SampleDataSeeder> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await SeedAsync(stoppingToken);
                return;
            }
            catch (Exception e) when (StorageFaults.IsUnavailable(e) && attempt < 10)
            {
                logger.LogWarning("Storage not reachable yet for sample data (attempt {Attempt}); retrying", attempt);
                await Task.Delay(TimeSpan.FromSeconds(2), clock, stoppingToken);
            }
        }
    }

    async Task SeedAsync(CancellationToken cancellationToken)
    {
        var process = SampleData.CoCreation2021;
        if (!await processes.AddIfMissingAsync(process, cancellationToken))
        {
            logger.LogInformation("Sample process '{Process}' already present", process.Id);
            return;
        }
        foreach (var input in SampleData.Proposals)
        {
            var now = Timestamps.Truncate(clock.GetUtcNow());
            var errors = new Errors();
            var proposal = Proposal.Create(process, input, Ids.New(now), now, errors)
                ?? throw new InvalidOperationException("Sample proposal is invalid: " + string.Join("; ", errors.ToDictionary().SelectMany(e => e.Value)));
            await proposals.AddAsync(proposal, proposal.Receipt().Sha256, cancellationToken);
        }
        logger.LogInformation("Loaded sample process '{Process}' with {Count} proposals", process.Id, SampleData.Proposals.Count);
    }
}
