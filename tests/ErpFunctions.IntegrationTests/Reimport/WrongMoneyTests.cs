using ErpFunctions.Domain.Planning;
using ErpFunctions.Domain.Runs;
using ErpFunctions.Runs;
using ErpFunctions.Simulators;
using ErpFunctions.Simulators.Procore;
using ErpFunctions.Simulators.Spectrum;
using ErpFunctions.Spectrum;
using ErpFunctions.TestSupport;

namespace ErpFunctions.IntegrationTests.Reimport;

/// <summary>
/// Every known way of writing a wrong amount, over Azurite and both simulators: each run ends with Procore holding
/// what the plan says, or says which lines do not (and every run goes through the harness's money check).
/// </summary>
public class WrongMoneyTests
{
    private const string SyncPath = "/rest/v1.0/budget_line_items/sync";

    private static IReadOnlyList<RequestLogEntry> Syncs(ReimportHarness harness) =>
        [.. harness.Procore.ApiCalls.Where(c => c.Path == SyncPath)];

    private static List<SimBudgetLine> LinesOf(ReimportHarness harness, string job)
    {
        var project = harness.ProjectOf(job);
        return harness.Procore.State.Read(s => s.BudgetLines.Where(l => l.ProjectId == project).ToList());
    }

    [Fact]
    public async Task A_job_over_the_row_cap_whose_first_read_is_cut_between_rows_is_written_whole()
    {
        await using var harness = await ReimportHarness.StartAsync();
        harness.Spectrum.Quirks.TruncateNext(3, TruncationMode.BetweenRows, when: p => p.GetValueOrDefault("pCost_Type") == "" && p.GetValueOrDefault("pStatus_Code") == "");

        var run = await harness.RunAsync("24-404");

        var expected = harness.Spectrum.Data.Lines.Where(l => l.Job == "24-404" && l.Estimate > 0).ToList();
        run.Status.Should().Be(RunStatus.Succeeded);
        harness.ProcoreLines("24-404").Should().HaveCount(expected.Count);
        harness.ProcoreTotal("24-404").Should().Be(expected.Sum(l => l.Estimate));
    }

    [Fact]
    public async Task A_job_whose_answers_keep_arriving_cut_short_fails_with_zero_writes()
    {
        await using var harness = await ReimportHarness.StartAsync();
        harness.Spectrum.Quirks.TruncateNext(10_000, TruncationMode.BetweenRows, when: p => p.ContainsKey("pCost_Type"));

        var run = await harness.RunAsync("24-404");

        run.Status.Should().Be(RunStatus.Failed);
        run.Error.Should().StartWith(SpectrumResponseIncompleteException.Code);
        harness.ProcoreWrites.Should().BeEmpty("no plan is made from part of a job");
    }

    [Fact]
    public async Task An_estimate_beyond_Spectrum_s_own_format_is_left_out_named_and_never_a_success()
    {
        await using var harness = await ReimportHarness.StartAsync();
        harness.Spectrum.Data.SetEstimate("ABC", "22-208", "055000", "M", 12_345_678_901.00m);

        var run = await harness.RunAsync("22-208");

        run.Status.Should().Be(RunStatus.PartiallySucceeded, "a budget with a row left out is not reported as whole");
        run.Messages.Should().Contain(m => m.StartsWith(LineRules.AmountNotMoney) && m.Contains("055000"));
        var line = (await harness.Runs.GetLinesAsync(run.RunId, default)).Single(l => l.Plan.Phase == "055000" && l.Plan.CostType == "M");
        (line.Plan.Kind, line.Plan.Rule).Should().Be((PlanKind.Unmapped, LineRules.AmountNotMoney));
        harness.ProcoreLines("22-208").Values.Should().NotContain(12_345_678_901.00m);
    }

    [Fact]
    public async Task Rows_mapped_onto_one_budget_code_are_summed_so_Procore_holds_the_plan_s_total()
    {
        await using var harness = await ReimportHarness.StartAsync(s => s["Reimport:CostTypeTable:E"] = "L");

        var run = await harness.RunAsync("22-208");

        run.Status.Should().Be(RunStatus.Succeeded);
        harness.ProcoreLines("22-208")["03-1000.L"].Should().Be(86400.00m + 12000.00m, "the E row lands on the L line and is added");
        var line = (await harness.Runs.GetLinesAsync(run.RunId, default)).Single(l => l.Plan.BudgetCode == "03-1000.L");
        line.Plan.Sources.Select(s => (s.CostType, s.Estimate)).Should().BeEquivalentTo([("E", 12000.00m), ("L", 86400.00m)]);
    }

    [Fact]
    public async Task Rows_mapped_onto_one_budget_code_are_refused_with_their_rows_when_the_customer_chooses_so()
    {
        await using var harness = await ReimportHarness.StartAsync(s =>
        {
            s["Reimport:CostTypeTable:E"] = "L";
            s["Reimport:OnCollision"] = "Refuse";
        });

        var run = await harness.RunAsync("22-208");

        var refused = (await harness.Runs.GetLinesAsync(run.RunId, default)).Single(l => l.Plan.BudgetCode == "03-1000.L");
        (refused.Plan.Kind, refused.Plan.Rule).Should().Be((PlanKind.Unmapped, LineRules.BudgetCodeCollision));
        harness.ProcoreLines("22-208")["03-1000.L"].Should().Be(86400.00m, "a refused code keeps what Procore held");
    }

    [Fact]
    public async Task A_project_with_separated_cost_codes_and_no_phase_mask_gets_no_new_cost_code()
    {
        await using var harness = await ReimportHarness.StartAsync(s =>
        {
            s["Reimport:PhaseMask"] = "";
            s["Reimport:CreateMissingCostCodes"] = "false";
        });

        var run = await harness.RunAsync("22-208");

        harness.Procore.ApiCalls.Should().NotContain(c => c.Path.StartsWith("/rest/v1.0/cost_codes/sync", StringComparison.Ordinal));
        run.Status.Should().Be(RunStatus.Succeeded);
        run.NewCostCodes.Should().Be(0);
        run.TotalsBefore!.NewProcoreTotal.Should().Be(511763.39m, "every phase (013100 …) matches its cost code (01-3100 …) once the separator is set aside");
        harness.ProcoreLines("22-208")["01-3100.L"].Should().Be(12500.00m);
    }

    [Fact]
    public async Task Creates_no_cost_code_on_a_project_Procore_marks_as_ERP_integrated()
    {
        await using var harness = await ReimportHarness.StartAsync();
        harness.Procore.State.Write(s => s.Projects.Single(p => p.Id == ProcoreClients.CostaNorteProject).IsErpIntegrated = true);

        var run = await harness.RunAsync("24-404");

        var lines = await harness.Runs.GetLinesAsync(run.RunId, default);
        lines.Should().OnlyContain(l => l.Plan.Kind == PlanKind.Unmapped && l.Plan.Rule == LineRules.ErpOwnsCostCodes
            || l.Plan.Kind == PlanKind.Skipped);
        harness.ProcoreWrites.Should().BeEmpty();
        run.CostCodesCreated.Should().Be(0);
    }

    [Fact]
    public async Task Counts_the_cost_codes_and_budget_codes_a_first_import_creates()
    {
        await using var harness = await ReimportHarness.StartAsync();

        var run = await harness.RunAsync("24-404");

        run.NewCostCodes.Should().BeGreaterThan(0).And.Be(run.CostCodesCreated);
        run.NewBudgetCodes.Should().Be(run.BudgetCodesCreated).And.Be(harness.ProcoreLines("24-404").Count);
    }

    [Fact]
    public async Task A_second_line_Procore_accepted_on_one_budget_code_is_reported_with_both_lines()
    {
        await using var harness = await ReimportHarness.StartAsync();
        harness.Procore.Quirks.AcceptDuplicateCreates = true;
        var project = harness.ProjectOf("22-208");
        harness.Procore.Quirks.BeforeNextBudgetSync(s =>
        {
            // A person adds the line a moment before the run's create arrives.
            var costCode = s.CostCodes.Single(c => c.ProjectId == project && c.Code == "4500");
            var labor = s.LineItemTypes.Single(t => t.Code == "L");
            s.BudgetLines.Add(new SimBudgetLine { Id = s.NewId(), ProjectId = project, WbsCodeId = s.EnsureWbsCode(project, costCode.Id, labor.Id).Id, Amount = 777m });
        });

        var run = await harness.RunAsync("22-208");

        run.Status.Should().Be(RunStatus.PartiallySucceeded);
        var line = (await harness.Runs.GetLinesAsync(run.RunId, default)).Single(l => l.Plan.BudgetCode == "01-4500.L");
        line.Outcome.Should().Be(LineOutcome.Failed);
        line.ProcoreMessage.Should().StartWith(LineRules.DuplicateInProcore).And.Contain("of 777.00").And.Contain("of 3,200.40");
        run.Messages.Should().Contain(m => m.Contains("01-4500.L"));
    }

    [Fact]
    public async Task A_create_whose_answer_was_lost_is_looked_for_before_it_is_sent_again()
    {
        await using var harness = await ReimportHarness.StartAsync();
        harness.Procore.Quirks.AcceptDuplicateCreates = true;
        harness.Procore.Faults.FailNext(1, 502, afterProcessing: true, path: SyncPath);

        var run = await harness.RunAsync("22-208");

        run.Status.Should().Be(RunStatus.Succeeded);
        LinesOf(harness, "22-208").GroupBy(l => l.WbsCodeId).Should().OnlyContain(g => g.Count() == 1, "one line per budget code");
        Syncs(harness).Should().HaveCount(1, "the lost answer's creates had all taken effect, so nothing was left to send");
    }

    [Fact]
    public async Task A_chunk_Procore_refuses_as_a_whole_is_halved_until_its_refused_lines_are_named()
    {
        await using var harness = await ReimportHarness.StartAsync();
        harness.AddLinkedJob("40-100", phases: 200, costTypes: ["E", "L", "M", "O", "S"], projectId: 3000000401);
        var refused = RefuseWhole(harness, [(120, "L"), (120, "M"), (120, "O")]);

        var run = await harness.RunAsync("40-100");

        AssertOnlyRefusedLinesFailed(harness, run, refused, await harness.Runs.GetLinesAsync(run.RunId, default));
        Syncs(harness).Should().HaveCountLessThanOrEqualTo(30, "refused lines are isolated by halving, not line by line");
    }

    [Fact]
    public async Task Three_refused_lines_far_apart_in_a_chunk_are_each_named_and_nothing_else_is()
    {
        await using var harness = await ReimportHarness.StartAsync();
        harness.AddLinkedJob("40-101", phases: 200, costTypes: ["E", "L", "M", "O", "S"], projectId: 3000000402);
        var refused = RefuseWhole(harness, [(7, "E"), (101, "M"), (188, "S")]);

        var run = await harness.RunAsync("40-101");

        AssertOnlyRefusedLinesFailed(harness, run, refused, await harness.Runs.GetLinesAsync(run.RunId, default));
        Syncs(harness).Should().HaveCountLessThanOrEqualTo(61, "one call for the chunk and at most 60 to isolate its refused lines");
    }

    [Fact]
    public async Task A_chunk_Procore_refuses_once_and_then_takes_is_written_whole()
    {
        await using var harness = await ReimportHarness.StartAsync();
        harness.AddLinkedJob("40-102", phases: 200, costTypes: ["E", "L", "M", "O", "S"], projectId: 3000000403);
        harness.Procore.Quirks.RefuseNextSyncsWhole(1);

        var run = await harness.RunAsync("40-102");

        run.Status.Should().Be(RunStatus.Succeeded, "Procore never refused a call holding only one line");
        harness.ProcoreLines("40-102").Should().HaveCount(1000);
        Syncs(harness).Select(c => c.Status).Should().HaveCountLessThanOrEqualTo(4).And.StartWith(422)
            .And.Subject.Skip(1).Should().OnlyContain(status => status == 200);
    }

    [Fact]
    public async Task Lines_whose_isolation_runs_out_of_calls_are_reported_not_written_and_never_blamed()
    {
        await using var harness = await ReimportHarness.StartAsync();
        harness.AddLinkedJob("40-103", phases: 200, costTypes: ["E", "L", "M", "O", "S"], projectId: 3000000404);
        var refused = RefuseWhole(harness, [.. Enumerable.Range(0, 40).Select(i => (i * 5, "L"))]);

        var run = await harness.RunAsync("40-103");

        run.Status.Should().Be(RunStatus.PartiallySucceeded);
        var lines = await harness.Runs.GetLinesAsync(run.RunId, default);
        var blamed = lines.Where(IsBlamed).Select(l => l.Plan.BudgetCode).ToList();
        blamed.Should().NotBeEmpty().And.BeSubsetOf(refused, "a line is blamed only when Procore refused a call holding it alone");
        lines.Where(l => l.Outcome == LineOutcome.Failed && !IsBlamed(l))
            .Should().NotBeEmpty().And.OnlyContain(l => l.ProcoreMessage!.StartsWith("Not written: Procore refused a batch"));
        Syncs(harness).Count(c => c.Details["items"] == "1" && c.Status == 422).Should().Be(blamed.Count);
        Syncs(harness).Should().HaveCount(61);
        harness.ProcoreLines("40-103").Keys.Should().NotIntersectWith(refused);
    }

    private const string Refusal = "Cost code is inactive";

    /// <summary>The line is reported refused in Procore's own words (not merely not written).</summary>
    private static bool IsBlamed(RunLine line) =>
        line.ProcoreMessage is { } message && message.Contains(Refusal) && !message.StartsWith("Not written", StringComparison.Ordinal);

    /// <summary>Procore refuses a sync as a whole while it holds any of these (phase index, cost type) lines.</summary>
    private static List<string> RefuseWhole(ReimportHarness harness, IEnumerable<(int Phase, string CostType)> lines)
    {
        var codes = lines.Select(l => $"{ReimportHarness.PhaseCode(l.Phase)[..2]}-{ReimportHarness.PhaseCode(l.Phase)[2..]}.{l.CostType}").ToList();
        foreach (var code in codes)
        {
            harness.Procore.Quirks.RefusedBudgetCodes[code] = Refusal;
        }

        harness.Procore.Quirks.RefuseWholeSync = true;
        return codes;
    }

    /// <summary>The refused lines, and only they, failed with Procore's words; each was sent alone, once; every other line is in Procore.</summary>
    private static void AssertOnlyRefusedLinesFailed(ReimportHarness harness, RunRecord run, IReadOnlyList<string> refused, IReadOnlyList<RunLine> lines)
    {
        run.Status.Should().Be(RunStatus.PartiallySucceeded);
        lines.Count(l => l.Outcome == LineOutcome.Written).Should().Be(1000 - refused.Count);
        lines.Where(l => l.Outcome == LineOutcome.Failed).Select(l => l.Plan.BudgetCode).Should().BeEquivalentTo(refused);
        lines.Where(l => l.Outcome == LineOutcome.Failed).Should().OnlyContain(l => IsBlamed(l));
        Syncs(harness).Where(c => c.Details["items"] == "1" && c.Status == 422).Should().HaveCount(refused.Count,
            "each refused line was sent alone, once, before it was called refused");
        harness.ProcoreLines(run.Job).Should().HaveCount(1000 - refused.Count);
    }

    [Fact]
    public async Task Lines_refused_by_errors_that_do_not_name_them_are_reported_with_Procore_s_words()
    {
        await using var harness = await ReimportHarness.StartAsync();
        harness.Procore.Quirks.RefusedBudgetCodes["03-1000.M"] = "Cost code 03-1000 is inactive";
        harness.Procore.Quirks.UnnamedItemErrors = true;

        var run = await harness.RunAsync("22-208");

        run.Status.Should().Be(RunStatus.PartiallySucceeded);
        var failed = (await harness.Runs.GetLinesAsync(run.RunId, default)).Single(l => l.Outcome == LineOutcome.Failed);
        failed.Plan.BudgetCode.Should().Be("03-1000.M");
        failed.ProcoreMessage.Should().Contain("Cost code 03-1000 is inactive");
        Syncs(harness).Select(c => c.Details["items"]).Should().Equal(["9", "1"],
            "the line Procore did not answer was sent again alone before it was called refused");
    }

    [Fact]
    public async Task Writes_every_line_where_lists_answer_100_a_page_without_paging_headers_and_reads_back_the_true_total()
    {
        await using var harness = await ReimportHarness.StartAsync();
        harness.AddLinkedJob("40-554", phases: 277, costTypes: ["L", "M"], projectId: 3000000405);
        harness.Procore.Quirks.MaxPerPage = 100;
        harness.Procore.Quirks.OmitPagingHeaders = true;

        var first = await harness.RunAsync("40-554");
        var again = await harness.RunAsync("40-554");

        first.Status.Should().Be(RunStatus.Succeeded);
        harness.ProcoreLines("40-554").Should().HaveCount(554);
        first.ProcoreTotalAfter.Should().Be(harness.Spectrum.Data.Lines.Where(l => l.Job == "40-554").Sum(l => l.Estimate));
        again.Counts[PlanKind.Unchanged].Should().Be(554, "the second run read all 554 lines back, not the first page of 100");
    }

    [Fact]
    public async Task Lines_without_a_Procore_budget_code_make_the_run_partial_and_are_counted_with_their_amount()
    {
        await using var harness = await ReimportHarness.StartAsync(s => s["Reimport:CreateMissingCostCodes"] = "false");
        harness.AddLinkedJob("40-040", phases: 20, costTypes: ["L", "M"], projectId: 3000000406);
        var amount = harness.Spectrum.Data.Lines.Where(l => l.Job == "40-040").Sum(l => l.Estimate);

        var run = await harness.RunAsync("40-040");

        run.Status.Should().Be(RunStatus.PartiallySucceeded, "none of the job's money reached Procore");
        run.StatusText.Should().NotBe(RunStatus.Succeeded.Describe());
        run.TotalsBefore!.LeftOut.Should().Be(new LeftOutMoney(40, amount));
        run.Messages.Should().Contain($"40 lines, {Money.Format(amount)}, have no Procore budget code: "
            + "turn on Reimport:CreateMissingCostCodes or add the cost codes");
        harness.ProcoreWrites.Should().BeEmpty();
        var entry = await harness.Budgets.FindAsync("ABC", "40-040", default);
        entry!.LeftOut.Should().Be(new LeftOutMoney(40, amount), "the list shows it beside the totals");
    }

    [Fact]
    public async Task Reads_every_page_of_a_list_that_comes_without_Total_or_Link()
    {
        await using var harness = await ReimportHarness.StartAsync(s => s["Procore:PageSize"] = "500");
        await harness.RunAsync("24-404");
        harness.Procore.Quirks.OmitPagingHeaders = true;

        var again = await harness.RunAsync("24-404");

        again.Status.Should().Be(RunStatus.Succeeded);
        again.Counts[PlanKind.Create].Should().Be(0, "every line on every page was seen");
        again.Counts[PlanKind.Unchanged].Should().Be(harness.ProcoreLines("24-404").Count);
    }

    [Fact]
    public async Task Sends_the_amount_so_that_it_sticks_on_a_line_Procore_computes_from_quantity_and_unit_cost()
    {
        await using var harness = await ReimportHarness.StartAsync();
        var project = harness.ProjectOf("22-208");
        harness.Procore.State.Write(s =>
        {
            var line = s.BudgetLines.Single(l => l.ProjectId == project && l.Amount == 11000.00m);
            (line.CalculationStrategy, line.Quantity, line.UnitCost) = (SimBudgetLine.Automatic, 10m, 1100m);
        });

        var run = await harness.RunAsync("22-208");

        run.Status.Should().Be(RunStatus.Succeeded);
        harness.ProcoreLines("22-208")["01-3100.L"].Should().Be(12500.00m);
    }

    [Fact]
    public async Task Warns_on_a_line_Procore_has_budget_changes_on()
    {
        await using var harness = await ReimportHarness.StartAsync();
        var project = harness.ProjectOf("22-208");
        harness.Procore.State.Write(s => s.BudgetLines.Single(l => l.ProjectId == project && l.Amount == 11000.00m).ApprovedBudgetChanges = 1500m);

        var run = await harness.RunAsync("22-208");

        run.Messages.Should().Contain(m => m.StartsWith("01-3100.L:") && m.Contains("1,500.00 of budget changes"));
        (await harness.Runs.GetLinesAsync(run.RunId, default)).Single(l => l.Plan.BudgetCode == "01-3100.L").Plan.Warning.Should().NotBeNull();
    }

    [Fact]
    public async Task A_run_whose_read_back_total_is_not_the_plan_s_names_the_budget_codes_that_differ()
    {
        await using var harness = await ReimportHarness.StartAsync();
        var project = harness.ProjectOf("22-208");
        harness.Procore.Quirks.BeforeNextBudgetSync(s => s.BudgetLines.Single(l => l.ProjectId == project && l.Amount == 7500.00m).Amount = 7600.00m);

        var run = await harness.RunAsync("22-208");

        run.Status.Should().Be(RunStatus.PartiallySucceeded);
        run.ProcoreTotalAfter.Should().Be(run.TotalsBefore!.NewProcoreTotal + 100.00m);
        run.Messages.Should().Contain(m => m.Contains("01-5000.L: planned 7,500.00, Procore holds 7,600.00"));
    }
}
