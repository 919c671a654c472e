using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ErpFunctions.FunctionTests.Browser;

/// <summary>
/// The operator page in a real browser: Procore's Budgets tab flow (sign in, the list, filter, the three totals, a
/// disabled button with its reason, preview, re-import with confirmation, history, sign out), each viewer's own
/// permission, and an accessibility check of the list, the dialog and the preview.
/// </summary>
[Trait("Category", "Browser")]
public class OperatorPageTests : IAsyncLifetime
{
    private const string Olivia = "olivia@summit.example";
    private const string Rita = "rita@summit.example";

    private PageSession session = null!;

    public async Task InitializeAsync() => session = await PageSession.StartAsync();

    public async Task DisposeAsync() => await session.DisposeAsync();

    private static ILocator Row(IPage page, string job) => page.Locator($"tr[data-job=\"{job}\"]");

    private static ILocator Button(IPage page, string name) => page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    [Fact]
    public async Task An_operator_signs_in_previews_re_imports_follows_the_history_and_signs_out()
    {
        var signedOut = await (await session.Browser.NewPageAsync()).GotoAsync(session.BaseUrl + "/app/");
        signedOut!.Ok.Should().BeTrue();

        var page = await session.SignInAsync(Olivia);
        await PageSession.WaitForTotalsAsync(page);

        // The list is complete on a fresh start: every active and inactive job, the unlinked one with why.
        await Expect(page.Locator("tr[data-job]")).ToHaveCountAsync(6);
        await Expect(Row(page, "26-606").Locator(".state")).ToHaveTextAsync("Not linked");
        var harbor = Row(page, "22-208");
        await Expect(harbor.Locator(".total-spectrum")).ToHaveTextAsync("$503,613.39");
        await Expect(harbor.Locator(".total-procore")).ToHaveTextAsync("$203,650.75");
        await Expect(harbor.Locator(".total-new")).ToHaveTextAsync("$511,763.39");
        var locked = Row(page, "26-607");
        await Expect(Button(page, "Re-import 26-607")).ToBeDisabledAsync();
        await Expect(locked.Locator(".reason")).ToContainTextAsync("locked");
        (await PageSession.SeriousViolationsAsync(page.Locator("body"))).Should().BeEmpty("the list must be usable with assistive technology");
        await PageSession.ScreenshotAsync(page, "budgets-tab");

        await Button(page, "Preview 22-208").ClickAsync();
        var preview = page.Locator("#preview-dialog");
        var lines = preview.GetByRole(AriaRole.Table, new() { Name = "Planned lines" });
        await Expect(lines.Locator("tr.line[data-kind=\"Update\"]").First).ToBeVisibleAsync();
        await Expect(lines.Locator("tr.line[data-kind=\"Create\"]").First).ToBeVisibleAsync();
        (await PageSession.SeriousViolationsAsync(preview)).Should().BeEmpty("the preview must be usable with assistive technology");
        await PageSession.ScreenshotAsync(page, "preview", preview);
        await preview.GetByRole(AriaRole.Button, new() { Name = "Close", Exact = true }).ClickAsync();

        await Button(page, "Re-import 22-208").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Please Confirm" });
        await Expect(dialog).ToContainTextAsync("$511,763.39");
        (await PageSession.SeriousViolationsAsync(dialog)).Should().BeEmpty("the dialog must be usable with assistive technology");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Re-import", Exact = true }).ClickAsync();
        await Expect(dialog.Locator(".run-status")).ToContainTextAsync("Successfully re-imported to Procore", new() { Timeout = 60_000 });
        await PageSession.ScreenshotAsync(page, "re-import-succeeded", fullPage: false);
        session.Runner.Harness.Procore.State.Read(s => s.BudgetLines.Where(l => l.ProjectId == 3000000101).Sum(l => l.Amount))
            .Should().Be(511763.39m, "Procore now holds the plan's New Procore total");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Close", Exact = true }).ClickAsync();

        await Button(page, "Synced").ClickAsync();
        await Expect(page.Locator("tr[data-job]")).ToHaveCountAsync(1);
        await Expect(Row(page, "22-208").Locator(".state")).ToHaveTextAsync("Synced");

        await Button(page, "History 22-208").ClickAsync();
        var history = page.Locator("#history-dialog");
        var run = history.Locator("li.run").First;
        await Expect(run).ToContainTextAsync("Successfully re-imported to Procore");
        await run.GetByRole(AriaRole.Button, new() { Name = "Show lines" }).ClickAsync();
        await Expect(run.Locator("tr.line").First).ToBeVisibleAsync();
        (await run.Locator("tr.line").CountAsync()).Should().BeGreaterThan(5);
        await history.GetByRole(AriaRole.Button, new() { Name = "Close", Exact = true }).ClickAsync();

        await Button(page, "Sign out").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Procore", Exact = true })).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Procore", Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator("tr[data-job]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_read_only_user_sees_re_import_unavailable_while_a_standard_user_at_the_same_time_does_not()
    {
        var standard = await session.SignInAsync(Olivia);
        var readOnly = await session.SignInAsync(Rita);
        await PageSession.WaitForTotalsAsync(standard);
        await readOnly.ReloadAsync();
        await PageSession.WaitForTotalsAsync(readOnly);
        await standard.ReloadAsync();
        await PageSession.WaitForTotalsAsync(standard);

        await Expect(Button(readOnly, "Re-import 22-208")).ToBeDisabledAsync();
        await Expect(Row(readOnly, "22-208").Locator(".reason")).ToContainTextAsync("Read Only");
        await Expect(Button(standard, "Re-import 22-208")).ToBeEnabledAsync();
    }
}
