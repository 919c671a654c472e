using Microsoft.Extensions.DependencyInjection;
using ErpFunctions.Domain.Jobs;
using ErpFunctions.Domain.Prerequisites;
using ErpFunctions.Domain.Planning;
using ErpFunctions.Domain.Runs;
using ErpFunctions.TestSupport;
using ErpFunctions.Reimport;
using ErpFunctions.Runs;

namespace ErpFunctions.IntegrationTests.Reimport;

/// <summary>Re-imports end to end: Azurite, the Spectrum simulator and the Procore simulator over HTTP.</summary>
public class ReimportEngineTests : IAsyncLifetime
{
    private ReimportHarness harness = null!;

    public async Task InitializeAsync() => harness = await ReimportHarness.StartAsync();

    public async Task DisposeAsync() => await harness.DisposeAsync();

    private async Task<PreviewResult> Preview(string job) =>
        (await harness.Previews.PreviewAsync(TestCalls.New(), JobNumber.Parse(job), null, default)).Should().BeOfType<JobResult<PreviewResult>.Found>().Subject.Value;

    [Fact]
    public async Task Re_import_overwrites_changed_amounts_creates_missing_lines_and_leaves_the_rest()
    {
        var run = await harness.RunAsync("22-208");

        run.Status.Should().Be(RunStatus.Succeeded);
        run.StatusText.Should().Be("Successfully re-imported to Procore");
        harness.ProcoreLines("22-208").Should().BeEquivalentTo(new Dictionary<string, decimal>
        {
            ["01-3100.L"] = 12500.00m,   // updated from 11,000.00
            ["01-3118.S"] = 48250.75m,   // unchanged
            ["01-4500.L"] = 3200.40m,    // created
            ["01-4500.E"] = 500.00m,     // negative estimate: left untouched
            ["03-1000.L"] = 86400.00m,   // unchanged
            ["03-1000.M"] = 54210.99m,   // updated from 50,000.00
            ["03-1000.E"] = 12000.00m,   // created
            ["03-3000.M"] = 120450.50m,  // created on an existing budget code
            ["03-3000.S"] = 98000.00m,   // created
            ["05-5000.M"] = 23750.25m,   // created
            ["09-9100.S"] = 0.50m,       // created
            ["31-2000.E"] = 45000.00m,   // created
            ["01-5000.L"] = 7500.00m,    // only in Procore: left alone
        });
        run.Counts.Should().BeEquivalentTo(new Dictionary<PlanKind, int>
        {
            [PlanKind.Create] = 7, [PlanKind.Update] = 2, [PlanKind.Unchanged] = 2, [PlanKind.Skipped] = 5, [PlanKind.Unmapped] = 0,
        });
        run.TotalsBefore.Should().Be(new BudgetTotals(503613.39m, 203650.75m, 511763.39m, LeftOutMoney.None));
        run.ProcoreTotalAfter.Should().Be(run.TotalsBefore!.NewProcoreTotal);
        run.ProcoreWrites.Should().BeGreaterThan(0);

        var lines = await harness.Runs.GetLinesAsync(run.RunId, default);
        lines.Should().HaveCount(16);
        lines.Where(l => l.Plan.IsWrite).Should().OnlyContain(l => l.Outcome == LineOutcome.Written);
        lines.Single(l => l.Plan.Phase == "013100" && l.Plan.CostType == "L").Plan.Should().Match<PlanLine>(p => p.From == 11000m && p.To == 12500m);
        lines.Single(l => l.Plan.Rule == LineRules.NotInSpectrum).Plan.CostCode.Should().Be("01-5000");
    }

    [Fact]
    public async Task A_second_re_import_writes_only_what_changed_in_Spectrum()
    {
        await harness.RunAsync("22-208");
        harness.Spectrum.Data.SetEstimate("ABC", "22-208", "055000", "M", 24000.00m);
        harness.Procore.Log.Clear();

        var run = await harness.RunAsync("22-208");

        run.Counts[PlanKind.Update].Should().Be(1);
        run.Counts[PlanKind.Create].Should().Be(0);
        harness.ProcoreLines("22-208")["05-5000.M"].Should().Be(24000.00m);
        harness.ProcoreWrites.Should().ContainSingle().Which.Details["items"].Should().Be("1");
    }

    [Fact]
    public async Task First_import_of_a_job_creates_its_cost_codes_budget_codes_and_every_line()
    {
        var run = await harness.RunAsync("24-404");

        var expected = harness.Spectrum.Data.Lines.Where(l => l.Job == "24-404" && l.Estimate > 0).ToList();
        run.Status.Should().Be(RunStatus.Succeeded, run.Error);
        var lines = harness.ProcoreLines("24-404");
        lines.Should().HaveCount(expected.Count);
        lines.Values.Sum().Should().Be(expected.Sum(l => l.Estimate));
        lines.Should().ContainKey($"{expected[0].Phase[..2]}-{expected[0].Phase[2..]}.{expected[0].CostType}");
        run.Messages.Should().Contain(m => m.StartsWith("Created") && m.Contains("cost code"));
    }

    [Fact]
    public async Task A_crash_after_the_first_write_chunk_is_retried_and_converges_without_duplicates()
    {
        await using var chunked = await ReimportHarness.StartAsync(s => s["Procore:SyncBatchSize"] = "100");
        chunked.AddLinkedJob("40-250", phases: 50, costTypes: ["L", "M", "S", "E", "O"], projectId: 3000000401);
        chunked.Procore.Faults.DropNext(10, path: "/rest/v1.0/budget_line_items/sync", skip: 1);

        var run = await chunked.QueueRunAsync("40-250");
        var crash = () => chunked.Engine.RunAsync(run.RunId, default);

        await crash.Should().ThrowAsync<HttpRequestException>();
        var interrupted = await chunked.Runs.FindAsync(run.RunId, default);
        interrupted!.Status.Should().Be(RunStatus.Queued);
        interrupted.Error.Should().Contain("will be retried");
        chunked.ProcoreLines("40-250").Should().HaveCount(100, "the first chunk was written before the crash");
        (await chunked.Runs.GetLinesAsync(run.RunId, default)).Count(l => l.Outcome == LineOutcome.Planned).Should().Be(250,
            "the plan was recorded before any write");

        chunked.Procore.Faults.Reset();
        await chunked.RestartServicesAsync();
        (await chunked.Engine.RunAsync(run.RunId, default)).Outcome.Should().Be(RunOutcome.Finished);

        var retried = await chunked.Runs.FindAsync(run.RunId, default);
        await chunked.AssertMoneyTruthAsync(retried!);
        retried!.Status.Should().Be(RunStatus.Succeeded);
        retried.Attempts.Should().Be(2);
        retried.Counts[PlanKind.Unchanged].Should().Be(100);
        retried.Counts[PlanKind.Create].Should().Be(150);
        var lines = chunked.ProcoreLines("40-250");
        lines.Should().HaveCount(250);
        chunked.Procore.State.Read(s => s.BudgetLines.Where(l => l.ProjectId == 3000000401).GroupBy(l => l.WbsCodeId).Max(g => g.Count()))
            .Should().Be(1, "one line per budget code");
        lines.Values.Sum().Should().Be(chunked.Spectrum.Data.Lines.Where(l => l.Job == "40-250").Sum(l => l.Estimate));
    }

    [Fact]
    public async Task Two_concurrent_runs_of_one_job_take_turns_and_agree()
    {
        var first = await harness.QueueRunAsync("22-208");
        var second = await harness.QueueRunAsync("22-208");

        var outcomes = (await Task.WhenAll(harness.Engine.RunAsync(first.RunId, default), harness.Engine.RunAsync(second.RunId, default)))
            .Select(r => r.Outcome).ToArray();

        outcomes.Should().BeEquivalentTo([RunOutcome.Finished, RunOutcome.Deferred]);
        var waiting = outcomes[0] == RunOutcome.Deferred ? first : second;
        (await harness.Runs.FindAsync(waiting.RunId, default))!.Messages.Should().ContainSingle(m => m.StartsWith("Waiting for run"));

        (await harness.Engine.RunAsync(waiting.RunId, default)).Outcome.Should().Be(RunOutcome.Finished);

        var runs = await Task.WhenAll(harness.Runs.FindAsync(first.RunId, default), harness.Runs.FindAsync(second.RunId, default));
        runs.Should().OnlyContain(r => r!.Status == RunStatus.Succeeded);
        await harness.AssertMoneyTruthAsync(runs.Single(r => r!.RunId == waiting.RunId)!);
        runs.Single(r => r!.RunId == waiting.RunId)!.Counts[PlanKind.Create].Should().Be(0, "the first run already wrote everything");
        harness.Procore.State.Read(s => s.BudgetLines.GroupBy(l => l.WbsCodeId).Max(g => g.Count())).Should().Be(1);
        harness.ProcoreLines("22-208")["01-3100.L"].Should().Be(12500.00m);
    }

    [Fact]
    public async Task A_message_delivered_twice_does_nothing_the_second_time()
    {
        var run = await harness.RunAsync("22-208");
        harness.Procore.Log.Clear();

        (await harness.Engine.RunAsync(run.RunId, default)).Outcome.Should().Be(RunOutcome.AlreadyFinished);

        harness.Procore.ApiCalls.Should().BeEmpty();
    }

    [Fact]
    public async Task Records_lines_Procore_refuses_with_its_message_and_ends_partially_succeeded()
    {
        const string refusal = "Cost code 03-1000 is inactive";
        harness.Procore.Quirks.RefusedBudgetCodes["03-1000.M"] = refusal;

        var run = await harness.RunAsync("22-208");

        run.Status.Should().Be(RunStatus.PartiallySucceeded);
        run.FailedLines.Should().Be(1);
        var lines = await harness.Runs.GetLinesAsync(run.RunId, default);
        var failed = lines.Single(l => l.Outcome == LineOutcome.Failed);
        (failed.Plan.CostCode, failed.Plan.CostType).Should().Be(("03-1000", "M"));
        failed.ProcoreMessage.Should().Contain(refusal);
        lines.Count(l => l.Outcome == LineOutcome.Written).Should().Be(8);
        harness.ProcoreLines("22-208")["03-1000.M"].Should().Be(50000.00m, "Procore kept its amount");
        run.ProcoreTotalAfter.Should().Be(511763.39m - 4210.99m);
    }

    [Fact]
    public async Task Preview_plans_without_writing_or_taking_the_lease()
    {
        var leases = harness.Services.GetRequiredService<JobLeases>();
        var (held, _) = await leases.TryAcquireAsync("ABC", "22-208", "a-running-re-import", TimeSpan.FromMinutes(5), default);
        held.Should().NotBeNull();

        var preview = await Preview("22-208");

        var (probe, holder) = await leases.TryAcquireAsync("ABC", "22-208", "probe", TimeSpan.FromMinutes(5), default);
        probe.Should().BeNull("the re-import's lease is still held");
        holder!.Should().Be(new LeaseHolder("a-running-re-import", held!.ExpiresAt), "a preview neither takes, renews nor releases a job's lease");

        preview.Available.Should().BeTrue();
        preview.Plan!.Totals.Should().Be(new BudgetTotals(503613.39m, 203650.75m, 511763.39m, LeftOutMoney.None));
        preview.Plan.Writes.Should().HaveCount(9);
        harness.ProcoreWrites.Should().BeEmpty();
        var entry = await harness.Budgets.FindAsync("ABC", "22-208", default);
        (entry!.SpectrumTotal, entry.ProcoreTotal, entry.NewProcoreTotal, entry.Available).Should().Be(
            (503613.39m, 203650.75m, 511763.39m, true));
        entry.TotalsAsOf.Should().Be(preview.AsOf);
    }

    [Fact]
    public async Task A_run_a_prerequisite_blocks_leaves_the_totals_it_did_not_read_with_the_time_they_were_read()
    {
        var preview = await Preview("22-208");
        harness.Procore.State.Write(s => s.Projects.Single(p => p.Id == ProcoreClients.HarborProject).BudgetLocked = true);
        harness.Spectrum.Data.SetEstimate("ABC", "22-208", "055000", "M", 24000.00m);

        var run = await harness.RunAsync("22-208");

        run.Status.Should().Be(RunStatus.Blocked);
        var entry = (await harness.Budgets.FindAsync("ABC", "22-208", default))!;
        (entry.SpectrumTotal, entry.ProcoreTotal, entry.NewProcoreTotal, entry.TotalsAsOf).Should().Be(
            (503613.39m, 203650.75m, 511763.39m, preview.AsOf), "the blocked run read no budget, so the totals stay as the preview read them");
        (entry.Available, entry.BlockedBy).Should().Be((false, PrerequisiteCode.ProcoreBudgetLocked), "what the run found out is kept");
    }

    [Fact]
    public async Task Preview_of_a_blocked_job_still_shows_its_totals_and_why()
    {
        var preview = await Preview("26-607");

        preview.Available.Should().BeFalse();
        preview.Plan.Should().NotBeNull();
        var entry = await harness.Budgets.FindAsync("ABC", "26-607", default);
        (entry!.Available, entry.BlockedBy).Should().Be((false, PrerequisiteCode.ProcoreBudgetLocked));
        entry.BlockedReason.Should().Contain("locked");
    }
}
