namespace Participa.Domain;

/// <summary>Field-level validation errors, keyed by the field name the client sent (camelCase).</summary>
public sealed class Errors
{
    readonly Dictionary<string, List<string>> _byField = new(StringComparer.Ordinal);

    public bool Any => _byField.Count > 0;

    public void Add(string field, string message)
    {
        if (!_byField.TryGetValue(field, out var list))
            _byField[field] = list = [];
        list.Add(message);
    }

    public IDictionary<string, string[]> ToDictionary() =>
        _byField.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
}
