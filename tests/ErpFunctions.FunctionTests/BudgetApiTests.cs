using ErpFunctions.FunctionTests.Support;
using ErpFunctions.Functions.Budgets;
using ErpFunctions.Functions.Health;
using ErpFunctions.Functions.Http;
using Microsoft.AspNetCore.Mvc;

namespace ErpFunctions.FunctionTests;

public class BudgetApiTests : IAsyncLifetime
{
    private FunctionHost host = null!;

    public async Task InitializeAsync() => host = await FunctionHost.StartAsync();

    public async Task DisposeAsync() => await host.DisposeAsync();

    private Task<IActionResult> List(string query) => host.Function<BudgetFunctions>().List(FunctionHost.Request("GET", query: query));

    [Fact]
    public async Task Lists_synced_and_ready_budgets_from_their_snapshots_without_calling_Procore_or_Spectrum()
    {
        await host.Harness.RunAsync("22-208");
        await host.Function<BudgetFunctions>().Refresh(FunctionHost.Request("POST"), "26-607");
        await List("?filter=all");
        host.Harness.Procore.Log.Clear();
        host.Harness.Spectrum.Log.Clear();

        var synced = (await List("?filter=synced")).Body<BudgetListModel>();
        var ready = (await List("?filter=ready")).Body<BudgetListModel>();
        var all = (await List("")).Body<BudgetListModel>();

        synced.Items.Should().ContainSingle().Which.Should().Match<BudgetModel>(b =>
            b.Job == "22-208" && b.Synced && b.ProjectId == 3000000101 && b.LastRun!.Status == "Succeeded"
            && b.Totals.CurrentSpectrum == 503613.39m && b.Totals.CurrentProcore == 511763.39m && b.Totals.AsOf != null
            && b.ProcoreBudgetUrl!.Contains("3000000101"));
        var locked = ready.Items.Should().ContainSingle().Which;
        (locked.Job, locked.ReimportAvailable, locked.Unavailable!.Code).Should().Be(("26-607", false, "ProcoreBudgetLocked"));
        all.Items.Select(i => i.Job).Should().BeEquivalentTo(["22-208", "26-607"]);
        host.Harness.Procore.ApiCalls.Where(c => c.Path.StartsWith("/rest/v1.0/me") || c.Path.StartsWith("/rest/v1.0/settings")).Should().BeEmpty(
            "the operator's permission answer is cached");
        host.Harness.Procore.ApiCalls.Should().BeEmpty();
        host.Harness.Spectrum.ServiceCalls.Should().BeEmpty();
    }

    [Fact]
    public async Task Pages_the_list()
    {
        foreach (var job in new[] { "22-208", "19-101", "25-505" })
        {
            await host.Function<BudgetFunctions>().Refresh(FunctionHost.Request("POST"), job);
        }

        var first = (await List("?pageSize=2")).Body<BudgetListModel>();
        var second = (await List("?pageSize=2&pageToken=" + Uri.EscapeDataString(first.NextPageToken!))).Body<BudgetListModel>();

        first.Items.Should().HaveCount(2);
        second.Items.Should().ContainSingle();
        second.NextPageToken.Should().BeNull("nothing follows the last page");
        first.Items.Concat(second.Items).Select(i => i.Job).Should().BeEquivalentTo(["19-101", "22-208", "25-505"]);
    }

    [Theory]
    [InlineData("?filter=everything", "filter")]
    [InlineData("?filter=1", "filter")]
    [InlineData("?pageSize=0", "pageSize")]
    [InlineData("?pageSize=lots", "pageSize")]
    public async Task Refuses_a_bad_query_naming_the_parameter(string query, string field)
    {
        var result = await List(query);

        result.Status().Should().Be(400);
        result.Problem().Extensions["field"].Should().Be(field);
    }

    [Fact]
    public async Task Previews_the_line_level_plan_without_writing()
    {
        var result = await host.Function<BudgetFunctions>().Preview(FunctionHost.Request("GET"), "22-208");

        var preview = result.Body<PreviewModel>();
        preview.ReimportAvailable.Should().BeTrue();
        preview.Totals.NewProcoreOnReimport.Should().Be(511763.39m);
        preview.Counts.Should().Contain(new KeyValuePair<string, int>("Create", 7));
        preview.Lines.Should().HaveCount(16);
        preview.Lines.Single(l => l.Phase == "014500" && l.CostType == "E").Rule.Should().Be("EstimateNotPositive");
        host.Harness.ProcoreWrites.Should().BeEmpty();
    }

    [Fact]
    public async Task Preview_of_an_unknown_job_is_404()
    {
        var result = await host.Function<BudgetFunctions>().Preview(FunctionHost.Request("GET"), "99-999");

        result.Status().Should().Be(404);
        result.Problem().Extensions["field"].Should().Be("job");
    }

    [Fact]
    public async Task Health_reports_storage_and_each_area_s_settings()
    {
        var result = await host.Function<HealthFunction>().Run(FunctionHost.Request("GET", token: null));

        result.Status().Should().Be(200);
        var body = System.Text.Json.JsonSerializer.SerializeToElement(result.Body<object>());
        body.GetProperty("status").GetString().Should().Be("healthy");
        var checks = body.GetProperty("checks").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        checks.Should().ContainKeys("storage", "storageSettings", "queueSettings", "spectrumSettings", "procoreSettings",
            "procoreBudgetSettings", "linkSettings", "operatorSettings", "reimportSettings", "webhookSettings", "resyncSettings");
        checks.Values.Should().OnlyContain(v => v == "ok");
    }

    [Fact]
    public async Task Health_reports_invalid_configuration_as_503_naming_the_setting()
    {
        await using var misconfigured = await FunctionHost.StartAsync(s => s["Procore:PageSize"] = "5000");

        var result = await misconfigured.Function<HealthFunction>().Run(FunctionHost.Request("GET", token: null));

        result.Status().Should().Be(503);
        var checks = System.Text.Json.JsonSerializer.SerializeToElement(result.Body<object>()).GetProperty("checks");
        checks.GetProperty("procoreSettings").GetString().Should().Contain("PageSize");
        checks.GetProperty("storage").GetString().Should().Be("ok");
    }
}
