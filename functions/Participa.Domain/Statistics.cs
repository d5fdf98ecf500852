namespace Participa.Domain;

public sealed record ThemeCount(string Theme, string Name, int Count);
public sealed record DepartmentCount(string Department, int Code, string Name, int Count);
public sealed record Totals(int Proposals);

/// <summary>
/// The published statistics of one process. Deterministic for the same records (no generation time inside), so an
/// unchanged process publishes byte-identical output and nothing is rewritten.
/// </summary>
public sealed record ProcessStatistics(
    string ProcessId,
    string Title,
    bool IsSample,
    string Licence,
    string? LastSubmissionAt,
    Totals Totals,
    IReadOnlyList<ThemeCount> ProposalsByTheme,
    IReadOnlyList<DepartmentCount> ProposalsByDepartment);

/// <summary>Counts proposals as they stream past; every figure comes from records, none is typed in.</summary>
public sealed class StatisticsBuilder(Process process)
{
    readonly Dictionary<string, int> _byTheme = new(StringComparer.Ordinal);
    readonly Dictionary<string, int> _byDepartment = new(StringComparer.Ordinal);
    int _proposals;
    DateTimeOffset? _last;

    public void AddProposal(string theme, string department, DateTimeOffset submittedAt)
    {
        _proposals++;
        _byTheme[theme] = _byTheme.GetValueOrDefault(theme) + 1;
        _byDepartment[department] = _byDepartment.GetValueOrDefault(department) + 1;
        if (_last is null || submittedAt > _last) _last = submittedAt;
    }

    public ProcessStatistics Build()
    {
        // Every theme and department is listed, with zeros, so consumers see where nobody took part.
        var themes = process.Themes.Select(t => new ThemeCount(t.Id, t.Name, _byTheme.GetValueOrDefault(t.Id))).ToList();
        // A theme removed from the process after items were filed under it still counts.
        themes.AddRange(_byTheme.Keys.Where(k => process.FindTheme(k) is null).Order(StringComparer.Ordinal)
            .Select(k => new ThemeCount(k, k, _byTheme[k])));
        var departments = Departments.All
            .Select(d => new DepartmentCount(d.Id, d.Code, d.Name, _byDepartment.GetValueOrDefault(d.Id)))
            .ToList();
        return new ProcessStatistics(
            process.Id, process.Title, process.IsSample, "CC-BY-4.0",
            _last is null ? null : Timestamps.Format(_last.Value),
            new Totals(_proposals), themes, departments);
    }
}
