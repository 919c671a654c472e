using ErpFunctions.Domain.Runs;
using ErpFunctions.FunctionTests.Support;
using ErpFunctions.Functions.Resync;
using ErpFunctions.Queueing;
using ErpFunctions.Resync;
using Microsoft.Azure.Functions.Worker;

namespace ErpFunctions.FunctionTests;

public class ResyncTests : IAsyncLifetime
{
    private FunctionHost host = null!;

    public async Task InitializeAsync()
    {
        host = await FunctionHost.StartAsync();
        await host.Harness.RunAsync("22-208");
        await host.Harness.RunAsync("19-101");
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    private async Task<SweepReport> Tick(FunctionHost on) => (await on.Function<NightlyResyncFunction>().Run(new TimerInfo(), default)).Single();

    [Fact]
    public async Task Queues_only_the_jobs_whose_totals_drifted()
    {
        host.Harness.Spectrum.Data.SetEstimate("ABC", "22-208", "055000", "M", 30000.00m);

        var report = await Tick(host);

        report.Queued.Should().Equal("22-208");
        report.InSync.Should().Be(1, "19-101 did not change");
        report.NeverImported.Should().BeGreaterThan(0, "linked jobs never imported wait for an operator");
        report.Finished.Should().BeTrue();
        var messages = await host.PeekAsync();
        messages.Should().ContainSingle();
        (await host.Harness.Runs.FindAsync(messages[0].RunId!, default))!.Trigger.Should().Be(RunTrigger.Timer);
    }

    [Fact]
    public async Task Notices_a_budget_changed_in_Procore_by_hand()
    {
        host.Harness.Procore.State.Write(s => s.BudgetLines.First(l => l.ProjectId == 3000000103).Amount += 1m);

        var report = await Tick(host);

        report.Queued.Should().Equal("19-101");
    }

    [Fact]
    public async Task Joins_a_job_whose_previous_run_is_still_queued()
    {
        host.Harness.Spectrum.Data.SetEstimate("ABC", "22-208", "055000", "M", 30000.00m);
        await Tick(host);

        var second = await Tick(host);

        second.Joined.Should().Equal("22-208");
        second.Queued.Should().BeEmpty();
        (await host.PeekAsync()).Should().ContainSingle();
    }

    [Fact]
    public async Task Stops_at_its_share_of_the_hourly_Procore_budget_and_resumes_on_the_next_tick()
    {
        await using var thrifty = await FunctionHost.StartAsync(s =>
        {
            s["Resync:HourlyCallLimit"] = "12";
            s["Resync:ShareOfHourlyLimit"] = "0.5";
            s["Resync:IncludeNeverImported"] = "true";
        });

        var first = await Tick(thrifty);
        var second = await Tick(thrifty);

        first.Finished.Should().BeFalse();
        first.ProcoreCalls.Should().BeLessThanOrEqualTo(first.ProcoreCallBudget).And.BeLessThanOrEqualTo(6);
        second.Checked.Should().BeGreaterThan(0);
        first.Queued.Concat(second.Queued).Should().OnlyHaveUniqueItems("the second tick resumes after the first");
        string.CompareOrdinal(second.Queued.Concat(second.Joined).First(), first.ResumeAfter).Should().BePositive();
    }

    [Fact]
    public async Task Reads_the_estimates_of_many_jobs_per_call_and_Procore_once_per_job()
    {
        await using var company = await FunctionHost.StartAsync(s => s["Resync:IncludeNeverImported"] = "true");
        company.Harness.Spectrum.Quirks.EnforceDeclaredLengths = false;
        await company.Harness.RunAsync("22-208");
        await Tick(company);
        company.Harness.Spectrum.Log.Clear();
        company.Harness.Procore.Log.Clear();

        var report = await Tick(company);

        var linked = report.Checked;
        linked.Should().BeGreaterThan(3);
        report.Failed.Should().BeEmpty();
        var estimateCalls = company.Harness.Spectrum.ServiceCalls.Where(c => c.Path == "/ws/GetPhaseEnhanced").ToList();
        var lists = estimateCalls.Where(c => c.Details["pJob_Number"].Contains(',')).ToList();
        lists.Should().HaveCount(2, "the small jobs' open rows fit one answer, and so do their completed rows");
        lists.Should().OnlyContain(c => c.Details["pJob_Number"].Split(',').Length >= linked - 1, "all jobs but the one over the cap share a call");
        estimateCalls.Except(lists).Should().OnlyContain(c => c.Details["pJob_Number"] == "24-404",
            "only the job over the row cap is read on its own, in the ranges its shape plans");
        estimateCalls.Count.Should().BeLessThanOrEqualTo(2 + (int)Math.Ceiling(2250 / 500.0) + 1);
        company.Harness.Procore.ApiCalls.Should().HaveCountLessThanOrEqualTo(2 * linked);
        report.SpectrumCalls.Should().Be(company.Harness.Spectrum.ServiceCalls.Count);
    }

    [Fact]
    public async Task Pauses_when_its_share_of_the_daily_Spectrum_budget_is_spent_and_fails_no_job()
    {
        await using var metered = await FunctionHost.StartAsync(s =>
        {
            s["Spectrum:DailyCallBudget"] = "6";
            s["Resync:ShareOfDailySpectrumBudget"] = "0.5";
        });
        await metered.Harness.RunAsync("22-208");
        await metered.Harness.RunAsync("19-101");

        var report = await Tick(metered);

        report.Finished.Should().BeFalse();
        report.PausedUntil!.Value.UtcDateTime.TimeOfDay.Should().Be(TimeSpan.Zero, "the budget resets at midnight UTC");
        report.Failed.Should().BeEmpty("a spent budget is a pause, not a failure");
        report.Queued.Should().BeEmpty();
        metered.Harness.Spectrum.ServiceCalls.Count(c => c.Path == "/ws/GetPhaseEnhanced").Should().BeLessThanOrEqualTo(6,
            "no call beyond the day's budget is sent");
        (await Tick(metered)).PausedUntil.Should().NotBeNull("the budget stays spent until midnight");
    }

    [Fact]
    public async Task Logs_each_tick_under_a_correlation_id_of_its_own()
    {
        await Tick(host);
        await Tick(host);

        var ticks = host.Harness.Logs.Entries.Where(e => e.Message.StartsWith("Re-sync checked", StringComparison.Ordinal)).ToList();
        ticks.Should().HaveCount(2);
        ticks.Select(t => t.Scope["CorrelationId"]).Should().AllSatisfy(id => id.Should().BeOfType<string>().Which.Should().StartWith("resync-"))
            .And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Reads_Procore_s_total_from_the_budget_view_the_engine_reads()
    {
        await using var named = await FunctionHost.StartAsync(s =>
        {
            s["Reimport:BudgetViewName"] = "Procore Standard Budget";
            s["Resync:IncludeNeverImported"] = "true";
        });
        var standard = named.Harness.Procore.State.Write(s =>
        {
            var project = s.Projects.Single(p => p.Id == 3000000105);
            project.BudgetViews.Insert(0, (990001, "Owner Budget"));
            return project.BudgetViews.Single(v => v.Name == "Procore Standard Budget").Id;
        });

        await Tick(named);

        (await named.Harness.Budgets.FindAsync("ABC", "25-505", default))!.BudgetViewId.Should().Be(standard);
        named.Harness.Procore.ApiCalls.Should().Contain(c => c.Path == $"/rest/v1.0/budget_views/{standard}/detail_rows")
            .And.NotContain(c => c.Path.StartsWith("/rest/v1.0/budget_views/990001", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Records_a_job_whose_project_has_no_budget_view_as_failed_and_checks_the_rest()
    {
        await using var viewless = await FunctionHost.StartAsync(s => s["Resync:IncludeNeverImported"] = "true");
        viewless.Harness.Procore.State.Write(s => s.Projects.Single(p => p.Id == 3000000105).BudgetViews.Clear());

        var report = await Tick(viewless);

        report.Failed.Select(f => f.Job).Should().Equal("25-505");
        report.Failed[0].Reason.Should().Contain("budget view");
        report.Finished.Should().BeTrue();
        report.Queued.Should().Contain("22-208").And.NotContain("25-505");
    }

    [Fact]
    public async Task Queues_a_job_whose_Spectrum_estimates_changed_without_changing_their_total()
    {
        host.Harness.Spectrum.Data.SetEstimate("ABC", "22-208", "055000", "M", 23750.25m + 100m);
        host.Harness.Spectrum.Data.SetEstimate("ABC", "22-208", "033000", "S", 98000.00m - 100m);

        var report = await Tick(host);

        report.Queued.Should().Equal("22-208");
    }

    [Fact]
    public async Task Queues_a_job_whose_Procore_lines_changed_without_changing_their_total()
    {
        var project = host.Harness.ProjectOf("22-208");
        host.Harness.Procore.State.Write(s =>
        {
            var lines = s.BudgetLines.Where(l => l.ProjectId == project).OrderBy(l => l.Id).ToList();
            lines[0].Amount += 250m;
            lines[1].Amount -= 250m;
        });

        var report = await Tick(host);

        report.Queued.Should().Equal("22-208");
    }

    [Fact]
    public async Task Queues_a_job_whose_last_import_did_not_finish_everything_even_when_nothing_changed()
    {
        host.Harness.Procore.Quirks.RefusedBudgetCodes["01-3100.L"] = "Cost code 01-3100 is inactive";
        host.Harness.Spectrum.Data.SetEstimate("ABC", "22-208", "013100", "L", 12600.00m);
        (await host.Harness.RunAsync("22-208")).Status.Should().Be(RunStatus.PartiallySucceeded);
        host.Harness.Procore.Quirks.RefusedBudgetCodes.Clear();

        var report = await Tick(host);

        report.Queued.Should().Contain("22-208");
        report.InSync.Should().Be(1, "19-101 finished its import and did not change");
    }

    [Fact]
    public async Task Finishes_across_ticks_when_each_may_check_only_one_job_and_resumes_where_the_last_stopped()
    {
        await using var slow = await FunctionHost.StartAsync(s =>
        {
            s["Resync:MaxTickDuration"] = "00:00:00";
            s["Resync:IncludeNeverImported"] = "true";
        });
        var checkedJobs = new List<string>();

        for (var tick = 0; tick < 20; tick++)
        {
            var report = await Tick(slow);
            report.Checked.Should().Be(1, "a tick over its time stops after the job it was on");
            checkedJobs.AddRange(report.Queued.Concat(report.Joined).Concat(report.Failed.Select(f => f.Job)));
            if (report.Finished)
            {
                break;
            }

            report.ResumeAfter.Should().NotBeNull();
        }

        var linked = await slow.Harness.Budgets.ListAsync("ABC", ErpFunctions.Budgets.BudgetFilter.All, includeCompleted: true, 100, null, default);
        checkedJobs.Should().OnlyHaveUniqueItems().And.BeEquivalentTo(linked.Entries.Select(e => e.Job));
    }

    [Fact]
    public async Task A_tick_cut_off_midway_resumes_after_the_last_job_it_checked()
    {
        await using var sweep = await FunctionHost.StartAsync(s => s["Resync:IncludeNeverImported"] = "true");
        var cutOff = new CancellationTokenSource();
        sweep.Harness.Procore.Faults.AfterServed("/rest/v1.0/budget_views/", cutOff.Cancel, skip: 2);
        List<string> ProjectsRead() => [.. sweep.Harness.Procore.ApiCalls.Where(c => c.Path.EndsWith("/detail_rows"))
            .Select(c => System.Web.HttpUtility.ParseQueryString(c.Query)["project_id"]!)];

        var cut = () => sweep.Function<NightlyResyncFunction>().Run(new TimerInfo(), cutOff.Token);
        await cut.Should().ThrowAsync<OperationCanceledException>("the host cut the tick off");
        var firstTick = ProjectsRead();
        sweep.Harness.Procore.Log.Clear();
        var report = await Tick(sweep);

        firstTick.Should().HaveCountGreaterThan(1);
        ProjectsRead().Should().NotContain(firstTick[0], "the cursor was saved after each job, not only at the end of a tick");
        report.Finished.Should().BeTrue();
    }
}
