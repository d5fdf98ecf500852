using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Participa.Domain;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Web;

/// <summary>
/// The staff pages in a real chromium, signed in through the sign-in page with the development issuer (the same
/// Microsoft.Identity.Web validation as the API), against the real worker through the local host, on Azurite.
/// </summary>
public sealed class StaffPagesTests
{
    /// <summary>Goes to a staff page, is sent to sign in, ticks the roles, and comes back to the page.</summary>
    static async Task SignInAsync(IPage page, string path, params string[] roles)
    {
        await page.GotoAsync(path);
        Assert.Contains("/staff/sign-in", page.Url);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ingreso del personal" })).ToBeVisibleAsync();
        await Browser.AssertAccessibleAsync(page);
        foreach (var role in roles) await page.GetByLabel(role, new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Ingresar" }).ClickAsync();
        // The redirect landing is what counts; the assertions after it wait for what they read (a full "load", with
        // every asset, once timed out on a loaded CI machine).
        await page.WaitForURLAsync(url => !url.Contains("/staff/sign-in"), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.EndsWith(path, page.Url);
    }

    [Fact]
    public async Task A_moderator_hides_an_item_which_then_shows_in_the_public_log_and_on_its_receipt()
    {
        await using var app = await ParticipaApp.StartAsync();
        var plan = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var created = await (await client.PostAsync($"/api/processes/{plan.Id}/proposals", Http.Json(Http.Proposal(title: "Compre usted relojes baratos")))).ReadJsonAsync();
        var itemId = created.GetProperty("id").GetString()!;
        var reported = await client.PostAsync($"/api/processes/{plan.Id}/reports", Http.Json(new { itemId, reason = "spam", note = "Publicidad." }));
        Assert.Equal(HttpStatusCode.Created, reported.StatusCode);

        await using var context = await Browser.ContextAsync(app, width: 1024);
        var page = await context.NewPageAsync();
        await SignInAsync(page, $"/staff/processes/{plan.Id}/moderation", "Moderación");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Cola de moderación" })).ToBeVisibleAsync();
        await Browser.AssertAccessibleAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "Compre usted relojes baratos" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Publicidad.")).ToBeVisibleAsync();
        await Browser.AssertAccessibleAsync(page);
        // Hiding needs a reason: the form says so next to the field, and nothing is decided.
        await page.GetByLabel("Decisión").SelectOptionAsync("hide");
        await page.GetByRole(AriaRole.Button, new() { Name = "Decidir" }).ClickAsync();
        await Assertions.Expect(page.Locator(".error-summary")).ToBeVisibleAsync();
        await Browser.AssertAccessibleAsync(page);
        await page.GetByLabel("Decisión").SelectOptionAsync("hide");
        await page.GetByLabel("Motivo").SelectOptionAsync("spam");
        await page.GetByLabel("Nota").FillAsync("Publicidad comercial.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Decidir" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Decisión registrada y publicada en el registro.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("0 elementos en espera.")).ToBeVisibleAsync();

        // The public log says what was decided and why; the author's receipt says the item is hidden.
        await page.GotoAsync($"/processes/{plan.Id}/moderation-log");
        await Assertions.Expect(page.Locator("table")).ToContainTextAsync("Publicidad comercial.");
        await Assertions.Expect(page.Locator("table")).ToContainTextAsync("Spam");
        await page.GotoAsync($"/processes/{plan.Id}/receipts/{itemId}");
        await Assertions.Expect(page.Locator(".receipt")).ToContainTextAsync("Ocultado por moderación");
        await Assertions.Expect(page.Locator(".receipt")).ToContainTextAsync("Publicidad comercial.");
        // And the proposal is no longer listed publicly.
        var hidden = await client.GetAsync($"/api/processes/{plan.Id}/proposals/{itemId}");
        Assert.NotEqual(HttpStatusCode.OK, hidden.StatusCode);
    }

    [Fact]
    public async Task A_congress_staffer_filters_the_queue_opens_a_campaign_and_marks_it_reviewed()
    {
        await using var app = await ParticipaApp.StartAsync();
        var bill = await app.AddBillProcessAsync();
        using var client = app.CreateClient();
        var article = SampleDocuments.Bill5210V1.Sections[1].Id;
        // A campaign: the same text sent six times, with the tabs and capitals of a copied chain message.
        for (var i = 0; i < 6; i++)
            await PostOpinionAsync(client, bill.Id, new { position = "against", article, department = "quetzaltenango",
                reasons = "NO\tA ESTA LEY QUE   QUITA RECURSOS A LAS MUNICIPALIDADES. " + new string('!', i % 2 + 1) });
        await PostOpinionAsync(client, bill.Id, new { position = "for", article, department = "guatemala", reasons = "Los plazos cortos ayudan a la transparencia." });
        await PostOpinionAsync(client, bill.Id, new { position = "against", department = "peten", reasons = "Falta presupuesto para cumplirla en Petén." });

        await using var context = await Browser.ContextAsync(app, width: 1280);
        var page = await context.NewPageAsync();
        await SignInAsync(page, $"/staff/processes/{bill.Id}/review", "Revisión del Congreso");
        await Assertions.Expect(page.GetByText("8 opiniones.")).ToBeVisibleAsync();
        await Browser.AssertAccessibleAsync(page);

        // Filter: against, from Petén.
        await page.GetByLabel("Postura").SelectOptionAsync("against");
        await page.GetByLabel("Departamento").SelectOptionAsync("peten");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filtrar" }).ClickAsync();
        await Assertions.Expect(page.GetByText("1 opiniones.")).ToBeVisibleAsync();
        Assert.Contains("position=against", page.Url);
        // A date filter the API refuses is shown next to its field, not as an error page.
        await page.GotoAsync($"/staff/processes/{bill.Id}/review?from=2026-13-01");
        await Assertions.Expect(page.Locator(".error-summary")).ToBeVisibleAsync();

        // Tag one opinion from the queue; the queue shows the tag.
        await page.GotoAsync($"/staff/processes/{bill.Id}/review?position=for");
        await page.GetByRole(AriaRole.Link, new() { Name = "Los plazos cortos ayudan" }).ClickAsync();
        await Browser.AssertAccessibleAsync(page);
        await page.GetByLabel("Etiquetas").FillAsync("plazos, apoyo");
        await page.GetByLabel("Revisada", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Guardar" }).ClickAsync();
        await Assertions.Expect(page.Locator("tbody tr")).ToContainTextAsync("plazos");
        Assert.Contains("position=for", page.Url);

        // The campaign: its readable text, then every member marked reviewed at once.
        await page.GotoAsync($"/staff/processes/{bill.Id}/review/campaigns");
        await Browser.AssertAccessibleAsync(page);
        var text = await page.Locator(".card blockquote").First.InnerTextAsync();
        Assert.StartsWith("No a esta ley que quita recursos a las municipalidades.", text);
        Assert.DoesNotContain("\t", text);
        await page.GetByRole(AriaRole.Link, new() { Name = "Campaña de 6 opiniones" }).ClickAsync();
        await Assertions.Expect(page.Locator("#reviewed-count")).ToHaveTextAsync("0 de 6 revisadas.");
        await Browser.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Marcar todas como revisadas" }).ClickAsync();
        await Assertions.Expect(page.Locator("#reviewed-count")).ToHaveTextAsync("6 de 6 revisadas.");
        await page.GotoAsync($"/staff/processes/{bill.Id}/review?reviewed=false");
        await Assertions.Expect(page.GetByText("1 opiniones.")).ToBeVisibleAsync();

        // The commission's response, public at once; the export, with the tags and never an email.
        await page.GotoAsync($"/staff/processes/{bill.Id}/review/response");
        await Browser.AssertAccessibleAsync(page);
        await page.GetByLabel("Comisión").FillAsync("Comisión de Probidad");
        await page.GetByLabel("Respuesta", new() { Exact = true }).FillAsync("La comisión revisó 8 opiniones y propone ampliar los plazos para municipios pequeños.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Publicar" }).ClickAsync();
        await Assertions.Expect(page.GetByText("La respuesta está publicada.")).ToBeVisibleAsync();
        var response = await (await client.GetAsync($"/api/processes/{bill.Id}/response")).ReadJsonAsync();
        Assert.Equal("Comisión de Probidad", response.GetProperty("commission").GetString());
        var export = await context.APIRequest.GetAsync($"/staff/processes/{bill.Id}/review/export.csv?reviewed=all");
        Assert.Equal(200, export.Status);
        var csv = await export.TextAsync();
        Assert.Equal(9, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("plazos", csv);
        Assert.DoesNotContain("@", csv);
    }

    static async Task PostOpinionAsync(HttpClient client, string processId, object body)
    {
        var response = await client.PostAsync($"/api/processes/{processId}/opinions", Http.Json(body));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task A_facilitator_runs_a_meeting_with_attendance_minutes_and_an_outcome()
    {
        await using var app = await ParticipaApp.StartAsync();
        var plan = await app.AddProcessAsync();
        await using var context = await Browser.ContextAsync(app, width: 1024);
        var page = await context.NewPageAsync();
        await SignInAsync(page, $"/staff/processes/{plan.Id}/meetings", "Facilitación de mesas");
        await Browser.AssertAccessibleAsync(page);

        await page.GetByLabel("Título").FillAsync("Mesa de ambiente en Cobán");
        await page.GetByLabel("Eje temático").SelectOptionAsync(plan.Themes[0].Id);
        await page.GetByLabel("Inicia").FillAsync("2026-11-20T09:00");
        await page.GetByLabel("Lugar").FillAsync("Salón municipal de Cobán");
        await page.GetByRole(AriaRole.Button, new() { Name = "Crear la reunión" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Mesa de ambiente en Cobán" })).ToBeVisibleAsync();
        var meetingId = Regex.Match(page.Url, "/meetings/([0-9a-f]{32})").Groups[1].Value;
        await Browser.AssertAccessibleAsync(page);

        // Attendance: names stay on this page; the public meeting shows counts only.
        foreach (var (name, sector, email) in new[] { ("Ana Caal", "civil-society", "ana.caal@example.org"), ("Luis Xol", "academia", ""), ("Marta Pop", "civil-society", "") })
        {
            await page.GetByLabel("Nombre").FillAsync(name);
            await page.GetByLabel("Sector").SelectOptionAsync(sector);
            await page.GetByLabel("Departamento").SelectOptionAsync("alta-verapaz");
            await page.GetByLabel("Correo electrónico").FillAsync(email);
            await page.GetByLabel("Teléfono").FillAsync(email.Length > 0 ? "+502 5555 0101" : "");
            await page.GetByRole(AriaRole.Button, new() { Name = "Agregar un asistente" }).ClickAsync();
            await Assertions.Expect(page.Locator("#attendance + p + .table-scroll")).ToContainTextAsync(name);
        }
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Asistencia (3)" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#attendance + p + .table-scroll")).ToContainTextAsync("ana.caal@example.org · +502 5555 0101");
        // A malformed phone is refused next to its field, and nobody is added.
        await page.GetByLabel("Nombre").FillAsync("Pedro Tiul");
        await page.GetByLabel("Teléfono").FillAsync("llámeme");
        await page.GetByRole(AriaRole.Button, new() { Name = "Agregar un asistente" }).ClickAsync();
        await Assertions.Expect(page.Locator("#f-attendeePhone-error")).ToBeVisibleAsync();
        await Browser.AssertAccessibleAsync(page);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Asistencia (3)" })).ToBeVisibleAsync();
        await page.Locator("tr", new() { HasText = "Luis Xol" }).GetByRole(AriaRole.Button, new() { Name = "Quitar" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Asistencia (2)" })).ToBeVisibleAsync();

        // A proposal made at the table: dated by the meeting, not by the day it was typed in.
        await page.GetByRole(AriaRole.Link, new() { Name = "Registrar una propuesta hecha en la mesa" }).ClickAsync();
        await Browser.AssertAccessibleAsync(page);
        await page.GetByLabel("Título de su propuesta").FillAsync("Reforestar la cuenca del río Cahabón");
        await page.GetByLabel("El problema").FillAsync("La cuenca pierde bosque cada año.");
        await page.GetByLabel("Lo que propone").FillAsync("Viveros comunitarios con las municipalidades.");
        await page.GetByLabel("Departamento").SelectOptionAsync("alta-verapaz");
        await page.GetByRole(AriaRole.Button, new() { Name = "Registrar una propuesta hecha en la mesa" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Reforestar la cuenca del río Cahabón", Exact = true })).ToBeVisibleAsync();
        var made = await app.Service<Participa.Storage.ProposalStore>().ListAsync(plan.Id, new(Meeting: meetingId), null, 10, CancellationToken.None);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 15, 0, 0, TimeSpan.Zero), Assert.Single(made.Items).Item.SubmittedAt);

        // Its outcome, recorded from the meeting page; a decision without its public reason is refused.
        await page.GetByRole(AriaRole.Link, new() { Name = "Registrar el resultado" }).ClickAsync();
        await Browser.AssertAccessibleAsync(page);
        await page.GetByLabel("Resultado").SelectOptionAsync("not-adopted");
        await page.GetByRole(AriaRole.Button, new() { Name = "Guardar" }).ClickAsync();
        await Assertions.Expect(page.Locator(".error-summary")).ToBeVisibleAsync();
        await page.GetByLabel("Resultado").SelectOptionAsync("under-review");
        await page.GetByRole(AriaRole.Button, new() { Name = "Guardar" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Mesa de ambiente en Cobán" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("main ul").First).ToContainTextAsync("En revisión");

        await page.GetByLabel("Nuevo estado").SelectOptionAsync("held");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cambiar el estado" }).ClickAsync();
        await Assertions.Expect(page.Locator(".meta")).ToContainTextAsync("Realizada");
        // Minutes are written once the meeting was held.
        await page.GetByLabel("Acta de la reunión").FillAsync("Se discutieron tres propuestas sobre agua.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Guardar el acta" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Guardado.")).ToBeVisibleAsync();
        await Browser.AssertAccessibleAsync(page);

        using var client = app.CreateClient();
        var publicMeeting = await client.GetAsync($"/api/processes/{plan.Id}/meetings/{meetingId}");
        var json = await publicMeeting.Content.ReadAsStringAsync();
        Assert.Contains("Se discutieron tres propuestas", json);
        Assert.DoesNotContain("Ana Caal", json);
        Assert.DoesNotContain("Marta Pop", json);
        Assert.DoesNotContain("ana.caal", json);
        Assert.DoesNotContain("5555", json);
    }

    [Fact]
    public async Task A_facilitator_uploads_paper_forms_with_good_and_bad_rows_and_a_repeated_file_records_nothing_twice()
    {
        await using var app = await ParticipaApp.StartAsync();
        var plan = await app.AddProcessAsync();
        var theme = plan.Themes[0].Id;
        var file = Path.Combine(Path.GetTempPath(), $"formularios-{Guid.NewGuid():N}.csv");
        // As Excel in a Spanish locale saves it: semicolons, a quoted cell with a line break, one row without a department.
        await File.WriteAllTextAsync(file,
            "tipo;titulo;problema;solucion;tema;departamento\n" +
            $"propuesta;Agua para Chisec;\"Sin agua\nen la escuela\";Pozos;{theme};alta-verapaz\n" +
            $"propuesta;Caminos rurales;Caminos rotos;Reparar;{theme};\n" +
            $"propuesta;Bibliotecas;Sin libros;Bibliotecas móviles;{theme};peten\n");
        try
        {
            await using var context = await Browser.ContextAsync(app, width: 1024);
            var page = await context.NewPageAsync();
            await SignInAsync(page, $"/staff/processes/{plan.Id}/bulk-entry", "Facilitación de mesas");
            await Browser.AssertAccessibleAsync(page);
            var template = await context.APIRequest.GetAsync($"/staff/processes/{plan.Id}/bulk-entry/template.csv");
            Assert.Contains("titulo", await template.TextAsync());

            await page.GetByLabel("Archivo CSV").SetInputFilesAsync(file);
            await page.GetByRole(AriaRole.Button, new() { Name = "Registrar los formularios" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("3 filas: 2 registradas ahora, 0 ya registradas, 1 rechazadas.");
            await Assertions.Expect(page.Locator("tr.refused")).ToContainTextAsync("Rechazada");
            await Assertions.Expect(page.Locator("tr.refused td.n")).ToHaveTextAsync("3");
            await Browser.AssertAccessibleAsync(page);
            var receipts = await page.Locator("tr.accepted a").AllInnerTextsAsync();

            // The same file again: nothing new, the same receipts.
            await page.GetByLabel("Archivo CSV").SetInputFilesAsync(file);
            await page.GetByRole(AriaRole.Button, new() { Name = "Registrar los formularios" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("3 filas: 0 registradas ahora, 2 ya registradas, 1 rechazadas.");
            Assert.Equal(receipts, await page.Locator("tr.already-recorded a").AllInnerTextsAsync());
            Assert.Equal(2, await app.Service<Participa.Storage.ProposalStore>().CountAsync(plan.Id, new(), CancellationToken.None));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Staff_see_only_what_their_roles_allow()
    {
        await using var app = await ParticipaApp.StartAsync();
        var bill = await app.AddBillProcessAsync();
        await using var context = await Browser.ContextAsync(app, width: 1024);
        var page = await context.NewPageAsync();
        await SignInAsync(page, "/staff", "Moderación");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Moderación" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Revisión del Congreso" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Facilitación de mesas" })).ToHaveCountAsync(0);
        await Browser.AssertAccessibleAsync(page);

        var forbidden = await page.GotoAsync($"/staff/processes/{bill.Id}/review");
        Assert.Equal(403, forbidden!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "No permitido" })).ToBeVisibleAsync();

        // Signing out ends it: the staff page sends the browser to sign in again.
        await page.GotoAsync("/staff");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cerrar sesión" }).ClickAsync();
        await page.GotoAsync("/staff");
        Assert.Contains("/staff/sign-in", page.Url);
    }
}
