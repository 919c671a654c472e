using Microsoft.Extensions.Time.Testing;
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
    public async Task Lists_every_Spectrum_job_from_the_first_call_the_unlinked_ones_with_why()
    {
        var all = (await List("")).Body<BudgetListModel>();

        all.Items.Select(i => i.Job).Should().BeEquivalentTo(["21-150", "22-208", "24-404", "25-505", "26-606", "26-607"],
            "every active and inactive job Spectrum has; completed ones only when asked");
        var harbor = all.Items.Single(i => i.Job == "22-208");
        (harbor.State, harbor.JobName, harbor.JobStatus, harbor.ProjectId).Should().Be(("Ready to import", "Harbor Pier Expansion", "Active", 3000000101L));
        var unlinked = all.Items.Single(i => i.Job == "26-606");
        (unlinked.State, unlinked.ProjectId, unlinked.ReimportAvailable, unlinked.Unavailable!.Code).Should().Be(("Not linked", null, false, "JobNotLinked"));
        unlinked.NotLinkedReason.Should().Contain("No Procore project has job 26-606");
        (await List("?filter=notlinked")).Body<BudgetListModel>().Items.Select(i => i.Job).Should().Equal("26-606");
    }

    [Fact]
    public async Task Lists_from_its_snapshots_without_calling_Procore_or_Spectrum_once_the_job_list_is_fresh()
    {
        await host.Harness.RunAsync("22-208");
        await host.Function<BudgetFunctions>().Refresh(FunctionHost.Request("POST"), "26-607");
        await List("?filter=all");
        host.Harness.Procore.Log.Clear();
        host.Harness.Spectrum.Log.Clear();

        var synced = (await List("?filter=synced")).Body<BudgetListModel>();
        var ready = (await List("?filter=ready")).Body<BudgetListModel>();

        synced.Items.Should().ContainSingle().Which.Should().Match<BudgetModel>(b =>
            b.Job == "22-208" && b.Synced && b.State == "Synced" && b.ProjectId == 3000000101 && b.LastRun!.Status == "Succeeded"
            && b.Totals.CurrentSpectrum == 503613.39m && b.Totals.CurrentProcore == 511763.39m && b.Totals.AsOf != null
            && b.ProcoreBudgetUrl!.Contains("3000000101"));
        var locked = ready.Items.Single(i => i.Job == "26-607");
        (locked.ReimportAvailable, locked.Unavailable!.Code).Should().Be((false, "ProcoreBudgetLocked"));
        ready.Items.Select(i => i.Job).Should().NotContain(["22-208", "26-606"]);
        host.Harness.Procore.ApiCalls.Should().BeEmpty("the job list is fresh and the operator's permission answer is cached");
        host.Harness.Spectrum.ServiceCalls.Should().BeEmpty();
    }

    [Fact]
    public async Task Lists_completed_jobs_only_when_asked()
    {
        (await List("")).Body<BudgetListModel>().Items.Select(i => i.Job).Should().NotContain("19-101");

        var withCompleted = (await List("?includeCompleted=true")).Body<BudgetListModel>();

        withCompleted.Items.Single(i => i.Job == "19-101").JobStatus.Should().Be("Complete");
        (await List("?includeCompleted=maybe")).Problem().Extensions["field"].Should().Be("includeCompleted");
    }

    [Fact]
    public async Task Shows_each_viewer_their_own_permission_never_one_another_operator_left_behind()
    {
        await host.Function<BudgetFunctions>().Preview(FunctionHost.Request("GET", token: "sim-operator-readonly"), "22-208");

        var standard = (await List("")).Body<BudgetListModel>().Items.Single(i => i.Job == "22-208");
        var readOnly = (await host.Function<BudgetFunctions>().List(FunctionHost.Request("GET", token: "sim-operator-readonly")))
            .Body<BudgetListModel>().Items.Single(i => i.Job == "22-208");

        (standard.ReimportAvailable, standard.Unavailable).Should().Be((true, null));
        (readOnly.ReimportAvailable, readOnly.Unavailable!.Code).Should().Be((false, "PermissionDenied"));
        readOnly.Unavailable.Message.Should().Contain("Read Only").And.Contain("Standard or higher");
    }

    [Fact]
    public async Task A_first_list_starts_a_preflight_that_works_out_every_linked_job_s_totals()
    {
        var first = (await List("")).Body<BudgetListModel>();
        first.Preflight.Should().NotBeNull();
        (first.Preflight!.Status, first.Preflight.Total).Should().Be(("Queued", 6), "six jobs are linked, the completed one included");
        first.Items.Where(i => i.ProjectId is not null).Should().OnlyContain(i => i.ReimportAvailable == null, "nothing was worked out yet");

        await host.DrainAsync();
        var after = (await List("")).Body<BudgetListModel>();

        (after.Preflight!.Status, after.Preflight.Done, after.Preflight.Failed).Should().Be(("Finished", 6, 0));
        var harbor = after.Items.Single(i => i.Job == "22-208");
        (harbor.Totals.CurrentSpectrum, harbor.Totals.CurrentProcore, harbor.Totals.NewProcoreOnReimport)
            .Should().Be((503613.39m, 203650.75m, 511763.39m));
        harbor.ReimportAvailable.Should().BeTrue();
        after.Items.Single(i => i.Job == "26-607").Unavailable!.Code.Should().Be("ProcoreBudgetLocked");
        after.Items.Single(i => i.Job == "21-150").Unavailable!.Code.Should().Be("BudgetToolInactive");
        host.Harness.Procore.State.Read(s => s.BudgetLines.Count(l => l.ProjectId == 3000000101)).Should().Be(6, "a preflight writes nothing");
        (await List("")).Body<BudgetListModel>().Preflight!.Id.Should().Be(after.Preflight.Id, "every job was checked: no new one starts");
    }

    [Fact]
    public async Task A_preflight_waits_for_its_share_of_Spectrum_s_daily_budget_and_fails_no_job()
    {
        // A day's last minute: the wait must end at the next midnight UTC, whichever day the suite runs on.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 14, 23, 59, 0, TimeSpan.Zero)) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };
        await using var metered = await FunctionHost.StartAsync(s => s["Spectrum:DailyCallBudget"] = "8", time);
        await metered.Function<BudgetFunctions>().List(FunctionHost.Request("GET"));

        await metered.DrainAsync();
        var state = (await metered.Function<PreflightFunctions>().Get(FunctionHost.Request("GET"))).Body<PreflightModel>();

        // Half of 8 GetPhaseEnhanced calls a day are the background's: two jobs of two calls each (open and completed phases).
        (state.Status, state.Done, state.Failed).Should().Be(("Waiting", 2, 0));
        state.StatusText.Should().StartWith("Waiting for Spectrum's daily call budget until 00:00 UTC");
        state.WaitingUntil.Should().Be(new DateTimeOffset(2026, 3, 15, 0, 0, 0, TimeSpan.Zero));
        (await metered.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount.Should().Be(1, "the preflight waits on the queue, invisible until then");
    }

    [Fact]
    public async Task A_preflight_records_why_each_job_could_not_be_checked_and_goes_on()
    {
        var first = (await List("")).Body<BudgetListModel>();
        host.Harness.Spectrum.Faults.FailNext(1000, path: "/ws/GetPhaseEnhanced");

        await host.DrainAsync();
        var after = (await List("?includeCompleted=true")).Body<BudgetListModel>();

        (after.Preflight!.Id, after.Preflight.Status, after.Preflight.Done, after.Preflight.Failed).Should().Be((first.Preflight!.Id, "Finished", 6, 6));
        after.Preflight.StatusText.Should().Be("Checked 6 job(s); 6 could not be checked, each says why");
        after.Items.Where(i => i.ProjectId is not null).Should().HaveCount(6)
            .And.OnlyContain(i => i.RefreshProblem != null && i.ReimportAvailable == null, "each job says why its totals are missing");
        (await List("")).Body<BudgetListModel>().Preflight!.Id.Should().Be(first.Preflight.Id, "a job checked without success is not checked again");
    }

    [Fact]
    public async Task Serves_the_jobs_as_last_listed_while_Spectrum_cannot_answer()
    {
        await using var stale = await FunctionHost.StartAsync(s => s["Budgets:CatalogMaxAge"] = "00:00:00");
        var listed = (await stale.Function<BudgetFunctions>().List(FunctionHost.Request("GET"))).Body<BudgetListModel>();
        stale.Harness.Spectrum.Faults.FailNext(20, path: "/ws/GetJob");
        stale.Harness.Spectrum.Log.Clear();

        var again = await stale.Function<BudgetFunctions>().List(FunctionHost.Request("GET"));

        again.Status().Should().Be(200, "a list once read is served while Spectrum is out, rather than a 502");
        again.Body<BudgetListModel>().Items.Select(i => i.Job).Should().Equal(listed.Items.Select(i => i.Job));
        stale.Harness.Spectrum.ServiceCalls.Should().Contain(c => c.Path == "/ws/GetJob", "the stale list was asked for again");
    }

    [Fact]
    public async Task Pages_the_list()
    {
        var first = (await List("?pageSize=4")).Body<BudgetListModel>();
        var second = (await List("?pageSize=4&pageToken=" + Uri.EscapeDataString(first.NextPageToken!))).Body<BudgetListModel>();

        first.Items.Should().HaveCount(4);
        second.Items.Should().HaveCount(2);
        second.NextPageToken.Should().BeNull("nothing follows the last page");
        first.Items.Concat(second.Items).Select(i => i.Job).Should().BeEquivalentTo(["21-150", "22-208", "24-404", "25-505", "26-606", "26-607"]);
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
        checks.Should().ContainKeys("storage", "storageSettings", "spectrumSettings", "procoreSettings", "signInSettings", "budgetsSettings",
            "operatorSettings", "reimportSettings", "webhookSettings", "resyncSettings", "preflightSettings");
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
