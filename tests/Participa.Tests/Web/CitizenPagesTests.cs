using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Participa.Tests.Infrastructure;
using Participa.Domain;

namespace Participa.Tests.Web;

/// <summary>The citizens' pages in a real chromium, against the real worker through the local host, on Azurite.</summary>
public sealed class CitizenPagesTests
{
    /// <summary>A citizen's whole path: send a proposal, read the receipt, comment on a section, give an opinion on an article, support.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_citizen_takes_part_from_the_receipt_to_a_support_with_or_without_javascript(bool javaScript)
    {
        await using var app = await ParticipaApp.StartAsync();
        var plan = await app.AddCoCreationWithDraftAsync();
        var bill = await app.AddBillProcessAsync();
        await using var context = await Browser.ContextAsync(app, javaScript);
        var page = await context.NewPageAsync();

        // Find the process from the home page and send a proposal.
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = plan.Title }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Enviar una propuesta" }).ClickAsync();
        await page.GetByLabel("Título de su propuesta").FillAsync("Agua potable en las escuelas rurales");
        await page.GetByLabel("El problema").FillAsync("Muchas escuelas de Alta Verapaz no tienen agua.");
        await page.GetByLabel("Lo que propone").FillAsync("Un programa de captación de lluvia.");
        await page.GetByLabel("Eje temático").SelectOptionAsync(plan.Themes[0].Id);
        await page.GetByLabel("Departamento").SelectOptionAsync("alta-verapaz");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enviar" }).ClickAsync();

        // The receipt: stored, published, with the appeal code only this author has.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Comprobante", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Gracias: lo que envió fue recibido y guardado.")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".receipt")).ToContainTextAsync("Publicado");
        var proposalId = Regex.Match(page.Url, "/receipts/([0-9a-f]{32})").Groups[1].Value;
        Assert.Matches("^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$", await page.Locator(".code-box code").InnerTextAsync());
        var stored = await app.Service<Participa.Storage.ProposalStore>().FindAsync(plan.Id, proposalId, CancellationToken.None);
        Assert.Equal("Agua potable en las escuelas rurales", stored!.Item.Title);

        // Comment on a section of the draft, then reply to that comment.
        await page.GotoAsync($"/processes/{plan.Id}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Leer y comentar" }).First.ClickAsync();
        await page.Locator(".section-actions a").First.ClickAsync();
        await page.GetByLabel("Su comentario").FillAsync("El hito 1 necesita una fecha.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enviar" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Gracias: lo que envió fue recibido y guardado.")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Ver lo que envió" }).ClickAsync();
        await Assertions.Expect(page.GetByText("El hito 1 necesita una fecha.")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Responder" }).First.ClickAsync();
        await page.GetByLabel("Su comentario").FillAsync("De acuerdo: antes de junio.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enviar" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Gracias: lo que envió fue recibido y guardado.")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Ver lo que envió" }).ClickAsync();
        await Assertions.Expect(page.Locator(".comment.depth-1")).ToContainTextAsync("De acuerdo: antes de junio.");

        // An opinion on one article of the bill.
        await page.GotoAsync($"/processes/{bill.Id}");
        await page.GetByRole(AriaRole.Link, new() { Name = SampleDocuments.Bill5210.Title }).ClickAsync();
        await page.Locator(".section-actions a").Nth(1).ClickAsync();
        await page.GetByLabel("En contra").CheckAsync();
        await page.GetByLabel("Sus razones").FillAsync("Reduce el plazo de respuesta sin dar recursos.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enviar" }).ClickAsync();
        await Assertions.Expect(page.Locator(".receipt")).ToContainTextAsync("Opinión");
        var opinions = await app.Service<Participa.Storage.OpinionStore>().ListAsync(bill.Id, new(), null, 10, CancellationToken.None);
        var opinion = Assert.Single(opinions.Items).Item;
        Assert.Equal(("against", SampleDocuments.Bill5210V1.Sections[1].Id), (opinion.Position, opinion.Article));

        // Support the proposal: counted once, however often the button is pressed.
        await page.GotoAsync($"/processes/{plan.Id}/proposals/{proposalId}");
        await Assertions.Expect(page.GetByText("0 personas apoyan esta propuesta.")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Apoyar esta propuesta" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Gracias: su apoyo fue contado.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("1 personas apoyan esta propuesta.")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Apoyar esta propuesta" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Usted ya apoya esta propuesta")).ToBeVisibleAsync();
        Assert.Equal(1, await app.Service<Participa.Storage.SupportStore>().CountAsync(plan.Id, proposalId, CancellationToken.None));
    }

    /// <summary>What happened after: the outcome with its reason on the proposal and its receipt, the statistics charted from the open data.</summary>
    [Fact]
    public async Task A_citizen_follows_a_proposal_to_its_outcome_and_reads_the_statistics()
    {
        await using var app = await ParticipaApp.StartAsync();
        var plan = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var created = await (await client.PostAsync($"/api/processes/{plan.Id}/proposals",
            Http.Json(Http.Proposal(title: "Portal único de trámites")))).ReadJsonAsync();
        var id = created.GetProperty("id").GetString()!;
        using var decide = new HttpRequestMessage(HttpMethod.Put, $"/api/processes/{plan.Id}/proposals/{id}/outcome")
        {
            Content = Http.Json(new { status = "not-adopted", reason = "Ya existe un compromiso del Ministerio de Economía con ese fin." }),
        }.WithToken(StaffTokens.For("Participa.Facilitator"));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(decide)).StatusCode);

        await using var context = await Browser.ContextAsync(app, javaScript: false);
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/processes/{plan.Id}/proposals/{id}");
        await Assertions.Expect(page.Locator(".outcome")).ToContainTextAsync("No adoptada");
        await Assertions.Expect(page.GetByText("Ya existe un compromiso del Ministerio de Economía con ese fin.")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Ver el comprobante" }).ClickAsync();
        await Assertions.Expect(page.Locator(".outcome")).ToContainTextAsync("No adoptada");

        // Before the first statistics run the page says so; after it, the counts come from the published statistics.json.
        await page.GotoAsync($"/processes/{plan.Id}/statistics");
        await Assertions.Expect(page.GetByText("aún no se publican")).ToBeVisibleAsync();
        Assert.True((await app.RunTimerAsync()).Succeeded);
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "Propuestas por eje temático" })).ToBeVisibleAsync();
        var theme = plan.FindTheme("ambiente-clima")!.Name;
        await Assertions.Expect(page.Locator("figure", new() { Has = page.GetByRole(AriaRole.Img, new() { Name = "Propuestas por eje temático" }) })
            .Locator("tr", new() { HasText = theme })).ToContainTextAsync("1");
        await Assertions.Expect(page.Locator("table").First.Locator("tr", new() { HasText = "Propuestas" })).ToContainTextAsync("1");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Descargar proposals-by-theme.csv" })).ToHaveAttributeAsync(
            "href", $"/api/open-data/processes/{plan.Id}/proposals-by-theme.csv");
    }
}
