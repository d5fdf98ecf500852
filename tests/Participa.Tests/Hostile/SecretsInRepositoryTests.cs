using System.Diagnostics;
using System.Text.RegularExpressions;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Hostile;

/// <summary>
/// No connection string, key or token in the repository: every tracked file is scanned. The one key allowed is
/// Azurite's well-known development key, which is public and works only against the emulator.
/// </summary>
public partial class SecretsInRepositoryTests
{
    const string AzuriteKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    [Fact]
    public void No_tracked_file_holds_a_connection_string_or_a_key()
    {
        var files = TrackedFiles();
        Assert.True(files.Count > 100, "git listed too few files: " + files.Count);
        var findings = new List<string>();
        foreach (var file in files)
        {
            var path = Path.Combine(Azurite.RepositoryRoot, file);
            if (!File.Exists(path) || new FileInfo(path).Length > 5_000_000) continue;
            var text = File.ReadAllText(path);
            if (text.Contains('\0')) continue; // binary
            foreach (var finding in Find(text))
                findings.Add($"{file}: {finding}");
        }
        Assert.True(findings.Count == 0, "Secrets in tracked files (move them to app settings or a key vault):\n" + string.Join("\n", findings));
    }

    [Theory]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=prod;Account|Key=c2VjcmV0c2VjcmV0c2Vj|cmV0c2VjcmV0c2VjcmV0c2VjcmV0MTIzNA==;EndpointSuffix=core.windows.net")]
    [InlineData("BlobEndpoint=https://x.blob.core.windows.net/;SharedAccess|Signature=sv=2022-11-02&ss=b&s|ig=abc%2Bdef")]
    [InlineData("https://x.blob.core.windows.net/c?sv=2022-11-02&se=2030-01-01&sp=r&s|ig=Zm9vYmFyYmF6cXV4Zm9v|YmFyYmF6cXV4MTIzNDU2Nzg%3D")]
    [InlineData("-----BEGIN RSA PRIVATE| KEY-----\nMIIEow...")]
    [InlineData("-----BEGIN PRIVATE| KEY-----")]
    [InlineData("\"key\": \"q7Vt9mXw2LpZr4Ks8NbYc1Hd6Jf3Ga0|Qe5Ru7Ti9Wo2Xs4Zv6Bn8Mm1Pl3Kk5Jj7\"")]
    [InlineData("Participa__ParticipantTokenKey=3q2+7w8YfRk6Vb1mLz0p|Qa9sXc4nJt5uHy2gEi8oWk0=")]
    // The planted secrets are split with '|' so that this file, which the scan reads too, holds none of them.
    public void The_scan_finds_planted_secrets(string text) => Assert.NotEmpty(Find(text.Replace("|", "", StringComparison.Ordinal)));

    [Theory]
    [InlineData("AccountName=devstoreaccount1;AccountKey=" + AzuriteKey)]
    [InlineData("\"integrity\": \"sha512-7u2aFq1xBmO3+qk0A4WlQeU7ZtM3Gfq6N1p9P5K2o8xzYvDh8bJk1mN2cV0aQ4sT6rE3wY9uI5oP7lK3jH2gF1dA==\"")]
    [InlineData("var hash = \"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\";")]
    [InlineData("AccountKey=\" + key + \"")]
    public void The_scan_lets_known_public_values_through(string text) => Assert.Empty(Find(text));

    static IEnumerable<string> Find(string text)
    {
        foreach (Match m in AccountKey().Matches(text))
            if (m.Groups[1].Value != AzuriteKey) yield return "AccountKey=" + Mask(m.Groups[1].Value);
        foreach (Match m in SharedAccessSignature().Matches(text)) yield return Mask(m.Value);
        foreach (Match m in SasSignature().Matches(text)) yield return "sig=" + Mask(m.Groups[1].Value);
        foreach (Match m in PrivateKey().Matches(text)) yield return m.Value;
        foreach (Match m in LongBase64().Matches(text))
        {
            var value = m.Value;
            // Package integrity hashes (npm's sha512-…) are public; a secret is a run of mixed case and digits.
            var before = text[Math.Max(0, m.Index - 8)..m.Index];
            if (value == AzuriteKey || before.Contains("sha", StringComparison.Ordinal)) continue;
            if (value.Any(char.IsUpper) && value.Any(char.IsLower) && value.Any(char.IsDigit) && Entropy(value) > 4.5)
                yield return "a long base64 value " + Mask(value);
        }
    }

    static string Mask(string secret) => secret.Length <= 8 ? "…" : secret[..4] + "…";

    static double Entropy(string s) => -s.GroupBy(c => c).Select(g => (double)g.Count() / s.Length).Sum(p => p * Math.Log2(p));

    static List<string> TrackedFiles()
    {
        var git = Process.Start(new ProcessStartInfo("git", "ls-files -z")
        {
            WorkingDirectory = Azurite.RepositoryRoot, RedirectStandardOutput = true, UseShellExecute = false,
        })!;
        var listed = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        Assert.Equal(0, git.ExitCode);
        return listed.Split('\0', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    [GeneratedRegex(@"AccountKey=([A-Za-z0-9+/=]{20,})")]
    private static partial Regex AccountKey();

    [GeneratedRegex(@"SharedAccessSignature=[^;""'\s]{8,}")]
    private static partial Regex SharedAccessSignature();

    [GeneratedRegex(@"[?&]sig=([A-Za-z0-9%+/=]{16,})")]
    private static partial Regex SasSignature();

    [GeneratedRegex(@"-----BEGIN ([A-Z]+ )?PRIVATE KEY-----")]
    private static partial Regex PrivateKey();

    [GeneratedRegex(@"(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/]{40,}={0,2}(?![A-Za-z0-9+/_-])")]
    private static partial Regex LongBase64();
}
