namespace Participa.Domain;

/// <summary>
/// Every published opinion of a bill as grouping sees it (id, position, time, text hash; one sketch per distinct
/// text), kept from the statistics journal so that grouping reads one blob instead of every opinion's row. Applying a
/// change is idempotent (a set by id): a change seen twice, or a state built from rows that already include a change
/// replayed later, ends the same.
/// </summary>
public sealed class CampaignState
{
    const int FormatVersion = 1;

    readonly record struct Member(string? TextHash, string Position, DateTimeOffset SubmittedAt);

    readonly Dictionary<string, Member> _members = new(StringComparer.Ordinal);
    readonly Dictionary<string, byte[]> _sketches = new(StringComparer.Ordinal);

    /// <summary>The last journal entry applied (or the bound a rebuild from the rows was taken at).</summary>
    public string? Watermark { get; set; }

    /// <summary>Published opinions, with or without reasons.</summary>
    public int Opinions => _members.Count;

    public bool Contains(string id) => _members.ContainsKey(id);

    /// <summary>Counts an opinion in (+1) or out (-1). <paramref name="features"/> is null for an opinion without reasons.</summary>
    public void Apply(string id, string position, DateTimeOffset submittedAt, TextFeatures? features, int sign)
    {
        if (sign < 0)
        {
            _members.Remove(id);
            return;
        }
        if (features is not null && features.Sketch.Length == Campaigns.Hashes * 2) _sketches.TryAdd(features.TextHash, features.Sketch);
        else features = null;
        _members[id] = new Member(features?.TextHash, position, submittedAt);
    }

    /// <summary>An opinion's record from the journal; records of other kinds are not this state's business.</summary>
    public void Apply(StatRecord stat, int sign) => Apply(stat.Id, stat.Position ?? "", stat.SubmittedAt, FeaturesOf(stat), sign);

    /// <summary>The features a record carries; null when it has none (no reasons, or written before records carried them).</summary>
    public static TextFeatures? FeaturesOf(StatRecord stat) =>
        stat is { TextHash: { } hash, Sketch: { } sketch } ? new TextFeatures(hash, Convert.FromBase64String(sketch)) : null;

    /// <summary>The opinions with reasons, as <see cref="Campaigns.Group"/> takes them.</summary>
    public IEnumerable<CampaignMember> Members() =>
        _members.Where(m => m.Value.TextHash is not null)
            .Select(m => new CampaignMember(m.Key, m.Value.Position, m.Value.SubmittedAt, m.Value.TextHash!, _sketches[m.Value.TextHash!]));

    /// <summary>A compact binary form (about 52 bytes an opinion, 145 a distinct text); sketches no opinion uses are dropped.</summary>
    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream))
        {
            w.Write(FormatVersion);
            w.Write(Watermark ?? "");
            var hashes = _members.Values.Select(m => m.TextHash).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            w.Write(hashes.Count);
            foreach (var hash in hashes)
            {
                index[hash] = index.Count;
                w.Write(hash);
                w.Write(_sketches[hash]);
            }
            w.Write(_members.Count);
            foreach (var (id, m) in _members)
            {
                w.Write(id);
                w.Write(m.TextHash is null ? -1 : index[m.TextHash]);
                w.Write(m.Position);
                w.Write(m.SubmittedAt.ToUnixTimeMilliseconds());
            }
        }
        return stream.ToArray();
    }

    public static CampaignState FromBytes(ReadOnlyMemory<byte> bytes)
    {
        using var r = new BinaryReader(new MemoryStream(bytes.ToArray(), writable: false));
        if (r.ReadInt32() != FormatVersion) throw new InvalidDataException("Unknown campaign state format.");
        var state = new CampaignState();
        var watermark = r.ReadString();
        state.Watermark = watermark.Length == 0 ? null : watermark;
        var hashes = new string[r.ReadInt32()];
        for (var i = 0; i < hashes.Length; i++)
        {
            hashes[i] = r.ReadString();
            state._sketches[hashes[i]] = r.ReadBytes(Campaigns.Hashes * 2);
        }
        var members = r.ReadInt32();
        state._members.EnsureCapacity(members);
        for (var i = 0; i < members; i++)
        {
            var id = r.ReadString();
            var hash = r.ReadInt32();
            var position = r.ReadString();
            state._members[id] = new Member(hash < 0 ? null : hashes[hash], position, DateTimeOffset.FromUnixTimeMilliseconds(r.ReadInt64()));
        }
        return state;
    }
}
