using System.Globalization;

// scripts/bench.sh: issue 14's benchmark (Suite.cs) unless a sub-mode is named.
static class Benchmarks
{
    static async Task<int> Main(string[] args)
    {
        int Size(int fallback) => args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : fallback;
        return args switch
        {
            ["statistics", ..] => await StatisticsBenchmark.RunAsync(Size(100_000)),
            ["backup", ..] => await BackupBenchmark.RunAsync(Size(20_000)),
            ["campaigns", ..] => await CampaignBenchmark.RunAsync(Size(100_000)),
            ["bulk", ..] => await BulkBenchmark.RunAsync(Size(5000)),
            ["start", ..] => await Suite.ColdStartsAsync(Size(5)),
            ["load", ..] => await Suite.LoadAsync(Size(60), args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 16),
            _ => await Suite.RunAsync(args),
        };
    }
}
