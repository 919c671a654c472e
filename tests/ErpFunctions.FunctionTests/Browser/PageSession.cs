using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using ErpFunctions.FunctionTests.Support;
using Microsoft.Playwright;

namespace ErpFunctions.FunctionTests.Browser;

/// <summary>
/// Debian's Chromium driven by Playwright (its own browser download cannot work here), headless, without a sandbox and
/// without the background networking a closed network refuses, against the local runner and both simulators.
/// </summary>
public sealed class PageSession : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly IPlaywright playwright;

    private PageSession(IPlaywright playwright, IBrowser browser, RunnerHost runner)
    {
        this.playwright = playwright;
        Browser = browser;
        Runner = runner;
    }

    public IBrowser Browser { get; }
    public RunnerHost Runner { get; }
    public string BaseUrl => Runner.Client.BaseAddress!.ToString().TrimEnd('/');

    public static async Task<PageSession> StartAsync()
    {
        File.Exists(ChromiumPath).Should().BeTrue("the test command installs Debian's chromium (apt) when it is missing");
        var runner = await RunnerHost.StartAsync(settings =>
        {
            // The preflight's queue message is picked up at once, rather than after host.json's idle polling interval.
            settings["AzureFunctionsJobHost:extensions:queues:maxPollingInterval"] = "00:00:00.200";
        });
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
        return new PageSession(playwright, browser, runner);
    }

    /// <summary>A browser of its own (cookies included), signed in through Procore's sign-in page as <paramref name="login"/>.</summary>
    public async Task<IPage> SignInAsync(string login)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 768 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(BaseUrl + "/app/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Procore", Exact = true }).ClickAsync();
        await page.GetByLabel("Email").FillAsync(login);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        return page;
    }

    /// <summary>Waits until the list says every linked job's totals were worked out.</summary>
    public static async Task WaitForTotalsAsync(IPage page) =>
        await Assertions.Expect(page.Locator("#preflight")).ToContainTextAsync("Totals computed", new() { Timeout = 60_000 });

    /// <summary>The serious and critical accessibility violations axe-core finds in <paramref name="scope"/>.</summary>
    public static async Task<IReadOnlyList<string>> SeriousViolationsAsync(ILocator scope)
    {
        var result = await scope.RunAxe();
        return [.. result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")];
    }

    /// <summary>Set to <c>1</c> to refresh the screenshots the README shows, beside the browser tests.</summary>
    public const string RefreshScreenshots = "ERPFUNCTIONS_REFRESH_SCREENSHOTS";

    /// <summary>
    /// Saves a screenshot in the test output folder; with <see cref="RefreshScreenshots"/> set, over the committed one the
    /// README shows, so that an ordinary test run leaves the working tree as it was.
    /// </summary>
    /// <param name="fullPage">The whole page, not just what a laptop screen shows (a modal dialog's backdrop covers only that).</param>
    public static async Task ScreenshotAsync(IPage page, string name, ILocator? element = null, bool fullPage = true)
    {
        var folder = Environment.GetEnvironmentVariable(RefreshScreenshots) == "1" ? CommittedScreenshots : Path.Combine(AppContext.BaseDirectory, "screenshots");
        var path = Path.Combine(folder, name + ".png");
        if (element is null)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage });
        }
        else
        {
            await element.ScreenshotAsync(new LocatorScreenshotOptions { Path = path });
        }
    }

    private static string CommittedScreenshots
    {
        get
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (!File.Exists(Path.Combine(root.FullName, "ErpFunctions.sln")))
            {
                root = root.Parent!;
            }

            return Path.Combine(root.FullName, "tests", "ErpFunctions.FunctionTests", "Browser", "screenshots");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright.Dispose();
        await Runner.DisposeAsync();
    }
}
