using ErpFunctions.Domain.Estimates;
using ErpFunctions.Domain.Mapping;
using ErpFunctions.Domain.Planning;
using static ErpFunctions.UnitTests.Domain.PlanTestData;

namespace ErpFunctions.UnitTests.Domain;

/// <summary>Procore holds one line per budget code: Spectrum rows that land on one code share one planned amount.</summary>
public class GroupingTests
{
    /// <summary>Two phases that the table maps onto one cost code, and EQ that it maps onto cost type L.</summary>
    private static readonly CodeMapping Merging = Mapping with
    {
        CostCodeTable = new Dictionary<string, string> { ["013100"] = "01-3100", ["013110"] = "01-3100" },
        CostTypeTable = new Dictionary<string, string> { ["EQ"] = "L" },
    };

    public static TheoryData<string, EstimateRow[], decimal?, PlanKind, decimal?, string?, int> Cases => new()
    {
        // case,                                     rows,                                                               procore, kind,               to,     rule,                              sources
        { "two phases on one cost code",             [Row("013100", "L", 100m), Row("013110", "L", 50.25m)],            null,    PlanKind.Create,    150.25m, null,                             2 },
        { "two phases, Procore holds their sum",     [Row("013100", "L", 100m), Row("013110", "L", 50.25m)],            150.25m, PlanKind.Unchanged, 150.25m, null,                             2 },
        { "two phases, Procore holds one of them",   [Row("013100", "L", 100m), Row("013110", "L", 50.25m)],            100m,    PlanKind.Update,    150.25m, null,                             2 },
        { "two cost types on one cost type",         [Row("013100", "L", 100m), Row("013100", "EQ", 30m)],              null,    PlanKind.Create,    130m,    null,                             2 },
        { "a positive and a negative row",           [Row("013100", "L", 100m), Row("013110", "L", -40m)],              null,    PlanKind.Create,    60m,     null,                             2 },
        { "a negative sum writes no line",           [Row("013100", "L", 40m), Row("013110", "L", -100m)],              75m,     PlanKind.Skipped,   null,    LineRules.EstimateNotPositive,    2 },
        { "rows that cancel out",                    [Row("013100", "L", 40m), Row("013110", "L", -40m)],               null,    PlanKind.Skipped,   null,    LineRules.NoCostNoEstimate,       2 },
        { "job-to-date cost only",                   [Row("013100", "L", 0m, jtd: 10m), Row("013110", "L", 0m, jtd: 5m)], null,  PlanKind.Skipped,   null,    LineRules.EstimateNotPositive,    2 },
        { "neither cost nor estimate in any row",    [Row("013100", "L", 0m), Row("013110", "L", 0m)],                  null,    PlanKind.Skipped,   null,    LineRules.NoCostNoEstimate,       2 },
        { "one row alone is not a group",            [Row("013100", "L", 100m), Row("013110", "M", 50m)],               null,    PlanKind.Create,    100m,    null,                             1 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Plans_one_line_per_budget_code_with_the_sum_of_its_rows(string @case, EstimateRow[] rows, decimal? procore, PlanKind kind,
        decimal? to, string? rule, int sources)
    {
        var budget = procore is { } amount ? Budget((11, Labor, amount)) : Budget();

        var plan = Plan(budget, Merging, PlanPolicy.Default, rows);

        var line = plan.Lines.Single(l => l.CostCode == "01-3100" && l.ProcoreCostType == "L");
        (line.Kind, line.To, line.Rule, line.Sources.Count).Should().Be((kind, to, rule, sources), @case);
        line.Estimate.Should().Be(line.Sources.Sum(s => s.Estimate), @case);
        plan.Lines.Count(l => l.CostCode == "01-3100" && l.ProcoreCostType == "L").Should().Be(1, @case);
    }

    [Fact]
    public void Lists_the_rows_a_line_is_made_of_and_keeps_the_new_total_equal_to_what_Procore_will_hold()
    {
        var plan = Plan(Budget((11, Labor, 100m)), Merging, PlanPolicy.Default, Row("013100", "L", 100m), Row("013110", "L", 50.25m),
            Row("013100", "EQ", 9.75m));

        var line = plan.Lines.Single();
        line.Sources.Should().Equal(new SourceRow("013100", "EQ", 9.75m, 0m), new SourceRow("013100", "L", 100m, 0m),
            new SourceRow("013110", "L", 50.25m, 0m));
        line.Reason.Should().Contain("sum of 3 Spectrum rows");
        plan.Totals.NewProcoreTotal.Should().Be(160m, "the one line holds the sum, not the last row's amount");
    }

    [Fact]
    public void Refuses_a_collision_when_the_customer_chooses_so_and_names_its_rows()
    {
        var plan = Plan(Budget((11, Labor, 70m)), Merging, PlanPolicy.Default with { OnCollision = CollisionPolicy.Refuse },
            Row("013100", "L", 100m), Row("013110", "L", 50.25m), Row("014500", "L", 5m));

        var refused = plan.Lines.Single(l => l.CostCode == "01-3100");
        (refused.Kind, refused.Rule, refused.To).Should().Be((PlanKind.Unmapped, LineRules.BudgetCodeCollision, (decimal?)null));
        refused.Reason.Should().Contain("phase 013100 cost type L (100.00)").And.Contain("phase 013110 cost type L (50.25)");
        plan.Lines.Single(l => l.CostCode == "01-4500").Kind.Should().Be(PlanKind.Create, "a code only one row lands on is written as usual");
        plan.Totals.NewProcoreTotal.Should().Be(75m, "the refused code keeps Procore's 70.00");
    }
}
