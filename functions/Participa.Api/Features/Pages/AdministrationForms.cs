using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Participa.Domain;
using Participa.Web;
using Participa.Web.Resources;

namespace Participa.Api.Features.Pages;

/// <summary>
/// The administrators' forms as the domain's inputs, and back. Only shape changes here (lines, rows, Guatemala's
/// clock); every rule stays in ProcessInput and DocumentInput, whose error keys are mapped back to the fields shown.
/// </summary>
public static partial class AdministrationForms
{
    static readonly TimeZoneInfo Guatemala = TimeZoneInfo.FindSystemTimeZoneById("America/Guatemala");
    const string LocalTime = "yyyy-MM-dd'T'HH:mm";

    /// <summary>Phase rows shown beyond a process's own: blank ones are ignored when posted.</summary>
    public const int SparePhaseRows = 2;

    /// <summary>A posted process form: the input, and which form row or line each of its list entries came from.</summary>
    public sealed record ParsedProcess(ProcessInput Input, int[] ThemeLines, int[] PhaseRows);

    public static ParsedProcess Process(IFormCollection form)
    {
        var themeLines = new List<int>();
        var themes = new List<ThemeInput>();
        foreach (var (line, i) in Lines(form["themes"].ToString()))
        {
            var parts = line.Split('|', 2, StringSplitOptions.TrimEntries);
            themes.Add(new ThemeInput(parts[0], parts.Length > 1 ? parts[1] : null));
            themeLines.Add(i);
        }
        var phaseRows = new List<int>();
        var phases = new List<PhaseInput>();
        for (var row = 0; row < PhaseRowCount(form); row++)
        {
            string? V(string name) => Html.Value(form, $"phases[{row}].{name}");
            var accepts = form[$"phases[{row}].accepts"].Where(a => !string.IsNullOrEmpty(a)).Select(a => a!).ToList();
            if (V("id") is null && V("name") is null && V("opens") is null && V("closes") is null && accepts.Count == 0) continue;
            phases.Add(new PhaseInput(V("id"), V("name"), LocalToUtc(V("opens")), LocalToUtc(V("closes")), accepts));
            phaseRows.Add(row);
        }
        var input = new ProcessInput(Html.Value(form, "id"), Html.Value(form, "kind"), Html.Value(form, "title"), Html.Value(form, "organiser"),
            Html.Value(form, "description"), themes, phases, form["allowShortConsultation"].ToString() == "true");
        return new ParsedProcess(input, [.. themeLines], [.. phaseRows]);
    }

    /// <summary>The domain's error keys on the form: a phase's on its row, a theme's on the themes box with its line.</summary>
    public static Dictionary<string, string[]> ProcessErrors(IDictionary<string, string[]> errors, ParsedProcess parsed) =>
        Remap(errors, key =>
        {
            if (Indexed().Match(key) is { Success: true } m && int.TryParse(m.Groups[2].Value, CultureInfo.InvariantCulture, out var i))
                return m.Groups[1].Value switch
                {
                    "phases" when i < parsed.PhaseRows.Length => ($"phases[{parsed.PhaseRows[i]}]{m.Groups[3].Value}", null),
                    "themes" when i < parsed.ThemeLines.Length => ("themes", Display.Format(UI.AdminLineError, parsed.ThemeLines[i] + 1)),
                    _ => (m.Groups[1].Value, null),
                };
            return (key, null);
        });

    public static int PhaseRowCount(IFormCollection form) =>
        Math.Min(form.Keys.Select(k => Indexed().Match(k)).Where(m => m.Success && m.Groups[1].Value == "phases")
            .Select(m => int.TryParse(m.Groups[2].Value, CultureInfo.InvariantCulture, out var i) ? i + 1 : 0).DefaultIfEmpty(0).Max(), 40);

    /// <summary>A stored process as the form shows it.</summary>
    public static Dictionary<string, string?> Values(Domain.Process process)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["id"] = process.Id,
            ["kind"] = ProcessInput.Kinds.First(k => k.Value == process.Kind).Key,
            ["title"] = process.Title,
            ["organiser"] = process.Organiser,
            ["description"] = process.Description,
            ["themes"] = string.Join("\n", process.Themes.Select(t => $"{t.Id} | {t.Name}")),
        };
        foreach (var (phase, i) in process.Phases.Select((p, i) => (p, i)))
        {
            values[$"phases[{i}].id"] = phase.Id;
            values[$"phases[{i}].name"] = phase.Name;
            values[$"phases[{i}].opens"] = UtcToLocal(phase.Opens);
            values[$"phases[{i}].closes"] = UtcToLocal(phase.Closes);
            values[$"phases[{i}].accepts"] = string.Join(",", phase.Accepts.Select(a => ProcessInput.SubmissionKinds.First(k => k.Value == a).Key));
        }
        return values;
    }

    /// <summary>A datetime-local value, read as Guatemala's wall clock (UTC-6, no daylight saving today); null when it is not one.</summary>
    public static DateTimeOffset? LocalToUtc(string? value)
    {
        if (!DateTime.TryParseExact(value, [LocalTime, LocalTime + ":ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)) return null;
        return new DateTimeOffset(local, Guatemala.GetUtcOffset(local)).ToUniversalTime();
    }

    public static string UtcToLocal(DateTimeOffset time) => TimeZoneInfo.ConvertTime(time, Guatemala).ToString(LocalTime, CultureInfo.InvariantCulture);

    /// <summary>A posted document form: details (with bill fields only when any is filled, or for a bill), sections and changes as text.</summary>
    public static DocumentInput Document(IFormCollection form, bool details, bool version, string? kind)
    {
        string? V(string name) => Html.Value(form, name);
        var billFields = new[] { "bill.number", "bill.commission", "bill.status", "bill.presentedOn" };
        var bill = kind == "bill" || billFields.Any(f => V(f) is not null)
            ? new BillInput(V("bill.number"), V("bill.commission"), V("bill.status"),
                DateOnly.TryParseExact(V("bill.presentedOn"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null)
            : null;
        return new DocumentInput(V("id"), details ? kind : null, details ? V("title") : null, details ? bill : null,
            version ? Sections(form["sections"].ToString()) : null, version ? Changes(form["changes"].ToString()) : null);
    }

    /// <summary>
    /// Sections as text: each starts with a line "## id | kind | number | title | parent" (number, title and parent may
    /// be empty), then "@name: value" lines for its attributes, then its text up to the next "## ".
    /// </summary>
    public static List<SectionInput> Sections(string text)
    {
        var sections = new List<SectionInput>();
        string[]? header = null;
        Dictionary<string, string>? attributes = null;
        var body = new StringBuilder();
        void Flush()
        {
            if (header is null) return;
            string? At(int i) => i < header.Length && header[i].Length > 0 ? header[i] : null;
            sections.Add(new SectionInput(At(0), At(4), At(1), At(2), At(3), body.ToString().Trim(), attributes));
            (header, attributes) = (null, null);
            body.Clear();
        }
        foreach (var line in text.Replace("\r\n", "\n").Split('\n'))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                Flush();
                header = line[3..].Split('|', 5, StringSplitOptions.TrimEntries);
            }
            else if (header is not null && body.Length == 0 && line.StartsWith('@') && line.IndexOf(':') is > 1 and var colon)
                (attributes ??= new(StringComparer.Ordinal))[line[1..colon].Trim()] = line[(colon + 1)..].Trim();
            else if (header is not null) body.Append(line).Append('\n');
            else if (line.Trim().Length > 0) header = ["", "", "", "", ""]; // Text before the first header: a section without an id, which the domain refuses.
        }
        Flush();
        return sections;
    }

    public static string SectionsText(DocumentVersion version)
    {
        var text = new StringBuilder();
        foreach (var s in version.Sections)
        {
            text.Append("## ").Append(string.Join(" | ", new[] { s.Id, s.Kind, s.Number, s.Title, s.ParentId ?? "" }).TrimEnd(' ', '|')).Append('\n');
            foreach (var (key, value) in s.Attributes ?? new Dictionary<string, string>()) text.Append('@').Append(key).Append(": ").Append(value).Append('\n');
            text.Append(s.Text).Append("\n\n");
        }
        return text.ToString().TrimEnd() + "\n";
    }

    /// <summary>One change a line: "summary" (the whole document), "section | summary" or "section | summary | proposed by".</summary>
    public static List<ChangeInput> Changes(string text) =>
        Lines(text).Select(l => l.Line.Split('|', 3, StringSplitOptions.TrimEntries) switch
        {
            [var summary] => new ChangeInput(null, summary, null),
            [var section, var summary] => new ChangeInput(section.Length > 0 ? section : null, summary, null),
            [var section, var summary, var by] => new ChangeInput(section.Length > 0 ? section : null, summary, by.Length > 0 ? by : null),
            _ => new ChangeInput(null, null, null),
        }).ToList();

    /// <summary>The domain's keys for sections and changes fold into their text box, with the section or line they are about.</summary>
    public static Dictionary<string, string[]> DocumentErrors(IDictionary<string, string[]> errors, DocumentInput input) =>
        Remap(errors, key =>
        {
            if (Indexed().Match(key) is not { Success: true } m || !int.TryParse(m.Groups[2].Value, CultureInfo.InvariantCulture, out var i)) return (key, null);
            return m.Groups[1].Value switch
            {
                "sections" => ("sections", Display.Format(UI.AdminSectionError, i + 1, input.Sections?.ElementAtOrDefault(i)?.Id ?? "")),
                "changes" => ("changes", Display.Format(UI.AdminLineError, i + 1)),
                var field => (field, null),
            };
        });

    static Dictionary<string, string[]> Remap(IDictionary<string, string[]> errors, Func<string, (string Key, string? Prefix)> map)
    {
        var mapped = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (key, messages) in errors)
        {
            var (field, prefix) = map(key);
            if (!mapped.TryGetValue(field, out var list)) mapped[field] = list = [];
            list.AddRange(messages.Select(m => prefix is null ? m : $"{prefix} {m}"));
        }
        return mapped.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
    }

    static IEnumerable<(string Line, int Index)> Lines(string text) =>
        text.Replace("\r\n", "\n").Split('\n').Select((l, i) => (l.Trim(), i)).Where(l => l.Item1.Length > 0);

    [GeneratedRegex(@"^(phases|themes|sections|changes)\[(\d{1,4})\](.*)$")]
    private static partial Regex Indexed();
}
