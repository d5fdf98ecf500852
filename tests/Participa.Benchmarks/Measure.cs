using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

/// <summary>What one timed run of many operations gives: the rate of the ones that succeeded, and their latencies.</summary>
sealed record Run(int Attempted, int Succeeded, double Seconds, double[] LatenciesMs)
{
    public double PerSecond => Succeeded / Seconds;
    public double P(double percentile) => Measure.Percentile(LatenciesMs, percentile);
}

static class Measure
{
    /// <summary>
    /// Runs <paramref name="n"/> operations, <paramref name="concurrency"/> at a time, and times each; an operation
    /// returns false (a 4xx/5xx, say) to be left out of the rate and the latencies.
    /// </summary>
    public static async Task<Run> RunAsync(int n, int concurrency, Func<int, Task<bool>> operation)
    {
        var latencies = new ConcurrentBag<double>();
        var ok = 0;
        var total = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, _) =>
        {
            var started = Stopwatch.GetTimestamp();
            if (!await operation(i)) return;
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            Interlocked.Increment(ref ok);
        });
        var seconds = total.Elapsed.TotalSeconds;
        var sorted = latencies.ToArray();
        Array.Sort(sorted);
        return new Run(n, ok, seconds, sorted);
    }

    /// <summary>
    /// <paramref name="n"/> operations of each of two kinds, in <paramref name="rounds"/> alternating slices (a, b, a,
    /// b...): a machine that drifts (another process, a garbage collection in Azurite) hits both alike.
    /// </summary>
    /// <param name="cpu">Counters sampled around each slice (CPU seconds of some processes); their sums per kind are returned.</param>
    public static async Task<(Run A, Run B, double[] CpuA, double[] CpuB)> AlternateAsync(int rounds, int n, int concurrency, Func<int, Task<bool>> a, Func<int, Task<bool>> b,
        Func<double[]> cpu)
    {
        var (runsA, runsB) = (new List<Run>(), new List<Run>());
        var sums = new Dictionary<bool, double[]>();
        async Task<Run> SliceAsync(Func<int, Task<bool>> operation, int offset, bool isA)
        {
            var before = cpu();
            var run = await RunAsync(n / rounds, concurrency, i => operation(offset + i));
            var after = cpu();
            var total = sums.TryGetValue(isA, out var t) ? t : sums[isA] = new double[before.Length];
            for (var k = 0; k < before.Length; k++) total[k] += after[k] - before[k];
            return run;
        }
        for (var r = 0; r < rounds; r++)
        {
            var offset = r * (n / rounds);
            runsA.Add(await SliceAsync(a, offset, true));
            runsB.Add(await SliceAsync(b, offset, false));
        }
        return (Combine(runsA), Combine(runsB), sums[true], sums[false]);
    }

    static Run Combine(List<Run> runs)
    {
        var latencies = runs.SelectMany(r => r.LatenciesMs).ToArray();
        Array.Sort(latencies);
        return new Run(runs.Sum(r => r.Attempted), runs.Sum(r => r.Succeeded), runs.Sum(r => r.Seconds), latencies);
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(double[] sorted, double percentile) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

    public static async Task<double> SecondsAsync(Func<Task> work)
    {
        var stopwatch = Stopwatch.StartNew();
        await work();
        return stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>The peak resident set of a process so far (Linux VmHWM), in MiB; NaN where /proc is not there.</summary>
    public static double PeakRssMiB(int processId) => ProcStatus(processId, "VmHWM:");

    public static double RssMiB(int processId) => ProcStatus(processId, "VmRSS:");

    /// <summary>CPU seconds a process has used, user and system (Linux /proc/PID/stat, in clock ticks of 1/100 s).</summary>
    public static double CpuSeconds(int processId)
    {
        var path = $"/proc/{processId}/stat";
        if (!File.Exists(path)) return double.NaN;
        var text = File.ReadAllText(path);
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    static double ProcStatus(int processId, string field)
    {
        var path = $"/proc/{processId}/status";
        if (!File.Exists(path)) return double.NaN;
        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
    }
}
