using ErpFunctions.Domain.Estimates;
using ErpFunctions.Domain.Jobs;
using ErpFunctions.Domain.Mapping;
using ErpFunctions.Domain.Planning;
using static ErpFunctions.UnitTests.Domain.PlanTestData;

namespace ErpFunctions.UnitTests.Domain;

public class BudgetPlannerTests
{
    /// <summary>One Spectrum row against Procore with or without a line for it: the kind, amounts and rule.</summary>
    public static TheoryData<string, decimal, decimal, decimal?, PlanKind, decimal?, string?> SingleLineCases => new()
    {
        // case,                               estimate,   jtd,     procore,  kind,               to,         rule
        { "new positive estimate",              1200.50m,  0m,      null,     PlanKind.Create,    1200.50m,   null },
        { "changed estimate",                   1200.50m,  10m,     1000.00m, PlanKind.Update,    1200.50m,   null },
        { "same estimate to the cent",          1200.50m,  10m,     1200.50m, PlanKind.Unchanged, 1200.50m,   null },
        { "a cent apart",                       1200.51m,  0m,      1200.50m, PlanKind.Update,    1200.51m,   null },
        { "half a dollar",                      0.50m,     0m,      null,     PlanKind.Create,    0.50m,      null },
        { "job-to-date cost only, no line",     0m,        859.51m, null,     PlanKind.Skipped,   null,       LineRules.EstimateNotPositive },
        { "job-to-date cost only, with line",   0m,        859.51m, 500.00m,  PlanKind.Skipped,   null,       LineRules.EstimateNotPositive },
        { "zero everything, no line",           0m,        0m,      null,     PlanKind.Skipped,   null,       LineRules.NoCostNoEstimate },
        { "zero everything, with line",         0m,        0m,      700.00m,  PlanKind.Skipped,   null,       LineRules.NoCostNoEstimate },
        { "negative estimate, no line",         -150.00m,  0m,      null,     PlanKind.Skipped,   null,       LineRules.EstimateNotPositive },
        { "negative estimate, with line",       -150.00m,  20m,     500.00m,  PlanKind.Skipped,   null,       LineRules.EstimateNotPositive },
        { "negative job-to-date, no estimate",  0m,        -20m,    null,     PlanKind.Skipped,   null,       LineRules.EstimateNotPositive },
        { "largest amount Spectrum holds",      9_999_999_999.99m, 0m, null, PlanKind.Create,   9_999_999_999.99m, null },
        { "trailing zeros are still cents",     12.500m,   0m,      null,     PlanKind.Create,    12.500m,    null },
        { "fraction of a cent, no line",        12.345m,   0m,      null,     PlanKind.Unmapped,  null,       LineRules.AmountNotMoney },
        { "fraction of a cent, with line",      12.345m,   0m,      12.00m,   PlanKind.Unmapped,  null,       LineRules.AmountNotMoney },
        { "beyond Spectrum's 10.2 format",      10_000_000_000.00m, 0m, null, PlanKind.Unmapped,  null,       LineRules.AmountNotMoney },
        { "huge negative",                      -79_228_162_514_264_337_593_543_950_335m, 0m, null, PlanKind.Unmapped, null, LineRules.AmountNotMoney },
    };

    [Theory]
    [MemberData(nameof(SingleLineCases))]
    public void Plans_one_line_by_the_rules(string @case, decimal estimate, decimal jtd, decimal? procore, PlanKind kind, decimal? to, string? rule)
    {
        var snapshot = procore is { } amount ? Budget((11, Labor, amount)) : Budget();

        var line = Plan(snapshot, Row("013100", "L", estimate, jtd)).Lines.Single();

        (line.Kind, line.To, line.Rule, line.From).Should().Be((kind, to, rule, procore), @case);
        line.Reason.Should().NotBeNullOrWhiteSpace();
        if (procore is not null && kind is PlanKind.Skipped || rule == LineRules.AmountNotMoney && procore is not null)
        {
            line.Reason.Should().Contain("left untouched");
        }
    }

    [Fact]
    public void Leaves_lines_only_in_Procore_alone_and_reports_them()
    {
        var plan = Plan(Budget((11, Labor, 100m), (31, Material, 2500.25m)), Row("013100", "L", 100m));

        var orphan = plan.Lines.Single(l => l.Rule == LineRules.NotInSpectrum);
        (orphan.Kind, orphan.CostCode, orphan.ProcoreCostType, orphan.From, orphan.To).Should().Be(
            (PlanKind.Skipped, "03-1000", "M", 2500.25m, (decimal?)null));
        plan.Totals.NewProcoreTotal.Should().Be(2600.25m, "the orphan line still counts in Procore's total");
    }

    [Fact]
    public void Sums_rows_repeated_for_the_same_phase_and_cost_type_and_reports_them()
    {
        var plan = Plan(Budget(), Row("013100", "L", 100.10m, 5m), Row("013100 ", " l", 200.20m, 1m), Row("01-4500", "L", 0m));

        var line = plan.Lines.Single(l => l.Phase == "013100");
        (line.Kind, line.To, line.JobToDate).Should().Be((PlanKind.Create, 300.30m, 6m));
        plan.Duplicates.Should().ContainSingle().Which.Should().Be(new DuplicateRows("013100", "L", 2, 300.30m, 6m));
    }

    [Fact]
    public void Trims_whitespace_around_codes_before_matching()
    {
        var plan = Plan(Budget((11, Labor, 50m)), Row("  013100 ", " L  ", 75m));

        var line = plan.Lines.Single();
        (line.Kind, line.Phase, line.CostType, line.From, line.To).Should().Be((PlanKind.Update, "013100", "L", 50m, 75m));
    }

    [Fact]
    public void Ignores_rows_of_other_jobs()
    {
        var plan = Plan(Budget(), Row("013100", "L", 75m), Row("013100", "M", 75m, job: "99-999"));

        plan.Lines.Should().ContainSingle();
    }

    [Fact]
    public void Reports_an_unknown_cost_type_as_unmapped_unless_cost_types_may_be_created()
    {
        var rows = NormalizedEstimate.From(JobNumber.Parse("22-208"), [Row("013100", "EQA", 10m)]);

        var strict = BudgetPlanner.Plan(rows, Budget(), Mapping, PlanPolicy.Default).Lines.Single();
        var lenient = BudgetPlanner.Plan(rows, Budget(), Mapping, PlanPolicy.Default with { CreateMissingCostTypes = true }).Lines.Single();

        (strict.Kind, strict.Rule).Should().Be((PlanKind.Unmapped, LineRules.CostTypeNotFound));
        strict.Reason.Should().Contain("EQA");
        (lenient.Kind, lenient.ProcoreCostType, lenient.CostTypeId).Should().Be((PlanKind.Create, "EQA", (long?)null));
        lenient.Reason.Should().Contain("creating cost type EQA");
    }

    [Fact]
    public void Plans_a_missing_cost_code_as_a_create_or_as_unmapped_by_policy()
    {
        var rows = NormalizedEstimate.From(JobNumber.Parse("22-208"), [Row("099100", "S", 0.50m)]);

        var create = BudgetPlanner.Plan(rows, Budget(), Mapping, PlanPolicy.Default).Lines.Single();
        var report = BudgetPlanner.Plan(rows, Budget(), Mapping, PlanPolicy.Default with { CreateMissingCostCodes = false }).Lines.Single();

        (create.Kind, create.CostCode, create.CostCodeId, create.CostTypeId).Should().Be((PlanKind.Create, "09-9100", (long?)null, (long?)Subcontract));
        create.Reason.Should().Contain("creating cost code 09-9100");
        (report.Kind, report.Rule).Should().Be((PlanKind.Unmapped, LineRules.CostCodeNotFound));
    }

    [Fact]
    public void Reports_a_phase_that_does_not_fit_the_mask()
    {
        var line = Plan(Budget(), Row("1234", "L", 10m)).Lines.Single();

        (line.Kind, line.Rule).Should().Be((PlanKind.Unmapped, LineRules.PhaseMaskMismatch));
    }

    [Fact]
    public void Computes_the_three_totals_to_the_cent()
    {
        var plan = Plan(
            Budget((11, Labor, 1000.10m), (12, Labor, 0.05m), (31, Material, 333.33m)),
            Row("013100", "L", 1234.56m),           // update +234.46
            Row("014500", "L", 0.05m),              // unchanged
            Row("031000", "L", 0.01m),              // create +0.01
            Row("031000", "S", -99.99m, 10m),       // skipped, still in Spectrum's total
            Row("099100", "X", 5.55m));             // unmapped cost type, still in Spectrum's total

        plan.Totals.Should().Be(new BudgetTotals(
            SpectrumTotal: 1234.56m + 0.05m + 0.01m - 99.99m + 5.55m,
            ProcoreTotal: 1000.10m + 0.05m + 333.33m,
            NewProcoreTotal: 1234.56m + 0.05m + 333.33m + 0.01m,
            LeftOut: new LeftOutMoney(1, 5.55m)));
        plan.Counts.Should().Contain(new KeyValuePair<PlanKind, int>(PlanKind.Update, 1))
            .And.Contain(new KeyValuePair<PlanKind, int>(PlanKind.Create, 1))
            .And.Contain(new KeyValuePair<PlanKind, int>(PlanKind.Unchanged, 1))
            .And.Contain(new KeyValuePair<PlanKind, int>(PlanKind.Skipped, 2))
            .And.Contain(new KeyValuePair<PlanKind, int>(PlanKind.Unmapped, 1));
    }

    [Fact]
    public void Keeps_an_existing_budget_code_for_a_new_line()
    {
        var snapshot = Budget() with { BudgetCodes = new Dictionary<(long, long), long> { [(31, Material)] = 4242 } };

        var line = Plan(snapshot, Row("031000", "M", 10m)).Lines.Single();

        (line.Kind, line.BudgetCodeId, line.CostCodeId, line.CostTypeId).Should().Be((PlanKind.Create, (long?)4242, (long?)31, (long?)Material));
    }

    [Fact]
    public void Reports_a_budget_code_Procore_holds_twice_with_both_lines_and_writes_neither()
    {
        var plan = Plan(Budget((11, Labor, 100m), (11, Labor, 40m), (31, Material, 5m), (31, Material, 6m)), Row("013100", "L", 125m));

        var held = plan.DuplicatesInProcore.ToList();
        held.Should().HaveCount(2, "one with a Spectrum row, one without");
        held.Should().OnlyContain(l => l.Kind == PlanKind.Skipped && !l.IsWrite);
        held.Single(l => l.CostCode == "01-3100").Reason.Should().Contain("line 500 of 100.00").And.Contain("line 501 of 40.00");
        held.Single(l => l.CostCode == "03-1000").Reason.Should().Contain("line 502 of 5.00").And.Contain("line 503 of 6.00");
        plan.Totals.NewProcoreTotal.Should().Be(plan.Totals.ProcoreTotal, "nothing is written");
    }

    [Fact]
    public void Creates_no_cost_code_on_a_project_whose_cost_codes_the_ERP_integration_owns()
    {
        var line = Plan(Budget(), PlanPolicy.Default with { ErpOwnsCostCodes = true }, Row("099100", "S", 10m)).Lines.Single();

        (line.Kind, line.Rule).Should().Be((PlanKind.Unmapped, LineRules.ErpOwnsCostCodes));
    }

    [Fact]
    public void Matches_a_cost_code_by_its_code_with_separators_removed_before_planning_to_create_one()
    {
        var noMask = CodeMapping.Default;

        var plan = Plan(Budget((11, Labor, 10m)), noMask, PlanPolicy.Default, Row("013100", "L", 12m), Row("01-4500", "L", 3m));

        plan.Lines.Select(l => (l.CostCode, l.Kind)).Should().BeEquivalentTo([("01-3100", PlanKind.Update), ("01-4500", PlanKind.Create)]);
        plan.NewCostCodes.Should().BeEmpty("both codes exist once their separators are set aside");
    }

    [Fact]
    public void Counts_the_cost_codes_with_their_tiers_and_the_budget_codes_its_creates_need()
    {
        var plan = Plan(Budget(), Row("099100", "S", 1m), Row("099100", "L", 2m), Row("013100", "M", 3m));

        plan.NewCostCodes.Should().BeEquivalentTo(["09", "09-9100"], "01-3100 exists; 09-9100 needs its division too");
        plan.NewBudgetCodes.Should().Be(3);
    }

    [Fact]
    public void Warns_on_a_line_Procore_has_budget_changes_on()
    {
        var changed = Budget((11, Labor, 100m)) with
        {
            Lines = [new BudgetLineEntry(500, 900, 11, Labor, 100m, BudgetChanges: 25m)],
        };

        var plan = Plan(changed, Row("013100", "L", 125m));

        plan.Lines.Single().Warning.Should().Contain("25.00 of budget changes");
        plan.Warnings.Should().ContainSingle().Which.Should().StartWith("01-3100.L:");
    }
}
