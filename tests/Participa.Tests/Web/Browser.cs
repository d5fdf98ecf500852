using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Web;

/// <summary>
/// One headless chromium (Debian's, installed by scripts/test.sh) for the whole run; every test gets its own context
/// (cookies, viewport, JavaScript on or off) and its own app, so no test sees another's state.
/// </summary>
public static class Browser
{
    static readonly Lazy<Task<IBrowser>> Shared = new(LaunchAsync);

    static async Task<IBrowser> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { browser.CloseAsync().GetAwaiter().GetResult(); playwright.Dispose(); };
        return browser;
    }

    /// <summary>A fresh browser profile: Spanish-speaking by default, a phone-sized screen unless told otherwise.</summary>
    public static async Task<IBrowserContext> ContextAsync(ParticipaApp app, bool javaScript = true, string locale = "es-GT", int width = 360)
    {
        var browser = await Shared.Value;
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.Host.BaseAddress.ToString().TrimEnd('/'),
            JavaScriptEnabled = javaScript,
            Locale = locale,
            ViewportSize = new ViewportSize { Width = width, Height = 800 },
        });
        context.SetDefaultTimeout(30_000);
        return context;
    }

    /// <summary>axe-core's WCAG 2.0-2.2 A and AA rules and its best practices; every violation listed in the failure.</summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
        });
        var violations = result.Violations.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Html).Take(3))}").ToList();
        Assert.True(violations.Count == 0, $"{page.Url}\n" + string.Join("\n", violations));
    }
}
