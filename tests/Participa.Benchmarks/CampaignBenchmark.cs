using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Participa.Domain;
using Participa.Storage;
using Participa.Tests.Infrastructure;

// Mass-campaign grouping at the size of a busy bill: scripts/bench.sh campaigns [opinions] (default 100,000).
// 70% of the opinions come from 6 campaign templates, each copy with up to two small edits; 30% are unique texts.
static class CampaignBenchmark
{
    static readonly string[] Templates =
    [
        "Solicito a los diputados de la comisión que aprueben la reforma a la ley de acceso a la información pública porque las municipalidades deben publicar sus contratos sus presupuestos y la ejecución de cada obra en un portal abierto que cualquier vecino pueda consultar desde su teléfono",
        "Estoy en contra del artículo tres porque elimina el plazo de diez días para responder y deja a la ciudadanía sin una respuesta clara cuando pregunta por el uso del dinero público en su departamento y eso abre la puerta a la corrupción",
        "Como maestra rural pido que la ley obligue a publicar la información también en idiomas mayas y en la radio comunitaria porque en mi aldea no hay internet y la gente tiene derecho a saber en qué se gasta el presupuesto de la escuela",
        "La iniciativa 5210 es necesaria pero debe crear una autoridad independiente con presupuesto propio que pueda sancionar a los funcionarios que nieguen información sin motivo y que publique cada año cuántas solicitudes se respondieron a tiempo",
        "No estoy de acuerdo con que se reserve la información de seguridad por quince años porque así se esconden compras sin licitación y pedimos que la reserva sea de cinco años como máximo y que la revise un juez",
        "Apoyamos la reforma desde la cooperativa de caficultores porque necesitamos conocer los datos de caminos rurales puentes y proyectos de agua que el gobierno promete cada año y que nunca llegan a nuestras comunidades",
    ];

    static readonly string[] Synonyms = ["ciudadanos", "vecinos", "pueblo", "gente", "comunidad", "urgente", "importante", "necesario", "también", "además"];

    public static async Task<int> RunAsync(int opinions)
    {
        var features = Stopwatch.StartNew();
        var (texts, members, ids) = Generate(opinions);
        var featureTime = features.Elapsed;
        Console.WriteLine($"Campaign grouping: {opinions:N0} opinions, 70% from {Templates.Length} templates with up to 2 edits, 30% unique; {Environment.ProcessorCount} cores");

        // (a) In memory: the features each submission computes, then the grouping alone.
        Print("texts generated + features (normalize, hash, sketch)", featureTime.TotalMilliseconds, "ms");
        Print("  per opinion (features paid once, at submission)", featureTime.TotalMilliseconds * 1000 / opinions, "us");
        var times = new List<double>();
        IReadOnlyList<CampaignGroup> groups = [];
        for (var run = 0; run < 5; run++)
        {
            var grouping = Stopwatch.StartNew();
            groups = Campaigns.Group(members);
            times.Add(grouping.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        Print("grouping in memory, median of 5", times[2], "ms");
        Console.WriteLine($"  {groups.Count:N0} groups of 2 or more; the largest {string.Join(", ", groups.Take(Templates.Length).Select(g => g.Count.ToString("N0", CultureInfo.InvariantCulture)))}; " +
            $"{groups.Sum(g => g.Count):N0} opinions grouped ({0.7 * opinions:N0} were generated from templates)");

        // (b) Through storage: the same opinions as rows in one bill's partition, then projection scan + grouping.
        await using var app = await BenchApp.StartAsync();
        var prefix = app.Prefix;
        var tables = app.Service<Tables>();
        await tables.EnsureCreatedAsync(default);
        const string bill = "bench-bill";
        var write = Stopwatch.StartNew();
        await WriteRowsAsync(tables, bill, texts, members, ids);
        Console.WriteLine($"  ({opinions:N0} o| rows written in {write.Elapsed.TotalSeconds:F1} s, 100 per transaction)");

        var review = app.Service<ReviewStore>();
        var scanTimes = new List<double>();
        CampaignIndex index = null!;
        for (var run = 0; run < 3; run++)
        {
            var scan = Stopwatch.StartNew();
            index = await review.CampaignsAsync(bill, fresh: true, default);
            scanTimes.Add(scan.Elapsed.TotalMilliseconds);
        }
        scanTimes.Sort();
        Print("projection scan + grouping, median of 3", scanTimes[1], "ms");
        Console.WriteLine($"  {index.Opinions:N0} opinions scanned, {index.Groups.Count:N0} groups (in memory: {groups.Count:N0})");
        var cached = Stopwatch.StartNew();
        await review.CampaignsAsync(bill, fresh: false, default);
        Print("the same, cached (60 s)", cached.Elapsed.TotalMilliseconds, "ms");

        foreach (var table in tables.All) await table.DeleteAsync();
        return index.Groups.Count == groups.Count ? 0 : 1;
    }

    /// <summary>The generated opinions: texts, and the features each submission computes (the timing of features is the caller's).</summary>
    public static (string[] Texts, CampaignMember[] Members, string[] Ids) Generate(int opinions)
    {
        var random = new Random(5210);
        var vocabulary = Enumerable.Range(0, 3000).Select(_ => new string(Enumerable.Range(0, random.Next(3, 10)).Select(_ => (char)('a' + random.Next(26))).ToArray())).ToArray();
        var start = new DateTimeOffset(2026, 11, 22, 14, 0, 0, TimeSpan.Zero);
        var texts = new string[opinions];
        for (var i = 0; i < opinions; i++)
        {
            if (random.NextDouble() < 0.7)
            {
                // A third of the time only the first two templates: campaigns of different sizes, as in real dockets.
                var words = Templates[random.Next(Templates.Length) % (random.Next(3) == 0 ? 2 : Templates.Length)].Split(' ');
                for (var e = random.Next(3); e > 0; e--) words[random.Next(words.Length)] = Synonyms[random.Next(Synonyms.Length)];
                var text = string.Join(' ', words);
                texts[i] = random.Next(4) switch { 0 => text.ToUpperInvariant(), 1 => text + ".", 2 => "¡" + text + "!", _ => text };
            }
            else
                texts[i] = string.Join(' ', Enumerable.Range(0, random.Next(15, 60)).Select(_ => vocabulary[random.Next(vocabulary.Length)]));
        }
        var members = new CampaignMember[opinions];
        var ids = new string[opinions];
        for (var i = 0; i < opinions; i++)
        {
            var at = start.AddMilliseconds(i * 36); // 100,000 in an hour
            ids[i] = Ids.New(at);
            var f = TextFeatures.Of(texts[i])!;
            members[i] = new(ids[i], Positions.All[i % 3], at, f.TextHash, f.Sketch);
        }
        return (texts, members, ids);
    }

    /// <summary>
    /// Opinions <paramref name="from"/> to <paramref name="to"/> (all by default) as o| rows in one bill's partition,
    /// with the review columns the API writes, 100 per transaction; with <paramref name="journal"/>, each with the
    /// journal row a submission writes beside it (50 opinions per transaction).
    /// </summary>
    public static async Task WriteRowsAsync(Tables tables, string bill, string[] texts, CampaignMember[] members, string[] ids, bool journal = false, int from = 0, int? to = null)
    {
        var end = to ?? texts.Length;
        var perBatch = journal ? 50 : 100;
        await Parallel.ForEachAsync(Enumerable.Range(0, (end - from + perBatch - 1) / perBatch), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (batch, ct) =>
        {
            var actions = Enumerable.Range(from + batch * perBatch, Math.Min(perBatch, end - from - batch * perBatch)).SelectMany(i =>
            {
                var columns = new Dictionary<string, object?>
                {
                    ["Id"] = ids[i], ["DocumentId"] = "iniciativa-5210", ["Version"] = 1, ["Article"] = $"art-{i % 8 + 1}",
                    ["Position"] = members[i].Position, ["Reasons"] = texts[i], ["SubmittedAt"] = members[i].SubmittedAt,
                    ["Sha256"] = new string('0', 64), ["Department"] = "peten", ["Hidden"] = false,
                };
                ReviewStore.AddReviewColumns(columns, new TextFeatures(members[i].TextHash, members[i].Sketch));
                var row = new TableEntity(bill, $"o|{ids[i]}");
                foreach (var (k, v) in columns) row[k] = v;
                var stat = new StatRecord(StatKind.Opinion, ids[i], members[i].SubmittedAt, Department: "peten", Article: $"art-{i % 8 + 1}", Position: members[i].Position,
                    TextHash: members[i].TextHash, Sketch: Convert.ToBase64String(members[i].Sketch));
                return journal
                    ? [new TableTransactionAction(TableTransactionActionType.Add, row), new(TableTransactionActionType.Add, Journal.Row(bill, ids[i], Journal.Serialize(stat), +1, null))]
                    : new[] { new TableTransactionAction(TableTransactionActionType.Add, row) };
            }).ToList();
            await tables.Submissions.SubmitTransactionAsync(actions, ct);
        });
    }

    static void Print(string what, double value, string unit) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what,-44} {value,10:F2} {unit}"));
}
