namespace Participa.Tests.Infrastructure;

public static class Recompute
{
    /// <summary>
    /// The nightly recompute compared every process and found nothing to repair. "matched" alone is not enough: a run
    /// that skipped a process as busy says "matched" too, and a byte comparison after it compares unchanged files.
    /// </summary>
    public static void AssertMatchedEveryProcess(string log)
    {
        Assert.Contains("all statistics matched a full recompute", log);
        Assert.DoesNotContain("compared next time", log);
        Assert.DoesNotContain("not compared this time", log);
        Assert.DoesNotContain("another run holds the lease", log);
    }
}
