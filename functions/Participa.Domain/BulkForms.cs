using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Participa.Domain;

/// <summary>One record of a CSV file: <see cref="Row"/> counts records from the header (1), as a spreadsheet numbers its rows.</summary>
public sealed record CsvRecord(int Row, int Line, IReadOnlyList<string> Fields);

/// <summary>A file that is not CSV as RFC 4180 and Excel write it; the message is in the reader's language.</summary>
public sealed class CsvFormatException(string message) : Exception(message);

/// <summary>
/// Reads CSV as spreadsheets write it: quoted fields with separators, doubled quotes and line breaks inside, CRLF, LF
/// or CR line ends, "," or ";" (Excel in Spanish locales) or a tab, a UTF-8 or UTF-16 byte-order mark, and files
/// saved as Windows-1252 by older Excel versions ("CSV (delimitado por comas)").
/// </summary>
public static class CsvReader
{
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) return Encoding.UTF8.GetString(bytes[3..]);
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) return Encoding.Unicode.GetString(bytes[2..]);
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) return Encoding.BigEndianUnicode.GetString(bytes[2..]);
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            // Not UTF-8: Excel's plain "CSV" is the machine's ANSI code page, Windows-1252 in Spanish and English locales.
            return CodePagesEncodingProvider.Instance.GetEncoding(1252)!.GetString(bytes);
        }
    }

    /// <summary>The separator the header line uses most, outside quotes: ';', ',' or a tab (',' when none).</summary>
    public static char DetectSeparator(string text)
    {
        int commas = 0, semicolons = 0, tabs = 0;
        var quoted = false;
        foreach (var c in text)
        {
            if (c == '"') quoted = !quoted;
            else if (!quoted && c is '\r' or '\n') break;
            else if (!quoted && c == ',') commas++;
            else if (!quoted && c == ';') semicolons++;
            else if (!quoted && c == '\t') tabs++;
        }
        return semicolons > commas && semicolons >= tabs ? ';' : tabs > commas ? '\t' : ',';
    }

    /// <summary>Every record, blank ones (no text in any field) left out; the first is the header.</summary>
    /// <exception cref="CsvFormatException">A quoted field is not closed, or text follows its closing quote.</exception>
    public static List<CsvRecord> Parse(string text, char separator)
    {
        var records = new List<CsvRecord>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1, recordLine = 1, row = 0, i = 0;
        var fieldStarted = false;

        void EndRecord()
        {
            fields.Add(field.ToString());
            field.Clear();
            // A blank line is no form, but it keeps its number: row numbers stay those the spreadsheet shows.
            row++;
            if (fields.Any(f => f.Length > 0)) records.Add(new CsvRecord(row, recordLine, fields.ToArray()));
            fields.Clear();
            fieldStarted = false;
        }

        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"' && !fieldStarted && field.Length == 0)
            {
                var openedOn = line;
                i++;
                while (true)
                {
                    if (i >= text.Length) throw new CsvFormatException(Localized.Format(Messages.BulkQuoteNotClosed, openedOn));
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n'))) line++;
                    field.Append(text[i++]);
                }
                fieldStarted = true;
                if (i < text.Length && text[i] != separator && text[i] is not ('\r' or '\n'))
                    throw new CsvFormatException(Localized.Format(Messages.BulkTextAfterQuote, line));
                continue;
            }
            if (c == separator)
            {
                fields.Add(field.ToString());
                field.Clear();
                fieldStarted = false;
                i++;
            }
            else if (c is '\r' or '\n')
            {
                EndRecord();
                i += c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
                line++;
                recordLine = line;
            }
            else
            {
                field.Append(c);
                fieldStarted = true;
                i++;
            }
        }
        if (fieldStarted || field.Length > 0 || fields.Count > 0) EndRecord();
        return records;
    }
}

public static class FormKinds
{
    public const string Proposal = "proposal";
    public const string Opinion = "opinion";
}

/// <summary>One data row of a bulk file, read into the same input a citizen's form sends.</summary>
public sealed record FormRow(int Row, string Kind, ProposalInput? Proposal, OpinionInput? Opinion, string Canonical, Errors Errors);

/// <summary>
/// Paper forms typed into a spreadsheet (docs/bulk-entry.md): the columns are the API's field names, or their Spanish
/// names; case, accents, spaces, dashes and underscores in a header do not matter. Each row becomes a
/// <see cref="ProposalInput"/> or an <see cref="OpinionInput"/>, validated later exactly as a citizen's.
/// </summary>
public static class BulkForms
{
    /// <summary>The columns in template order, with the Spanish header the template uses.</summary>
    public static readonly IReadOnlyList<(string Field, string Spanish)> Columns =
    [
        ("kind", "tipo"), ("title", "titulo"), ("problem", "problema"), ("proposedSolution", "solucion"), ("theme", "tema"),
        ("position", "postura"), ("article", "articulo"), ("reasons", "razones"),
        ("department", "departamento"), ("municipality", "municipio"), ("sector", "sector"), ("gender", "genero"), ("ageBand", "edad"),
        ("authorName", "nombre"), ("authorOrganisation", "organizacion"), ("authorEmail", "correo"), ("showName", "mostrarNombre"),
    ];

    static readonly Dictionary<string, string> Headers = BuildHeaders();

    static Dictionary<string, string> BuildHeaders()
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (field, spanish) in Columns)
        {
            headers[Normalise(field)] = field;
            headers[Normalise(spanish)] = field;
        }
        // Other names people give the same columns.
        foreach (var (alias, field) in new[]
        {
            ("solucionpropuesta", "proposedSolution"), ("eje", "theme"), ("posicion", "position"), ("motivos", "reasons"),
            ("razonamiento", "reasons"), ("rangodeedad", "ageBand"), ("organisation", "authorOrganisation"), ("name", "authorName"),
            ("email", "authorEmail"), ("correoelectronico", "authorEmail"), ("organization", "authorOrganisation"), ("authororganization", "authorOrganisation"),
        })
            headers[alias] = field;
        return headers;
    }

    /// <summary>Lowercase, without accents, spaces, dashes, underscores or dots: "Solución propuesta" is "solucionpropuesta".</summary>
    static string Normalise(string header)
    {
        var sb = new StringBuilder();
        foreach (var c in header.Trim().Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark || c is ' ' or '-' or '_' or '.') continue;
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    /// <summary>The field each column holds; or why the header is not one this reads (the file is refused then).</summary>
    public static (IReadOnlyList<string>? Fields, string? Problem) ReadHeader(IReadOnlyList<string> header)
    {
        var fields = new List<string>(header.Count);
        foreach (var h in header)
        {
            if (!Headers.TryGetValue(Normalise(h), out var field))
                return (null, Localized.Format(Messages.BulkUnknownColumn, h, string.Join(", ", Columns.Select(c => c.Field))));
            if (fields.Contains(field)) return (null, Localized.Format(Messages.BulkDuplicateColumn, h));
            fields.Add(field);
        }
        // Without a kind column, the columns must tell: a title makes proposals, a position opinions.
        if (!fields.Contains("kind") && fields.Contains("title") == fields.Contains("position"))
            return (null, Messages.BulkKindUnknown);
        return (fields, null);
    }

    public static FormRow Read(CsvRecord record, IReadOnlyList<string> fields)
    {
        var errors = new Errors();
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < Math.Min(record.Fields.Count, fields.Count); i++)
            values[fields[i]] = string.IsNullOrWhiteSpace(record.Fields[i]) ? null : record.Fields[i].Trim();
        if (record.Fields.Count > fields.Count && record.Fields.Skip(fields.Count).Any(f => f.Trim().Length > 0))
            errors.Add("row", Localized.Format(Messages.BulkRowCells, record.Fields.Count, fields.Count));
        string? V(string field) => values.GetValueOrDefault(field);

        var kind = Kind(V("kind"), fields, errors);
        var showName = ShowName(V("showName"), errors);
        ProposalInput? proposal = null;
        OpinionInput? opinion = null;
        if (kind == FormKinds.Proposal)
            proposal = new ProposalInput
            {
                Title = V("title"), Problem = V("problem"), ProposedSolution = V("proposedSolution"), Theme = V("theme"),
                Department = V("department"), Municipality = V("municipality"), Sector = V("sector"), Gender = V("gender"), AgeBand = V("ageBand"),
                AuthorName = V("authorName"), AuthorOrganisation = V("authorOrganisation"), AuthorEmail = V("authorEmail"), ShowName = showName,
            };
        else if (kind == FormKinds.Opinion)
            opinion = new OpinionInput
            {
                Position = Position(V("position")), Article = V("article"), Reasons = V("reasons"),
                Department = V("department"), Municipality = V("municipality"), Sector = V("sector"), Gender = V("gender"), AgeBand = V("ageBand"),
                AuthorName = V("authorName"), AuthorOrganisation = V("authorOrganisation"), AuthorEmail = V("authorEmail"), ShowName = showName,
            };
        // The same form whatever the column order, separator, header language or spelling of "sí": what makes it "the same row" when a file is sent again.
        values["kind"] = kind;
        values["showName"] = showName?.ToString(CultureInfo.InvariantCulture);
        if (opinion is not null) values["position"] = opinion.Position;
        var canonical = string.Join('\u001f', values.Where(kv => kv.Value is not null).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value));
        return new FormRow(record.Row, kind ?? "", proposal, opinion, canonical, errors);
    }

    /// <summary>
    /// The idempotency key of a row: the process, the meeting and the row's content, and which occurrence of that
    /// content in the file it is (two identical forms are two forms; the same file sent again gives the same keys).
    /// </summary>
    public static string Key(string processId, string? meetingId, string canonical, int occurrence) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"bulk\n{processId}\n{meetingId}\n{occurrence.ToString(CultureInfo.InvariantCulture)}\n{canonical}")));

    static string? Kind(string? value, IReadOnlyList<string> fields, Errors errors)
    {
        if (value is null)
        {
            if (!fields.Contains("kind")) return fields.Contains("title") ? FormKinds.Proposal : FormKinds.Opinion;
            errors.Add("kind", Localized.Format(Messages.RequiredOneOf, "proposal, opinion"));
            return null;
        }
        switch (Normalise(value))
        {
            case "proposal" or "propuesta": return FormKinds.Proposal;
            case "opinion": return FormKinds.Opinion;
            default:
                errors.Add("kind", Localized.Format(Messages.OneOf, "proposal, opinion"));
                return null;
        }
    }

    /// <summary>The API's ids, or the Spanish words on a paper form; anything else is left for the opinion's validation to refuse.</summary>
    static string? Position(string? value) => value is null ? null : Normalise(value) switch
    {
        "afavor" => Positions.For,
        "encontra" => Positions.Against,
        "neutral" or "neutro" => Positions.Neutral,
        _ => value,
    };

    static bool? ShowName(string? value, Errors errors)
    {
        if (value is null) return null;
        switch (Normalise(value))
        {
            case "true" or "si" or "yes" or "1" or "x": return true;
            case "false" or "no" or "0": return false;
            default:
                errors.Add("showName", Localized.Format(Messages.OneOf, "sí, no"));
                return null;
        }
    }
}
