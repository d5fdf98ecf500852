using Participa.Domain;

namespace Participa.Tests.Domain;

public class StatisticsBuilderTests
{
    [Fact]
    public void Counts_every_theme_and_department_including_zeros()
    {
        var process = SampleData.CoCreation2021;
        var builder = new StatisticsBuilder(process);
        var t0 = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        builder.AddProposal("ambiente-clima", "peten", t0);
        builder.AddProposal("ambiente-clima", "solola", t0.AddHours(2));
        builder.AddProposal("gobierno-digital", "peten", t0.AddHours(1));

        var stats = builder.Build();

        Assert.Equal(3, stats.Totals.Proposals);
        Assert.Equal(process.Themes.Count, stats.ProposalsByTheme.Count);
        Assert.Equal(2, stats.ProposalsByTheme.Single(t => t.Theme == "ambiente-clima").Count);
        Assert.Equal(0, stats.ProposalsByTheme.Single(t => t.Theme == "inclusion-social").Count);
        Assert.Equal(22, stats.ProposalsByDepartment.Count);
        Assert.Equal(2, stats.ProposalsByDepartment.Single(d => d.Department == "peten").Count);
        Assert.Equal(stats.Totals.Proposals, stats.ProposalsByDepartment.Sum(d => d.Count));
        Assert.Equal("2026-03-01T14:00:00.000Z", stats.LastSubmissionAt);
    }

    [Fact]
    public void A_theme_removed_from_the_process_still_counts()
    {
        var builder = new StatisticsBuilder(SampleData.CoCreation2021);
        builder.AddProposal("retirado", "peten", DateTimeOffset.UnixEpoch);
        var stats = builder.Build();
        Assert.Equal(1, stats.ProposalsByTheme.Single(t => t.Theme == "retirado").Count);
        Assert.Equal(stats.Totals.Proposals, stats.ProposalsByTheme.Sum(t => t.Count));
    }

    [Fact]
    public void Same_records_give_identical_statistics()
    {
        StatisticsBuilder Fill()
        {
            var b = new StatisticsBuilder(SampleData.CoCreation2021);
            b.AddProposal("ambiente-clima", "peten", DateTimeOffset.UnixEpoch);
            return b;
        }
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(Fill().Build()), System.Text.Json.JsonSerializer.Serialize(Fill().Build()));
    }
}
