using Participa.Domain;
using Participa.Storage;

namespace Participa.Api.Hosting;

/// <summary>
/// Loads the sample processes once (Participa:SeedSampleData, set by the local run command): the 2021-2023
/// co-creation with its draft plan, the 2017 self-assessment consultation and bill 5210, each with a few invented
/// submissions. Runs in the background so start-up never waits on it; a process already present is left as it is.
/// </summary>
public sealed class SampleDataSeeder(
    ProcessStore processes, DocumentStore documents, ProposalStore proposals, CommentStore comments, OpinionStore opinions,
    TimeProvider clock, ILogger<SampleDataSeeder> logger) : BackgroundService
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
        // Documents first: a process becomes visible only with everything it refers to in place.
        await documents.PublishAsync(SampleDocuments.ActionPlanDraft, SampleDocuments.ActionPlanDraftV1, cancellationToken);
        await documents.PublishAsync(SampleDocuments.ActionPlanDraft, SampleDocuments.ActionPlanDraftV2, cancellationToken);
        await documents.PublishAsync(SampleDocuments.SelfAssessment, SampleDocuments.SelfAssessmentV1, cancellationToken);
        await documents.PublishAsync(SampleDocuments.Bill5210, SampleDocuments.Bill5210V1, cancellationToken);

        if (await processes.AddIfMissingAsync(SampleData.CoCreation2021, cancellationToken))
            foreach (var input in SampleData.Proposals)
                await proposals.AddAsync(Valid(errors => Proposal.Create(SampleData.CoCreation2021, input, NextId(), Now(), errors)), cancellationToken);

        if (await processes.AddIfMissingAsync(SampleData.SelfAssessment2017, cancellationToken))
            foreach (var (section, text) in SampleData.SelfAssessmentComments)
            {
                var target = new CommentTarget(CommentTargetKind.Section, SampleDocuments.SelfAssessment.Id, 1, section);
                await comments.AddAsync(Valid(errors => Comment.Create(SampleData.SelfAssessment2017.Id, target, null,
                    new CommentInput { Text = text, Sector = "citizen" }, NextId(), Now(), errors)), cancellationToken);
            }

        if (await processes.AddIfMissingAsync(SampleData.Bill5210, cancellationToken))
            foreach (var input in SampleData.Opinions)
                await opinions.AddAsync(Valid(errors => Opinion.Create(SampleData.Bill5210.Id, SampleDocuments.Bill5210, SampleDocuments.Bill5210V1,
                    input, NextId(), Now(), errors)), cancellationToken);

        logger.LogInformation("Sample data ready: {Processes}", string.Join(", ", SampleData.Processes.Select(p => p.Id)));
    }

    DateTimeOffset Now() => Timestamps.Truncate(clock.GetUtcNow());

    string NextId() => Ids.New(Now());

    static T Valid<T>(Func<Errors, T?> create) where T : class
    {
        var errors = new Errors();
        return create(errors) ?? throw new InvalidOperationException("Invalid sample data: " + string.Join("; ", errors.ToDictionary().SelectMany(e => e.Value)));
    }
}

static class SampleWrites
{
    public static Task AddAsync(this ProposalStore store, Proposal p, CancellationToken ct) => store.AddAsync(p, p.Receipt().Sha256, null, ct);
    public static Task AddAsync(this CommentStore store, Comment c, CancellationToken ct) => store.AddAsync(c, c.Receipt().Sha256, null, null, ct);
    public static Task AddAsync(this OpinionStore store, Opinion o, CancellationToken ct) => store.AddAsync(o, o.Receipt().Sha256, null, ct);
}
