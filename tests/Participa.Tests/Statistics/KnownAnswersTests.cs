using System.Globalization;
using System.Net;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Participa.LocalHost;
using Participa.Domain;
using Participa.Storage;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Statistics;

/// <summary>
/// Every process-level breakdown the timer publishes, checked against answers the test works out itself. A seeded
/// generator sends a few hundred submissions through the API; the expected counts are plain LINQ over what was sent
/// (never the domain's Tally or StatisticsState); statistics.json and every CSV must say exactly that, before and after
/// items are hidden and restored; and the nightly full recompute must then agree to the byte.
/// </summary>
public class KnownAnswersTests
{
    const int Seed = 5210;
    const string Draft = "borrador-pan5";
    const int DraftVersion = 2;
    const int TopCount = 20;
    static readonly TimeSpan Guatemala = TimeSpan.FromHours(-6);
    static readonly ParallelOptions Four = new() { MaxDegreeOfParallelism = 4 };

    // The app's clock stands at each of these while a wave is sent, so the day tables cross Guatemala midnights (06:00
    // UTC), a UTC midnight that is not one, and a day with nothing.
    static readonly DateTimeOffset[] Waves =
    [
        new(2027, 3, 1, 5, 59, 59, 999, TimeSpan.Zero), // 28 February in Guatemala
        new(2027, 3, 1, 6, 0, 0, TimeSpan.Zero),        // 1 March
        new(2027, 3, 2, 3, 0, 0, TimeSpan.Zero),        // still 1 March in Guatemala
        new(2027, 3, 2, 6, 0, 0, TimeSpan.Zero),        // 2 March
        new(2027, 3, 4, 17, 30, 0, TimeSpan.Zero),      // 4 March; nothing on the 3rd
    ];

    static readonly (string Value, string Label)[] Outcomes =
    [
        (OutcomeStatus.Received, "Recibida, sin decisión"), (OutcomeStatus.UnderReview, "En revisión"), (OutcomeStatus.Adopted, "Incorporada a un compromiso"),
        (OutcomeStatus.Merged, "Fusionada con otra propuesta"), (OutcomeStatus.NotAdopted, "No incorporada"),
    ];

    static readonly string[] People = ["department", "sector", "gender", "age-band"];
    static readonly string[] Kinds = ["proposals", "comments", "opinions", "supports", "attendance", "reports", "decisions"];

    enum ItemKind { Proposal, Comment, Opinion, Support }

    sealed record Person(string? Department, string? Sector, string? Gender, string? AgeBand);

    /// <summary>One generated submission; the process, id and time are filled in from its 201.</summary>
    sealed class Item
    {
        public required ItemKind Kind { get; init; }
        public required int Wave { get; init; }
        /// <summary>0: needs nothing sent before; 1: a support or a reply to a first comment; 2: a reply to a reply.</summary>
        public int Stage { get; init; }
        public Person Person { get; init; } = new(null, null, null, null);
        public string? Theme { get; init; }
        /// <summary>A section of the draft; null for a comment on the draft as a whole.</summary>
        public string? Section { get; init; }
        public string? Article { get; init; }
        public string? Position { get; init; }
        /// <summary>The proposal a support is for, or the comment a reply answers.</summary>
        public Item? Parent { get; init; }
        public string ProcessId { get; set; } = "";
        public string Id { get; set; } = "";
        public DateTimeOffset At { get; set; }

        public Item Root => Kind == ItemKind.Comment && Parent is not null ? Parent.Root : this;
        public bool IsReply => Kind == ItemKind.Comment && Parent is not null;
    }

    [Fact]
    public async Task Every_breakdown_matches_answers_worked_out_from_generated_submissions_before_and_after_hiding_and_the_recompute_agrees_to_the_byte()
    {
        // Each support needs its own participant token: far more than the 20 an address may mint in an hour.
        await using var app = await ParticipaApp.StartAsync(Waves[0], new() { ["RateLimits:ParticipantTokensPerHour"] = "100000" });
        var plan = await app.AddCoCreationWithDraftAsync();
        var bill = await app.AddBillProcessAsync();
        var random = new Random(Seed);
        var items = Generate(random);
        await SendAllAsync(app, plan, bill, items);
        Assert.Equal(Waves, items.Select(i => i.At).Distinct().Order());

        await RunAsync(app, "PublishStatistics");
        await CheckAsync(app, plan, items, Utc(Waves[^1]));
        await CheckAsync(app, bill, items, Utc(Waves[^1]));

        // Hide a random part of everything, and surely the two most supported proposals and the most answered thread's
        // first comment, so both top lists change; then restore some, the second most supported among them, whose
        // supports come back with it.
        var bySupports = items.Where(i => i.Kind == ItemKind.Support).CountBy(i => i.Parent!).OrderByDescending(kv => kv.Value).Select(kv => kv.Key).ToList();
        var (mostSupported, runnerUp) = (bySupports[0], bySupports[1]);
        var mostAnswered = items.Where(i => i.IsReply).CountBy(i => i.Root).MaxBy(kv => kv.Value).Key;
        var hidden = items.Where(i => random.NextDouble() < (i.Kind == ItemKind.Support ? 0.05 : 0.15))
            .Concat([mostSupported, runnerUp, mostAnswered]).Distinct().ToList();
        var restored = hidden.Where(i => i != mostSupported && i != mostAnswered && (i == runnerUp || random.Next(4) == 0)).ToList();
        var hiddenAt = await SetStatesAsync(app, hidden, at => ItemState.Hidden("spam", null, at));
        var restoredAt = await SetStatesAsync(app, restored, ItemState.Published);
        var live = items.Except(hidden).Concat(restored).ToList();

        await RunAsync(app, "PublishStatistics");
        foreach (var process in new[] { plan, bill })
        {
            // The newest change counted: a restore, else a hide, else the last submission.
            var last = restored.Any(i => i.ProcessId == process.Id) ? restoredAt : hidden.Any(i => i.ProcessId == process.Id) ? hiddenAt : Waves[^1];
            await CheckAsync(app, process, live, Utc(last));
        }

        var incremental = await DownloadAsync(app);
        var log = await RunAsync(app, "RecomputeStatistics");
        Recompute.AssertMatchedEveryProcess(log.Log);
        var recomputed = await DownloadAsync(app);
        Assert.Equal(incremental.Keys.Order(StringComparer.Ordinal), recomputed.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, bytes) in incremental)
            Assert.True(bytes.AsSpan().SequenceEqual(recomputed[name]), $"{name} differs after the full recompute");
    }

    /// <summary>
    /// Per wave: 24 proposals, 20 comments, 24 opinions, 30 supports, 6 replies and 2 replies to replies; profile fields
    /// left out about a quarter of the time (a proposal always names its department).
    /// </summary>
    static List<Item> Generate(Random random)
    {
        T Pick<T>(IReadOnlyList<T> list) => list[random.Next(list.Count)];
        string? Maybe(IReadOnlyList<Choice> choices) => random.Next(4) == 0 ? null : Pick(choices).Id;
        Person Someone(bool withDepartment = false) =>
            new(withDepartment || random.Next(4) > 0 ? Pick(Departments.All).Id : null, Maybe(Profile.Sectors), Maybe(Profile.Genders), Maybe(Profile.AgeBands));
        var themes = SampleData.CoCreation2021.Themes.Select(t => t.Id).ToList();
        var sections = SampleDocuments.ActionPlanDraftV2.Sections.Select(s => s.Id).ToList();
        var articles = SampleDocuments.Bill5210V1.Sections.Select(s => s.Id).ToList();

        var items = new List<Item>();
        for (var wave = 0; wave < Waves.Length; wave++)
        {
            for (var i = 0; i < 24; i++)
                items.Add(new Item { Kind = ItemKind.Proposal, Wave = wave, Person = Someone(withDepartment: true), Theme = Pick(themes) });
            for (var i = 0; i < 20; i++)
                items.Add(new Item { Kind = ItemKind.Comment, Wave = wave, Person = Someone(), Section = random.Next(10) == 0 ? null : Pick(sections) });
            for (var i = 0; i < 24; i++)
                items.Add(new Item { Kind = ItemKind.Opinion, Wave = wave, Person = Someone(), Position = Pick(Positions.All), Article = random.Next(5) == 0 ? null : Pick(articles) });
            var proposals = items.Where(i => i.Kind == ItemKind.Proposal).ToList();
            // Squared, so supports crowd on a few proposals: the top list has a head and a long tail of ties.
            for (var i = 0; i < 30; i++)
                items.Add(new Item { Kind = ItemKind.Support, Wave = wave, Stage = 1, Parent = proposals[(int)(proposals.Count * Math.Pow(random.NextDouble(), 2))] });
            var firsts = items.Where(i => i.Kind == ItemKind.Comment && i.Parent is null).ToList();
            var replies = Enumerable.Range(0, 6).Select(_ => new Item { Kind = ItemKind.Comment, Wave = wave, Stage = 1, Person = Someone(), Parent = Pick(firsts) }).ToList();
            items.AddRange(replies);
            for (var i = 0; i < 2; i++)
                items.Add(new Item { Kind = ItemKind.Comment, Wave = wave, Stage = 2, Person = Someone(), Parent = Pick(replies) });
        }
        return items;
    }

    static async Task SendAllAsync(ParticipaApp app, Process plan, Process bill, List<Item> items)
    {
        using var client = app.CreateClient();
        foreach (var group in items.GroupBy(i => (i.Wave, i.Stage)).OrderBy(g => g.Key))
        {
            app.Clock!.SetUtcNow(Waves[group.Key.Wave]);
            await Parallel.ForEachAsync(group, Four, async (item, _) => await SendAsync(client, plan, bill, item));
        }
    }

    static async Task SendAsync(HttpClient client, Process plan, Process bill, Item item)
    {
        item.ProcessId = item.Kind == ItemKind.Opinion ? bill.Id : plan.Id;
        var url = $"/api/processes/{item.ProcessId}";
        var who = item.Person;
        var body = new Dictionary<string, object?> { ["department"] = who.Department, ["sector"] = who.Sector, ["gender"] = who.Gender, ["ageBand"] = who.AgeBand };
        var request = new HttpRequestMessage(HttpMethod.Post, item.Kind switch
        {
            ItemKind.Proposal => $"{url}/proposals",
            ItemKind.Opinion => $"{url}/opinions",
            ItemKind.Support => $"{url}/proposals/{item.Parent!.Id}/supports",
            _ when item.Parent is { } parent => $"{url}/comments/{parent.Id}/replies",
            _ when item.Section is { } section => $"{url}/documents/{Draft}/versions/{DraftVersion}/sections/{section}/comments",
            _ => $"{url}/documents/{Draft}/versions/{DraftVersion}/comments",
        });
        switch (item.Kind)
        {
            case ItemKind.Proposal:
                foreach (var (field, value) in Http.Proposal(item.Theme!, who.Department!)) body[field] = value;
                break;
            case ItemKind.Comment:
                body["text"] = "Comentario generado";
                break;
            case ItemKind.Opinion:
                (body["position"], body["article"], body["reasons"]) = (item.Position, item.Article, "Razones generadas");
                break;
            case ItemKind.Support:
                var participant = await client.PostAsync("/api/participants", null);
                Assert.Equal(HttpStatusCode.Created, participant.StatusCode);
                request.Headers.Add("Participant-Token", (await participant.ReadJsonAsync()).GetProperty("token").GetString());
                break;
        }
        if (item.Kind != ItemKind.Support) request.Content = Http.Json(body);

        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.ReadJsonAsync();
        item.Id = created.GetProperty("id").GetString()!;
        item.At = created.GetProperty("submittedAt").GetDateTimeOffset();
    }

    /// <summary>Moves the clock on, then hides or restores the items as moderation does; returns the time of the change.</summary>
    static async Task<DateTimeOffset> SetStatesAsync(ParticipaApp app, IEnumerable<Item> items, Func<DateTimeOffset, ItemState> state)
    {
        app.Clock!.Advance(TimeSpan.FromMinutes(30));
        var at = app.Clock.GetUtcNow();
        var store = app.Service<SubmissionStore>();
        await Parallel.ForEachAsync(items, Four, async (item, cancellationToken) =>
            Assert.True(await store.SetStateAsync(item.ProcessId, item.Id, state(at), null, cancellationToken)));
        return at;
    }

    static async Task<InvocationOutcome> RunAsync(ParticipaApp app, string timer)
    {
        var outcome = await app.RunTimerAsync(timer);
        Assert.True(outcome.Succeeded, outcome.Error);
        return outcome;
    }

    /// <summary>Every published blob under <paramref name="prefix"/>, by name after it.</summary>
    static async Task<Dictionary<string, byte[]>> DownloadAsync(ParticipaApp app, string prefix = "")
    {
        var container = app.PublishedContainer();
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }))
            files[blob.Name[prefix.Length..]] = (await container.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToArray();
        return files;
    }

    /// <summary>Checks statistics.json and every CSV of <paramref name="process"/> against what the counted items say.</summary>
    static async Task CheckAsync(ParticipaApp app, Process process, IEnumerable<Item> counted, string lastUpdated)
    {
        var live = counted.Where(i => i.ProcessId == process.Id).ToList();
        var files = await DownloadAsync(app, $"processes/{process.Id}/");
        var stats = JsonDocument.Parse(files["statistics.json"]).RootElement;
        Assert.Equal(lastUpdated, stats.GetProperty("lastUpdated").GetString());
        Assert.Equal(Totals(live), Totals(stats));
        Assert.Equal(Funnel(live), Funnel(stats));

        var tables = Breakdowns(process, live);
        Assert.Equal(tables.Keys.Order(StringComparer.Ordinal), stats.GetProperty("breakdowns").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        foreach (var (table, rows) in tables)
        {
            Assert.Equal(rows, JsonRows(stats, table));
            Assert.Equal(rows, Csv(files, table + ".csv", "value,label,count").Select(r => Line([table, .. r])));
        }

        var top = Top(live).Select(p => Line(p.Id, p.Supports)).ToList();
        Assert.Equal(top, stats.GetProperty("topProposals").EnumerateArray().Select(p => Line(Text(p, "id"), Text(p, "supports"))));
        Assert.Equal(top, Csv(files, "top-proposals.csv", "proposal,supports").Select(r => Line(r)));

        var discussed = live.Where(i => i.IsReply).CountBy(i => i.Root.Id)
            .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(TopCount).Select(kv => Line(kv.Key, kv.Value));
        Assert.Equal(discussed, stats.GetProperty("mostDiscussedComments").EnumerateArray().Select(c => Line(Text(c, "id"), Text(c, "replies"))));

        // Only first comments count per section; replies count in the totals and breakdowns.
        var sections = live.Where(i => i.Kind == ItemKind.Comment && i.Parent is null).CountBy(i => i.Section ?? "-")
            .Select(kv => Line(Draft, DraftVersion, kv.Key, kv.Value)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(sections, stats.GetProperty("commentsPerSection").EnumerateArray()
            .Select(s => Line(Text(s, "document"), Text(s, "version"), Text(s, "section"), Text(s, "count"))).Order(StringComparer.Ordinal));
        var articles = live.Where(i => i.Kind == ItemKind.Opinion).GroupBy(i => i.Article ?? "-")
            .Select(g => Line(g.Key, g.Count(o => o.Position == "for"), g.Count(o => o.Position == "against"), g.Count(o => o.Position == "neutral"), g.Count()))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(articles, stats.GetProperty("positionsPerArticle").EnumerateArray().Select(PositionRow).Order(StringComparer.Ordinal));
        if (sections.Count > 0)
            Assert.Equal(sections, Csv(files, "comments-per-section.csv", "document,version,section,count").Select(r => Line(r)).Order(StringComparer.Ordinal));
        if (articles.Count > 0)
            Assert.Equal(articles, Csv(files, "positions-per-article.csv", "article,for,against,neutral,total").Select(r => Line(r)).Order(StringComparer.Ordinal));

        CheckThemes(process, live, stats, files);
        Assert.Empty(stats.GetProperty("roundtables").EnumerateArray());
        Assert.Empty(Csv(files, "roundtables.csv", "meeting,table,value,label,count"));

        // No CSV more or less than these.
        IEnumerable<string> csv = [.. tables.Keys, "top-proposals", "themes", "roundtables", "moderation-log"];
        if (sections.Count > 0) csv = csv.Append("comments-per-section");
        if (articles.Count > 0) csv = csv.Append("positions-per-article");
        Assert.Equal(csv.Select(n => n + ".csv").Order(StringComparer.Ordinal), files.Keys.Where(n => n.EndsWith(".csv", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Each theme's scope holds its proposals and the supports of its proposals (those of a hidden proposal too: only
    /// the proposal is hidden, not the people who supported it); the same in statistics.json and themes.csv.
    /// </summary>
    static void CheckThemes(Process process, List<Item> live, JsonElement stats, Dictionary<string, byte[]> files)
    {
        var scopes = stats.GetProperty("themes").EnumerateArray().ToList();
        Assert.Equal(process.Themes.Select(t => t.Id), scopes.Select(s => s.GetProperty("id").GetString()));
        var themesCsv = new List<string>();
        foreach (var (theme, scope) in process.Themes.Zip(scopes))
        {
            var counted = live.Where(i => (i.Kind == ItemKind.Proposal ? i : i.Kind == ItemKind.Support ? i.Parent : null)?.Theme == theme.Id).ToList();
            Assert.Equal(Totals(counted), Totals(scope));
            Assert.Equal(Funnel(counted), Funnel(scope));
            var tables = new[] { "department", "sector", "gender", "age-band", "outcome" }
                .ToDictionary(d => "proposals-by-" + d, d => Rows(process, "proposals-by-" + d, d, counted.Where(i => i.Kind == ItemKind.Proposal)));
            Assert.Equal(tables.Keys.Order(StringComparer.Ordinal), scope.GetProperty("breakdowns").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            foreach (var (table, rows) in tables)
                Assert.Equal(rows, JsonRows(scope, table));
            var top = Top(counted);
            Assert.Equal(top.Select(p => Line(p.Id, p.Supports)), scope.GetProperty("topProposals").EnumerateArray().Select(p => Line(Text(p, "id"), Text(p, "supports"))));

            themesCsv.AddRange(Counts(counted).Where(t => t.Value > 0).Select(t => Line(theme.Id, "totals", t.Key, t.Key, t.Value)));
            themesCsv.AddRange(tables.Values.SelectMany(rows => rows).Select(row => Line(theme.Id, row)));
            themesCsv.AddRange(top.Select(p => Line(theme.Id, "top-proposals", p.Id, p.Id, p.Supports)));
        }
        Assert.Equal(themesCsv, Csv(files, "themes.csv", "theme,table,value,label,count").Select(r => Line(r)));

        // And the themes add up to the process: proposals per department over all themes.
        var byDepartment = Csv(files, "themes.csv", "theme,table,value,label,count").Where(r => r[1] == "proposals-by-department")
            .GroupBy(r => r[2]).ToDictionary(g => g.Key, g => g.Sum(r => long.Parse(r[4], CultureInfo.InvariantCulture)));
        if (process.Themes.Count > 0)
            foreach (var row in Csv(files, "proposals-by-department.csv", "value,label,count"))
                Assert.Equal(long.Parse(row[2], CultureInfo.InvariantCulture), byDepartment[row[0]]);
    }

    /// <summary>
    /// Every breakdown the process publishes: proposals always, comments and opinions by person only when the process
    /// has some (their day tables always), supports by day.
    /// </summary>
    static Dictionary<string, List<string>> Breakdowns(Process process, List<Item> live)
    {
        var tables = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string kind, string dimension, ItemKind itemKind) =>
            tables[$"{kind}-by-{dimension}"] = Rows(process, $"{kind}-by-{dimension}", dimension, live.Where(i => i.Kind == itemKind));
        string[] everyDimension = ["theme", .. People, "day", "outcome"];
        foreach (var dimension in everyDimension)
            Add("proposals", dimension, ItemKind.Proposal);
        foreach (var (kind, itemKind) in new[] { ("comments", ItemKind.Comment), ("opinions", ItemKind.Opinion) })
        {
            string[] dimensions = live.Any(i => i.Kind == itemKind) ? [.. People, "day"] : ["day"];
            foreach (var dimension in dimensions)
                Add(kind, dimension, itemKind);
        }
        Add("supports", "day", ItemKind.Support);
        return tables;
    }

    /// <summary>A breakdown's rows: every known value in its order, zeros included, then the others ("unstated", days).</summary>
    static List<string> Rows(Process process, string table, string dimension, IEnumerable<Item> items)
    {
        var counts = items.CountBy(i => Value(i, dimension) ?? "unstated").ToDictionary();
        var known = Known(process, dimension);
        return known.Select(k => Line(table, k.Value, k.Label, counts.GetValueOrDefault(k.Value)))
            .Concat(counts.Keys.Where(v => known.All(k => k.Value != v)).Order(StringComparer.Ordinal)
                .Select(v => Line(table, v, v == "unstated" ? "Sin dato" : v, counts[v])))
            .ToList();
    }

    static string? Value(Item item, string dimension) => dimension switch
    {
        "theme" => item.Theme,
        "department" => item.Person.Department,
        "sector" => item.Person.Sector,
        "gender" => item.Person.Gender,
        "age-band" => item.Person.AgeBand,
        "day" => item.At.ToOffset(Guatemala).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        "outcome" => OutcomeStatus.Received, // no outcome is ever set here
        _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, null),
    };

    static List<(string Value, string Label)> Known(Process process, string dimension) => dimension switch
    {
        "theme" => [.. process.Themes.Select(t => (t.Id, t.Name))],
        "department" => [.. Departments.All.Select(d => (d.Id, d.Name))],
        "sector" => [.. Profile.Sectors.Select(c => (c.Id, c.Label))],
        "gender" => [.. Profile.Genders.Select(c => (c.Id, c.Label))],
        "age-band" => [.. Profile.AgeBands.Select(c => (c.Id, c.Label))],
        "outcome" => [.. Outcomes],
        _ => [],
    };

    static Dictionary<string, long> Counts(IEnumerable<Item> items)
    {
        var counts = Kinds.ToDictionary(k => k, _ => 0L);
        foreach (var item in items)
            counts[item.Kind switch { ItemKind.Proposal => "proposals", ItemKind.Comment => "comments", ItemKind.Opinion => "opinions", _ => "supports" }]++;
        return counts;
    }

    static List<string> Totals(IEnumerable<Item> items) => [.. Counts(items).Select(t => Line(t.Key, t.Value)).Order(StringComparer.Ordinal)];

    static List<string> Totals(JsonElement scope) => [.. scope.GetProperty("totals").EnumerateObject().Select(t => Line(t.Name, t.Value.GetInt64())).Order(StringComparer.Ordinal)];

    /// <summary>Nobody decided anything here: every counted proposal is received and pending.</summary>
    static string Funnel(IEnumerable<Item> items)
    {
        var proposals = items.Count(i => i.Kind == ItemKind.Proposal);
        return Line(proposals, proposals, 0, 0, 0, 0);
    }

    static string Funnel(JsonElement scope)
    {
        var f = scope.GetProperty("funnel");
        return Line(Text(f, "received"), Text(f, "pending"), Text(f, "underReview"), Text(f, "adopted"), Text(f, "merged"), Text(f, "notAdopted"));
    }

    /// <summary>Counted proposals with counted supports, most first; ties by id, which sorts by time (oldest first).</summary>
    static List<(string Id, int Supports)> Top(IEnumerable<Item> items)
    {
        var list = items.ToList();
        var supports = list.Where(i => i.Kind == ItemKind.Support).CountBy(i => i.Parent!.Id).ToDictionary();
        return [.. list.Where(i => i.Kind == ItemKind.Proposal).Select(p => (p.Id, Supports: supports.GetValueOrDefault(p.Id))).Where(p => p.Supports > 0)
            .OrderByDescending(p => p.Supports).ThenBy(p => p.Id, StringComparer.Ordinal).Take(TopCount)];
    }

    static string PositionRow(JsonElement article)
    {
        var positions = article.GetProperty("positions").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
        return Line(Text(article, "article"), positions.GetValueOrDefault("for"), positions.GetValueOrDefault("against"), positions.GetValueOrDefault("neutral"), positions.Values.Sum());
    }

    static List<string> JsonRows(JsonElement scope, string table) =>
        [.. scope.GetProperty("breakdowns").GetProperty(table).EnumerateArray().Select(r => Line(table, Text(r, "value"), Text(r, "label"), Text(r, "count")))];

    /// <summary>A published CSV's records after its header, which must be <paramref name="header"/>.</summary>
    static List<string[]> Csv(Dictionary<string, byte[]> files, string name, string header)
    {
        Assert.True(files.ContainsKey(name), $"{name} is not published");
        var records = Rfc4180.Parse(files[name]);
        Assert.Equal(header, string.Join(',', records[0]));
        return [.. records.Skip(1)];
    }

    static string Text(JsonElement e, string property) => e.GetProperty(property) switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString()!,
        { ValueKind: JsonValueKind.Null } => "",
        var other => other.GetRawText(),
    };

    /// <summary>One row as one comparable line, so a failing assertion shows the table and the values side by side.</summary>
    static string Line(params object?[] fields) => string.Join(" | ", fields.Select(f => Convert.ToString(f, CultureInfo.InvariantCulture)));

    static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
