using ErpFunctions.Domain.Planning;
using static ErpFunctions.UnitTests.Domain.PlanTestData;

namespace ErpFunctions.UnitTests.Domain;

/// <summary>The Spectrum money a plan leaves out of Procore: counted, summed and explained, per reason.</summary>
public class LeftOutTests
{
    private static readonly PlanPolicy NoCreating = PlanPolicy.Default with { CreateMissingCostCodes = false };

    public static TheoryData<string, PlanPolicy, decimal, int, string> Cases => new()
    {
        // case, policy, estimate of phase 099100 (no cost code), lines left out, note
        { "no cost code, creating off", NoCreating, 40.50m, 1,
            "1 line, 40.50, has no Procore budget code: turn on Reimport:CreateMissingCostCodes or add the cost codes" },
        { "no cost code, Procore's ERP owns them", NoCreating with { ErpOwnsCostCodes = true }, 40.50m, 1,
            "1 line, 40.50, has no cost code, and the project's cost codes belong to Procore's ERP integration: add them there" },
        { "no cost code, creating on", PlanPolicy.Default, 40.50m, 0, "" },
        { "no cost code, estimate zero", NoCreating, 0m, 0, "" },
        { "no cost code, estimate negative", NoCreating, -40.50m, 0, "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Counts_only_positive_estimates_the_plan_does_not_bring_in(string @case, PlanPolicy policy, decimal estimate, int lines, string note)
    {
        var plan = Plan(Budget(), policy, Row("013100", "L", 100m), Row("099100", "L", estimate, jtd: 5m));

        plan.Totals.LeftOut.Lines.Should().Be(lines, @case);
        plan.LeftOutNotes.Should().Equal(note.Length == 0 ? [] : [note]);
    }

    [Fact]
    public void Sums_each_reason_s_lines_and_names_what_brings_them_in_once()
    {
        var plan = Plan(Budget((11, Labor, 10m), (11, Labor, 20m)), NoCreating,
            Row("013100", "L", 100m),      // on a budget code Procore holds twice
            Row("099100", "L", 40.50m),    // no cost code
            Row("099200", "M", 9.49m),     // no cost code
            Row("031000", "X", 7.00m),     // no cost type
            Row("031000", "M", 0.125m),    // not money
            Row("014500", "L", 3m));       // written

        plan.Totals.LeftOut.Should().Be(new LeftOutMoney(5, 100m + 40.50m + 9.49m + 7.00m + 0.125m));
        plan.LeftOutNotes.Should().BeEquivalentTo(
            "2 lines, 49.99, have no Procore budget code: turn on Reimport:CreateMissingCostCodes or add the cost codes",
            "1 line, 7.00, has no Procore cost type: turn on Reimport:CreateMissingCostTypes or add the cost types");
        plan.DuplicatesInProcore.Should().ContainSingle().Which.Estimate.Should().Be(100m, "named on its own, with its amount");
        plan.AmountsNotMoney.Should().ContainSingle().Which.Estimate.Should().Be(0.125m);
    }
}
