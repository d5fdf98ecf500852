using Participa.Domain;

namespace Participa.Tests.Domain;

public class AggregatesAndLedgerTests
{
    static readonly DateTimeOffset T = new(2027, 5, 17, 12, 0, 0, TimeSpan.Zero);

    static StatRecord Proposal(string id, string theme, string department, DateTimeOffset? at = null, string? gender = null) =>
        new(StatKind.Proposal, id, at ?? T, Theme: theme, Department: department, Gender: gender);

    [Fact]
    public void Counting_an_item_in_and_out_leaves_the_state_as_it_was()
    {
        var state = new StatisticsState();
        state.Apply(Proposal("a", "ambiente-clima", "peten"), +1);
        var before = new StatisticsState();
        before.Apply(Proposal("a", "ambiente-clima", "peten"), +1);

        var extra = new StatRecord(StatKind.Opinion, "b", T, Department: "izabal", Article: "art-2", Position: "against");
        state.Apply(extra, +1);
        Assert.False(state.SameCountsAs(before));
        state.Apply(extra, -1);

        Assert.True(state.SameCountsAs(before));
        Assert.Empty(state.PositionsPerArticle);
    }

    [Fact]
    public void Every_breakdown_sums_to_its_total_with_unstated_values_counted()
    {
        var state = new StatisticsState();
        state.Apply(Proposal("a", "ambiente-clima", "peten", gender: "female"), +1);
        state.Apply(Proposal("b", "ambiente-clima", "solola"), +1);
        state.Apply(Proposal("c", "gobierno-digital", "peten", gender: "male"), +1);

        Assert.Equal(3, state.Total(StatKind.Proposal));
        foreach (var dimension in new[] { "theme", "department", "gender", "sector", "ageBand", "day" })
            Assert.Equal(3, state.Breakdown(StatKind.Proposal, dimension).Values.Sum());
        Assert.Equal(1, state.Breakdown(StatKind.Proposal, "gender")["unstated"]);
        Assert.Equal(2, state.Breakdown(StatKind.Proposal, "department")["peten"]);
    }

    [Theory]
    [InlineData("2027-05-18T05:59:59Z", "2027-05-17")]
    [InlineData("2027-05-18T06:00:00Z", "2027-05-18")]
    public void Days_are_guatemala_days(string utc, string day) =>
        Assert.Equal(day, StatisticsState.LocalDay(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Comments_count_per_section_and_version_and_opinions_per_article()
    {
        var state = new StatisticsState();
        state.Apply(new StatRecord(StatKind.Comment, "1", T, DocumentId: "borrador", Version: 1, Section: "c1"), +1);
        state.Apply(new StatRecord(StatKind.Comment, "2", T, DocumentId: "borrador", Version: 2, Section: "c1"), +1);
        state.Apply(new StatRecord(StatKind.Comment, "3", T, DocumentId: "borrador", Version: 2), +1);
        state.Apply(new StatRecord(StatKind.Opinion, "4", T, Position: "for"), +1);
        state.Apply(new StatRecord(StatKind.Opinion, "5", T, Article: "art-1", Position: "for"), +1);

        Assert.Equal(1, state.CommentsPerSection["borrador/1/c1"]);
        Assert.Equal(1, state.CommentsPerSection["borrador/2/c1"]);
        Assert.Equal(1, state.CommentsPerSection["borrador/2/-"]);
        Assert.Equal(1, state.PositionsPerArticle["-"]["for"]);
        Assert.Equal(1, state.PositionsPerArticle["art-1"]["for"]);
    }

    static List<LedgerEntry> Entries(int n) =>
        Enumerable.Range(0, n).Select(i => new LedgerEntry(Ids.New(T.AddSeconds(i)), Convert.ToHexStringLower(Ledger.Hash(BitConverter.GetBytes(i))), i % 7 == 3 ? "hidden" : "published"))
            .OrderBy(e => e.Id, StringComparer.Ordinal).ToList();

    [Fact]
    public void Every_receipt_proves_its_inclusion_in_the_root_for_trees_of_any_size()
    {
        for (var n = 1; n <= 33; n++)
        {
            var entries = Entries(n);
            var root = Ledger.Root(entries);
            for (var i = 0; i < n; i++)
                Assert.True(Ledger.Verify(entries[i], Ledger.Proof(entries, i), root), $"n={n} i={i}");
        }
    }

    [Fact]
    public void A_tampered_deleted_or_restated_receipt_does_not_verify()
    {
        var entries = Entries(20);
        var root = Ledger.Root(entries);
        var proof = Ledger.Proof(entries, 5);

        Assert.False(Ledger.Verify(entries[5] with { Sha256 = entries[6].Sha256 }, proof, root));
        Assert.False(Ledger.Verify(entries[5] with { State = entries[5].State == "hidden" ? "published" : "hidden" }, proof, root));
        Assert.False(Ledger.Verify(entries[5], Ledger.Proof(entries, 6), root));

        var withoutOne = entries.Where((_, i) => i != 12).ToList();
        Assert.NotEqual(root, Ledger.Root(withoutOne));
        // A proof made against the shrunken ledger does not match the published root either.
        Assert.False(Ledger.Verify(withoutOne[5], Ledger.Proof(withoutOne, 5), root));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void A_paged_ledger_gives_the_roots_and_proofs_of_the_whole_tree_through_appends_inserts_and_state_changes(int pageSize)
    {
        var random = new Random(6962 + pageSize);
        var whole = new SortedDictionary<string, LedgerEntry>(StringComparer.Ordinal);
        var stored = new Dictionary<string, List<LedgerEntry>>(StringComparer.Ordinal); // page root -> receipts, as storage keeps them
        IReadOnlyList<LedgerPage> index = [];
        var seconds = 0;
        for (var run = 0; run < 12; run++)
        {
            // Mostly new receipts, now and then one older than some stored ones, and state changes of stored ones.
            var changes = new List<LedgerEntry>();
            for (var i = random.Next(0, 7); i > 0; i--)
                changes.Add(Entry(random.Next(5) == 0 && seconds > 0 ? random.Next(seconds) * 1000 + 500 : ++seconds * 1000));
            foreach (var id in whole.Keys.OrderBy(_ => random.Next()).Take(random.Next(3)))
                changes.Add(whole[id] with { State = whole[id].State == LedgerEntry.Published ? LedgerEntry.Hidden : LedgerEntry.Published });

            var ledger = new PagedLedger(index, pageSize);
            var ids = changes.Select(c => c.Id).ToList();
            while (ledger.PagesFor(ids) is { Count: > 0 } needed)
                foreach (var page in needed) ledger.Load(page, stored[ledger.Pages[page].Root]);
            foreach (var change in changes)
            {
                ledger.Set(change);
                whole[change.Id] = change;
            }
            var (written, replaced) = ledger.Seal();
            foreach (var (page, entries) in written) stored[page.Root] = entries.ToList();
            foreach (var root in replaced) stored.Remove(root);
            index = ledger.Pages.ToList();

            var all = whole.Values.ToList();
            Assert.Equal(Ledger.Root(all), ledger.Root());
            Assert.Equal(Ledger.Root(all), PagedLedger.Build(all.AsEnumerable().Reverse(), pageSize).Root());
            Assert.Equal(index.Select(p => p.Root).Order(), stored.Keys.Order());
            Assert.Equal(all, index.SelectMany(p => stored[p.Root]));
            Assert.All(index.SkipLast(1), p => Assert.Equal(pageSize, p.Count));
            for (var i = 0; i < all.Count; i++)
            {
                var reader = new PagedLedger(index, pageSize);
                var page = reader.PageOf(all[i].Id);
                reader.Load(page, stored[index[page].Root]);
                var (entry, at, proof) = reader.Find(all[i].Id)!.Value;
                Assert.Equal((all[i], (long)i), (entry, at));
                Assert.Equal(Ledger.Proof(all, i), proof);
            }
        }

        LedgerEntry Entry(int milliseconds) =>
            new(Ids.New(T.AddMilliseconds(milliseconds)), Convert.ToHexStringLower(Ledger.Hash(BitConverter.GetBytes(milliseconds))), LedgerEntry.Published);
    }

    [Fact]
    public void A_stored_page_round_trips()
    {
        var entries = Entries(5);
        Assert.Equal(entries, PagedLedger.FromBytes(PagedLedger.ToBytes(entries)));
        Assert.Throws<InvalidDataException>(() => PagedLedger.FromBytes(new byte[50]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PagedLedger(pageSize: 6));
    }

    [Fact]
    public void The_root_is_the_same_for_the_same_receipts()
    {
        Assert.Equal(64, Ledger.Root(Entries(10)).Length);
        var entries = Entries(10);
        Assert.Equal(Ledger.Root(entries), Ledger.Root(entries.ToList()));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData([])), Ledger.Root([]));
    }
}

public class JournalRowTests
{
    /// <summary>
    /// Azure Tables caps a string column at 64 KiB (32K UTF-16 characters); Azurite does not, so the limit is checked
    /// here: a full batch of the longest possible attendance records must fit the one journal row of its transaction.
    /// </summary>
    [Fact]
    public void A_full_attendance_batch_of_the_longest_records_fits_one_string_column()
    {
        static string Longest(IEnumerable<string> ids) => ids.MaxBy(id => id.Length)!;
        var at = new DateTimeOffset(2027, 12, 31, 23, 59, 59, TimeSpan.Zero);
        var records = Enumerable.Range(0, Attendee.BatchMax).Select(_ => new StatRecord(StatKind.Attendance, Ids.New(at), at, Theme: new string('t', 63),
            Department: Longest(Departments.All.Select(d => d.Id)), Sector: Longest(Profile.Sectors.Select(c => c.Id)), Gender: Longest(Profile.Genders.Select(c => c.Id)),
            Meeting: Ids.New(at)));

        var row = Participa.Storage.Journal.Row("p", Ids.New(at), records, +1);

        Assert.InRange(row.GetString("Stats").Length, 1, 32 * 1024);
    }
}

public class DisclosureTests
{
    static IReadOnlySet<string> Suppressed(params (string Key, long Count)[] cells) =>
        Disclosure.Suppressed(cells.Select(c => KeyValuePair.Create(c.Key, c.Count)));

    [Fact]
    public void Counts_of_one_or_two_are_withheld_and_zeros_and_larger_counts_shown() =>
        Assert.Equal(["a", "b"], Suppressed(("a", 1), ("b", 2), ("c", 3), ("d", 0), ("e", 7)).Order());

    [Fact]
    public void A_lone_small_count_takes_the_next_smallest_with_it_so_the_total_cannot_reveal_it() =>
        Assert.Equal(["a", "c"], Suppressed(("a", 1), ("b", 9), ("c", 4), ("d", 0)).Order());

    [Fact]
    public void A_table_whose_total_is_below_the_minimum_is_withheld_whole() =>
        Assert.Equal(["a"], Suppressed(("a", 2), ("b", 0)));

    [Fact]
    public void Nothing_is_withheld_when_every_count_is_large_enough() =>
        Assert.Empty(Suppressed(("a", 3), ("b", 12), ("c", 0)));
}

public class FunnelCountingTests
{
    static readonly DateTimeOffset T = new(2027, 5, 17, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_outcome_change_moves_a_proposal_between_stages_in_the_process_its_theme_and_its_roundtable()
    {
        var state = new StatisticsState();
        var received = new StatRecord(StatKind.Proposal, "p", T, Theme: "ambiente-clima", Meeting: "m");
        state.Apply(received, +1);
        state.Apply(new StatRecord(StatKind.Proposal, "q", T, Theme: "gobierno-digital"), +1);
        // What OutcomeStore journals: the old record out, the new one in.
        state.Apply(received, -1);
        state.Apply(received with { Outcome = OutcomeStatus.Adopted }, +1);

        Assert.Equal(new Funnel(2, 1, 0, 1, 0, 0), Funnel.From(state.Process));
        Assert.Equal(new Funnel(1, 0, 0, 1, 0, 0), Funnel.From(state.Scope(StatisticsState.ThemeScope("ambiente-clima"))!));
        Assert.Equal(new Funnel(1, 0, 0, 1, 0, 0), Funnel.From(state.Scope(StatisticsState.MeetingScope("m"))!));
        Assert.Equal(new Funnel(1, 1, 0, 0, 0, 0), Funnel.From(state.Scope(StatisticsState.ThemeScope("gobierno-digital"))!));
    }

    [Fact]
    public void Top_proposals_are_the_published_ones_by_supports_and_keep_supports_across_a_hide()
    {
        var state = new StatisticsState();
        var a = new StatRecord(StatKind.Proposal, "a", T);
        state.Apply(a, +1);
        state.Apply(new StatRecord(StatKind.Proposal, "b", T), +1);
        foreach (var (proposal, n) in new[] { ("a", 3), ("b", 1) })
            for (var i = 0; i < n; i++) state.Apply(new StatRecord(StatKind.Support, $"{proposal}{i}", T, ProposalId: proposal), +1);

        Assert.Equal([("a", 3L), ("b", 1L)], state.Process.TopProposals(10));
        state.Apply(a, -1);
        Assert.Equal([("b", 1L)], state.Process.TopProposals(10));
        state.Apply(a, +1);
        Assert.Equal([("a", 3L), ("b", 1L)], state.Process.TopProposals(10));
    }
}
