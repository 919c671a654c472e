using ErpFunctions.Domain.Mapping;
using static ErpFunctions.UnitTests.Domain.PlanTestData;

namespace ErpFunctions.UnitTests.Domain;

public class CodeMappingTests
{
    [Theory]
    [InlineData("##-####", "013100", "01-3100")]
    [InlineData("##-##-##", "013100", "01-31-00")]
    [InlineData("##.####", "013100", "01.3100")]
    [InlineData("", "013100", "013100")]
    [InlineData("##-####", "13100", null)]
    [InlineData("##-####", "0131000", null)]
    public void Formats_phase_codes_with_the_mask(string mask, string phase, string? expected) =>
        new PhaseMask(mask).Format(phase).Should().Be(expected);

    [Theory]
    [InlineData("##-####", "01-3100", new[] { "01", "01-3100" }, new[] { "01", "3100" })]
    [InlineData("##-##-##", "01-31-00", new[] { "01", "01-31", "01-31-00" }, new[] { "01", "31", "00" })]
    [InlineData("", "013100", new[] { "013100" }, new[] { "013100" })]
    public void Splits_a_full_code_into_its_tiers(string mask, string fullCode, string[] fullCodes, string[] codes)
    {
        var tiers = new PhaseMask(mask).Tiers(fullCode);

        tiers.Select(t => t.FullCode).Should().Equal(fullCodes);
        tiers.Select(t => t.Code).Should().Equal(codes);
    }

    [Theory]
    [InlineData("013100", "Table", 12L)]
    [InlineData("013100", "OriginId", 11L)]
    [InlineData("013100", "FullCode", 11L)]
    [InlineData("014500", "OriginId", null)]
    [InlineData("014500", "FullCode", 12L)]
    [InlineData("099100", "FullCode", null)]
    public void Finds_cost_codes_by_each_strategy(string phase, string strategy, long? expected)
    {
        var mapping = Mapping with
        {
            CostCodeMatches = [Enum.Parse<CostCodeMatch>(strategy)],
            CostCodeTable = new Dictionary<string, string> { ["013100"] = "01-4500" },
        };

        (mapping.FindCostCode(phase, CostCodes)?.Id).Should().Be(expected);
    }

    [Fact]
    public void Tries_strategies_in_order_and_the_first_hit_wins()
    {
        var mapping = Mapping with { CostCodeTable = new Dictionary<string, string> { ["013100"] = "01-4500" } };

        mapping.FindCostCode("013100", CostCodes)!.FullCode.Should().Be("01-4500", "the table is tried before origin id");
    }

    [Theory]
    [InlineData("L", Labor)]
    [InlineData("l", Labor)]
    [InlineData("SUB", Subcontract)]
    [InlineData("M", Material)]
    [InlineData("EQ", Labor)]
    [InlineData("X", null)]
    public void Finds_cost_types_by_table_origin_id_or_code(string costType, long? expected)
    {
        var mapping = Mapping with { CostTypeTable = new Dictionary<string, string> { ["EQ"] = "L" } };

        (mapping.FindCostType(costType, CostTypes)?.Id).Should().Be(expected);
    }
}
