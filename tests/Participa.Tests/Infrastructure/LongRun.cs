namespace Participa.Tests.Infrastructure;

/// <summary>
/// The long command (scripts/test.sh --long) sets PARTICIPA_LONG_TESTS=1: the generated hostile input runs at its full
/// count and the soak runs. The README's test command runs the short version of each and skips the soak.
/// </summary>
public static class LongRun
{
    public static bool Enabled { get; } = Environment.GetEnvironmentVariable("PARTICIPA_LONG_TESTS") == "1";

    /// <summary>A count from the environment, else the long or the short default.</summary>
    public static int Count(string variable, int shortRun, int longRun) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), out var n) && n > 0 ? n : Enabled ? longRun : shortRun;
}

/// <summary>A test that runs only in the long command.</summary>
public sealed class LongFactAttribute : FactAttribute
{
    public LongFactAttribute()
    {
        if (!LongRun.Enabled) Skip = "long run only: scripts/test.sh --long";
    }
}
