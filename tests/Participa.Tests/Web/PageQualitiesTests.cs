using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Participa.Domain;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Web;

/// <summary>What every citizen page promises: accessible, light, usable on a phone, bilingual, safe with what citizens write.</summary>
public sealed class PageQualitiesTests
{
    static async Task<string> ProposeAsync(IPage page, string processId, string title, string theme)
    {
        await page.GotoAsync($"/processes/{processId}/propose");
        await page.GetByLabel("Título de su propuesta").FillAsync(title);
        await page.GetByLabel("El problema").FillAsync("Descripción del problema.");
        await page.GetByLabel("Lo que propone").FillAsync("Descripción de la solución.");
        await page.GetByLabel("Eje temático").SelectOptionAsync(theme);
        await page.GetByLabel("Departamento").SelectOptionAsync("guatemala");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enviar" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Gracias: lo que envió fue recibido y guardado.")).ToBeVisibleAsync();
        return Regex.Match(page.Url, "/receipts/([0-9a-f]{32})").Groups[1].Value;
    }

    static async Task HideAsync(ParticipaApp app, string processId, string itemId, string reason = "spam")
    {
        using var client = app.CreateClient();
        var token = StaffTokens.For("Participa.Moderator");
        using var read = new HttpRequestMessage(HttpMethod.Get, $"/api/processes/{processId}/moderation/{itemId}").WithToken(token);
        var etag = (await (await client.SendAsync(read)).ReadJsonAsync()).GetProperty("item").GetProperty("etag").GetString();
        using var hide = new HttpRequestMessage(HttpMethod.Post, $"/api/processes/{processId}/moderation/{itemId}/decisions")
        {
            Content = Http.Json(new { action = "hide", reasonCategory = reason, note = "Publicidad de una empresa." }),
        }.WithToken(token);
        hide.Headers.TryAddWithoutValidation("If-Match", etag);
        Assert.Equal(System.Net.HttpStatusCode.Created, (await client.SendAsync(hide)).StatusCode);
    }

    [Fact]
    public async Task Only_the_author_with_the_receipt_code_can_appeal_a_hidden_item()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        await using var author = await Browser.ContextAsync(app);
        var page = await author.NewPageAsync();
        var id = await ProposeAsync(page, process.Id, "Compre nuestros productos", process.Themes[0].Id);
        var code = await page.Locator(".code-box code").InnerTextAsync();
        await HideAsync(app, process.Id, id);

        // The public log shows the decision, and links to the receipt.
        await using var stranger = await Browser.ContextAsync(app, javaScript: false);
        var other = await stranger.NewPageAsync();
        await other.GotoAsync($"/processes/{process.Id}/moderation-log");
        await Assertions.Expect(other.Locator("table")).ToContainTextAsync("Spam o publicidad: Publicidad de una empresa.");
        await other.GetByRole(AriaRole.Link, new() { Name = "Propuesta" }).ClickAsync();

        // Someone else reads the receipt: the state and reason, but no code; a guessed code is refused, tied to its field.
        await Assertions.Expect(other.Locator(".receipt")).ToContainTextAsync("Ocultado por moderación");
        await Assertions.Expect(other.Locator(".code-box")).ToHaveCountAsync(0);
        await other.GetByLabel("Código de apelación").FillAsync("7K2M-9QXR-AAAA-BBBB");
        await other.GetByLabel("Por qué debe publicarse").FillAsync("No es spam.");
        await other.GetByRole(AriaRole.Button, new() { Name = "Enviar la apelación" }).ClickAsync();
        var field = other.Locator("#f-appealCode");
        await Assertions.Expect(field).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(other.Locator("#f-appealCode-error")).ToContainTextAsync("Este código no corresponde a este comprobante.");
        Assert.Contains("f-appealCode-error", await field.GetAttributeAsync("aria-describedby"));
        // Without any code, it is required.
        await other.GetByLabel("Código de apelación").FillAsync("");
        await other.GetByRole(AriaRole.Button, new() { Name = "Enviar la apelación" }).ClickAsync();
        await Assertions.Expect(other.Locator("#f-appealCode")).ToHaveAttributeAsync("aria-invalid", "true");

        // The author's own browser shows the code with the receipt; with it, the one appeal goes through.
        var own = await page.GotoAsync($"/processes/{process.Id}/receipts/{id}");
        await Assertions.Expect(page.Locator(".code-box code")).ToHaveTextAsync(code);
        var cacheControl = (await own!.AllHeadersAsync())["cache-control"];
        Assert.Contains("no-store", cacheControl);
        Assert.Contains("private", cacheControl);
        await Assertions.Expect(page.Locator(".receipt")).ToContainTextAsync("Ocultado por moderación");
        await page.GetByLabel("Código de apelación").FillAsync(code);
        await page.GetByLabel("Por qué debe publicarse").FillAsync("Es una propuesta, no publicidad.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enviar la apelación" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Su apelación fue recibida.")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".receipt")).ToContainTextAsync("Pendiente");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Enviar la apelación" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Every_citizen_page_passes_axe_in_both_languages()
    {
        await using var app = await ParticipaApp.StartAsync();
        var plan = await app.AddCoCreationWithDraftAsync();
        var bill = await app.AddBillProcessAsync();
        await using var context = await Browser.ContextAsync(app, width: 1024);
        var page = await context.NewPageAsync();
        var id = await ProposeAsync(page, plan.Id, "Datos abiertos de compras", plan.Themes[0].Id);
        var hidden = await ProposeAsync(page, plan.Id, "Publicidad", plan.Themes[0].Id);
        await HideAsync(app, plan.Id, hidden);
        Assert.True((await app.RunTimerAsync()).Succeeded);
        var section = SampleDocuments.ActionPlanDraftV2.Sections[0].Id;
        string[] pages =
        [
            "/", $"/processes/{plan.Id}", $"/processes/{plan.Id}/propose", $"/processes/{plan.Id}/proposals", $"/processes/{plan.Id}/proposals/{id}",
            $"/processes/{plan.Id}/documents/{SampleDocuments.ActionPlanDraft.Id}", $"/processes/{plan.Id}/documents/{SampleDocuments.ActionPlanDraft.Id}/sections/{section}",
            $"/processes/{plan.Id}/receipts/{id}", $"/processes/{plan.Id}/receipts/{hidden}", $"/processes/{plan.Id}/statistics",
            $"/processes/{plan.Id}/moderation-log", $"/processes/{bill.Id}", $"/processes/{bill.Id}/documents/{SampleDocuments.Bill5210.Id}",
            $"/processes/{bill.Id}/opinion", $"/processes/{bill.Id}/opinion?article={SampleDocuments.Bill5210V1.Sections[0].Id}", "/processes/no-such-process",
        ];
        foreach (var language in new[] { "es", "en" })
        {
            await page.GotoAsync($"/language?to={language}&return=/");
            foreach (var url in pages)
            {
                await page.GotoAsync(url);
                Assert.Equal(language, await page.Locator("html").GetAttributeAsync("lang"));
                await Browser.AssertAccessibleAsync(page);
            }
        }
        // A form sent back with its errors, too.
        await page.GotoAsync($"/processes/{plan.Id}/propose");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Assertions.Expect(page.Locator(".error-summary")).ToBeVisibleAsync();
        await Browser.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task A_first_visit_to_a_process_page_is_light_and_fits_a_360_pixel_phone()
    {
        await using var app = await ParticipaApp.StartAsync();
        var plan = await app.AddCoCreationWithDraftAsync();
        await using var context = await Browser.ContextAsync(app, width: 360);
        var page = await context.NewPageAsync();
        var responses = new List<IResponse>();
        page.Response += (_, response) => responses.Add(response);
        await page.GotoAsync($"/processes/{plan.Id}", new() { WaitUntil = WaitUntilState.NetworkIdle });

        long transferred = 0;
        foreach (var response in responses)
        {
            var sizes = await response.Request.SizesAsync();
            transferred += sizes.ResponseBodySize + sizes.ResponseHeadersSize;
        }
        Console.WriteLine($"First visit to a process page: {responses.Count} responses, {transferred:N0} bytes");
        Assert.True(transferred <= 100 * 1024, $"{transferred} bytes over {responses.Count} responses");

        // Nothing wider than the screen: no sideways scrolling on a 360 px phone.
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"));
        var shot = Path.Combine(AppContext.BaseDirectory, "screenshots", "process-page-360.png");
        Directory.CreateDirectory(Path.GetDirectoryName(shot)!);
        await page.ScreenshotAsync(new() { Path = shot, FullPage = true });
        Assert.True(new FileInfo(shot).Length > 10_000);
        await page.GotoAsync($"/processes/{plan.Id}/propose");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetDirectoryName(shot)!, "proposal-form-360.png"), FullPage = true });

        // The stylesheet is fingerprinted and cached for a year.
        var css = responses.First(r => r.Url.EndsWith(".css", StringComparison.Ordinal));
        Assert.Matches(@"/assets/site\.[0-9a-f]{12}\.css$", css.Url);
        Assert.Contains("immutable", (await css.AllHeadersAsync())["cache-control"]);
    }

    [Fact]
    public async Task The_language_switch_is_on_every_page_and_sticks()
    {
        await using var app = await ParticipaApp.StartAsync();
        var plan = await app.AddProcessAsync();
        await using var context = await Browser.ContextAsync(app, javaScript: false, locale: "es-GT");
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/processes/{plan.Id}");
        Assert.Equal("es", await page.Locator("html").GetAttributeAsync("lang"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Participe" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        // Back on the same page, in English, and the next page too.
        Assert.EndsWith($"/processes/{plan.Id}", page.Url);
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Take part" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Send a proposal" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Send a proposal" })).ToBeVisibleAsync();
        // Dates in the reader's language, in Guatemala's time, the zone named.
        await page.GotoAsync($"/processes/{plan.Id}");
        await Assertions.Expect(page.Locator("time").First).ToContainTextAsync("(Guatemala time)");

        await page.GetByRole(AriaRole.Link, new() { Name = "Español" }).ClickAsync();
        Assert.Equal("es", await page.Locator("html").GetAttributeAsync("lang"));
        await Assertions.Expect(page.Locator("time").First).ToContainTextAsync("(hora de Guatemala)");

        // An English reader's browser gets English without choosing; the switch only goes to this site.
        await using var english = await Browser.ContextAsync(app, javaScript: false, locale: "en-US");
        var en = await english.NewPageAsync();
        await en.GotoAsync("/");
        Assert.Equal("en", await en.Locator("html").GetAttributeAsync("lang"));
        await en.GotoAsync("/language?to=es&return=//evil.example/");
        Assert.StartsWith(app.Host.BaseAddress.ToString().TrimEnd('/'), en.Url);
    }

    [Fact]
    public async Task A_keyboard_alone_completes_a_proposal_with_focus_always_visible()
    {
        await using var app = await ParticipaApp.StartAsync();
        var plan = await app.AddProcessAsync();
        await using var context = await Browser.ContextAsync(app, width: 1024);
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/processes/{plan.Id}");

        // Tab to the "send a proposal" link and follow it with Enter.
        await TabUntilAsync(page, "Enviar una propuesta");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Enviar una propuesta" })).ToBeVisibleAsync();

        // First send it empty: the errors are tied to their fields and listed at the top.
        await TabUntilAsync(page, "Enviar");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator(".error-summary")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#f-title")).ToHaveAttributeAsync("aria-invalid", "true");
        Assert.Contains("f-title-error", await page.Locator("#f-title").GetAttributeAsync("aria-describedby"));

        await TabUntilAsync(page, "Título de su propuesta");
        await page.Keyboard.TypeAsync("Bibliotecas abiertas los sábados");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("Las bibliotecas cierran el fin de semana.");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("Abrirlas los sábados por la mañana.");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("ArrowDown");   // the first theme
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("ArrowDown");   // the first department
        await TabUntilAsync(page, "Enviar");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByText("Gracias: lo que envió fue recibido y guardado.")).ToBeVisibleAsync();
        var id = Regex.Match(page.Url, "/receipts/([0-9a-f]{32})").Groups[1].Value;
        Assert.Equal("Bibliotecas abiertas los sábados",
            (await app.Service<Participa.Storage.ProposalStore>().FindAsync(plan.Id, id, CancellationToken.None))!.Item.Title);
    }

    /// <summary>Presses Tab until the focused element is named <paramref name="name"/>, checking on the way that focus is always drawn.</summary>
    static async Task TabUntilAsync(IPage page, string name)
    {
        for (var i = 0; i < 80; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focused = await page.EvaluateAsync<string[]>(@"() => {
                const e = document.activeElement, s = getComputedStyle(e);
                const label = e.labels && e.labels.length ? e.labels[0].innerText : (e.innerText || e.value || '');
                return [label.trim(), s.outlineStyle, s.outlineWidth];
            }");
            Assert.True(focused[1] != "none" && focused[2] != "0px", $"focus not visible on '{focused[0]}': outline {focused[1]} {focused[2]}");
            if (focused[0].StartsWith(name, StringComparison.Ordinal)) return;
        }
        Assert.Fail($"Tab never reached '{name}'");
    }

    [Fact]
    public async Task Markup_a_citizen_writes_is_shown_as_text_and_never_runs()
    {
        await using var app = await ParticipaApp.StartAsync();
        var plan = await app.AddProcessAsync();
        await using var context = await Browser.ContextAsync(app);
        var page = await context.NewPageAsync();
        var dialogs = 0;
        page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };
        const string markup = "<img src=x onerror=alert(1)><script>alert(2)</script><a href=\"javascript:alert(3)\">clic</a>";
        var id = await ProposeAsync(page, plan.Id, markup, plan.Themes[0].Id);

        await page.GotoAsync($"/processes/{plan.Id}/proposals/{id}");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = markup })).ToBeVisibleAsync();
        await page.GotoAsync($"/processes/{plan.Id}/proposals");
        await Assertions.Expect(page.GetByText(markup)).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("main img, main script, main a[href^='javascript']").CountAsync());
        Assert.Equal(0, dialogs);
        // Even if markup got through, the Content-Security-Policy would not run it.
        var response = await page.GotoAsync($"/processes/{plan.Id}/proposals/{id}");
        Assert.Contains("default-src 'none'", (await response!.AllHeadersAsync())["content-security-policy"]);
    }
}
