using System.Text;

namespace Participa.Tests.Infrastructure;

/// <summary>A small RFC 4180 reader, to parse published and exported CSV back in tests.</summary>
public static class Rfc4180
{
    public static List<string[]> Parse(byte[] content) => Parse(Encoding.UTF8.GetString(content));

    /// <summary>Records separated by CRLF; quoted fields may hold commas, doubled quotes and line breaks.</summary>
    public static List<string[]> Parse(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                fields.Add(field.ToString());
                field.Clear();
                records.Add([.. fields]);
                fields.Clear();
                i++;
            }
            else field.Append(c);
        }
        // A last record without its CRLF.
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add([.. fields]);
        }
        return records;
    }
}
