using System.Net;
using Microsoft.Playwright;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Web;

/// <summary>The administrators' pages in a real chromium, signed in through the development issuer, on Azurite.</summary>
public sealed class AdministrationPagesTests
{
    static ILocator Named(IPage page, string name) => page.Locator($"[name='{name}']");

    static async Task SignInAsAdminAsync(IPage page)
    {
        await page.GotoAsync("/staff/sign-in?return=/staff/manage/processes");
        await page.Locator("[id='role-Participa.Admin']").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Processes, documents and bills" })).ToBeVisibleAsync();
    }

    /// <summary>
    /// An administrator's whole path: a process with a phase wholly in the past (warned), edited, a conflicting save
    /// refused, a bill created and its version 2 published, which the public pages then show.
    /// </summary>
    [Fact]
    public async Task An_administrator_sets_up_a_process_and_publishes_a_bill_version_that_citizens_then_read()
    {
        await using var app = await ParticipaApp.StartAsync();
        // Script on only for axe: the pages themselves have none.
        await using var context = await Browser.ContextAsync(app, locale: "en-US", width: 1280);
        var page = await context.NewPageAsync();
        var id = "adm-" + Guid.NewGuid().ToString("N")[..10];

        await SignInAsAdminAsync(page);
        await Browser.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "New process" }).ClickAsync();
        await Browser.AssertAccessibleAsync(page);

        // Refused first (no title): the same messages as the API's, next to their fields, the values kept.
        await page.GetByLabel("Identifier").First.FillAsync(id);
        await page.GetByLabel("Kind").SelectOptionAsync("legislativeInitiative");
        await page.GetByLabel("Organiser").FillAsync("Comisión de Transparencia");
        await page.GetByLabel("Themes").FillAsync("transparencia | Transparencia\narchivos | Archivos públicos");
        await Named(page, "phases[0].id").FillAsync("consulta-2016");
        await Named(page, "phases[0].name").FillAsync("Consulta de 2016");
        await Named(page, "phases[0].opens").FillAsync("2016-12-01T09:00");
        await Named(page, "phases[0].closes").FillAsync("2017-03-01T17:00");
        await page.Locator("[id='f-phases[0].accepts-opinion']").CheckAsync();
        await Named(page, "phases[1].id").FillAsync("consulta");
        await Named(page, "phases[1].name").FillAsync("Consulta ciudadana");
        await Named(page, "phases[1].opens").FillAsync("2097-01-01T08:00");
        await Named(page, "phases[1].closes").FillAsync("2097-06-01T17:00");
        await page.Locator("[id='f-phases[1].accepts-opinion']").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.Locator(".error-summary")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".field.invalid [name='title']")).ToBeVisibleAsync();
        await Assertions.Expect(Named(page, "phases[1].closes")).ToHaveValueAsync("2097-06-01T17:00");
        await Browser.AssertAccessibleAsync(page);

        await page.GetByLabel("Title").FillAsync("Iniciativa 9999: archivos públicos");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Saved.")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".warning")).ToContainTextAsync("Phase 'consulta-2016' closed at 2017-03-01T23:00:00.000Z");
        await Assertions.Expect(page.Locator(".warning")).ToContainTextAsync("wholly in the past");
        await Browser.AssertAccessibleAsync(page);
        var stored = await app.Service<Participa.Storage.ProcessStore>().FindAsync(id, CancellationToken.None);
        Assert.Equal(new DateTimeOffset(2016, 12, 1, 15, 0, 0, TimeSpan.Zero), stored!.Phases[0].Opens); // 09:00 in Guatemala
        Assert.Equal(new[] { "transparencia", "archivos" }, stored.Themes.Select(t => t.Id));

        // Edit; a second tab still holding the old version is refused and told so.
        var stale = await context.NewPageAsync();
        await stale.GotoAsync($"/staff/manage/processes/{id}");
        await page.GetByLabel("Title").FillAsync("Iniciativa 9999: archivos y acceso");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Edit Iniciativa 9999: archivos y acceso" })).ToBeVisibleAsync();
        await stale.GetByLabel("Organiser").FillAsync("Otra comisión");
        var refused = await stale.RunAndWaitForResponseAsync(
            () => stale.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync(), r => r.Request.Method == "POST");
        Assert.Equal((int)HttpStatusCode.Conflict, refused.Status);
        await Assertions.Expect(stale.GetByRole(AriaRole.Alert)).ToContainTextAsync("Someone else saved this");
        await Browser.AssertAccessibleAsync(stale);
        Assert.Equal("Comisión de Transparencia", (await app.Service<Participa.Storage.ProcessStore>().FindAsync(id, CancellationToken.None))!.Organiser);

        // A bill, then its version 2 with a change log.
        await page.GetByRole(AriaRole.Link, new() { Name = "Documents of Iniciativa 9999: archivos y acceso" }).First.ClickAsync();
        await Browser.AssertAccessibleAsync(page);
        await page.GetByLabel("Identifier").FillAsync("iniciativa-9999");
        await page.GetByLabel("Kind").SelectOptionAsync("bill");
        await page.GetByLabel("Title").FillAsync("Iniciativa 9999: Ley de archivos públicos");
        await page.GetByLabel("Bill number").FillAsync("9999");
        await page.GetByLabel("Commission").FillAsync("Comisión de Transparencia");
        await page.GetByLabel("Status in Congress").FillAsync("En comisión");
        await page.GetByLabel("Presented on").FillAsync("2016-11-29");
        await page.GetByLabel("Sections").FillAsync("## art-1 | article | 1 | Objeto\nEsta ley regula los archivos públicos.\n\n## art-2 | article | 2 | Vigencia\nEntra en vigencia a los ocho días.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create and publish version 1" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Version published.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Publish version 2" })).ToBeVisibleAsync();
        await Browser.AssertAccessibleAsync(page);

        var sections = await page.GetByLabel("Sections").InputValueAsync();
        Assert.Contains("## art-2 | article | 2 | Vigencia\nEntra en vigencia a los ocho días.", sections);
        await page.GetByLabel("Sections").FillAsync(sections.Replace("a los ocho días", "al día siguiente de su publicación"));
        await page.GetByLabel("Change log").FillAsync("art-2 | Vigencia inmediata | Comisión de Transparencia");
        await page.GetByRole(AriaRole.Button, new() { Name = "Publish" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Version published.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Publish version 3" })).ToBeVisibleAsync();

        // Citizens see version 2 and what changed.
        await page.GotoAsync($"/processes/{id}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Iniciativa 9999: Ley de archivos públicos" }).ClickAsync();
        await Assertions.Expect(page.Locator(".meta").First).ToContainTextAsync("Version 2, published");
        await Assertions.Expect(page.GetByText("al día siguiente de su publicación")).ToBeVisibleAsync();
        await page.GetByText("What changed in this version").ClickAsync();
        await Assertions.Expect(page.GetByText("Vigencia inmediata")).ToBeVisibleAsync();
    }

    /// <summary>Someone without the Administration role gets no administrators' page, and the staff home offers none.</summary>
    [Fact]
    public async Task Only_administrators_reach_the_administration_pages()
    {
        await using var app = await ParticipaApp.StartAsync();
        using var client = app.CreateClient();
        using var anonymous = await client.GetAsync("/staff/manage/processes");
        Assert.Equal(HttpStatusCode.SeeOther, anonymous.StatusCode);
        Assert.StartsWith("/staff/sign-in", anonymous.Headers.Location!.OriginalString);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/staff/manage/processes").WithToken(StaffTokens.For("Participa.Moderator"));
        using var moderator = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, moderator.StatusCode);
    }
}
