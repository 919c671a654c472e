using ErpFunctions.Domain.Estimates;
using ErpFunctions.Domain.Jobs;
using ErpFunctions.Domain.Mapping;
using ErpFunctions.Domain.Planning;

namespace ErpFunctions.UnitTests.Domain;

/// <summary>A small Procore project and Spectrum rows to plan against.</summary>
internal static class PlanTestData
{
    public const long Labor = 201, Material = 202, Subcontract = 203;

    public static readonly IReadOnlyList<CostCodeEntry> CostCodes =
    [
        new(1, "01", null, null, "General Requirements"),
        new(11, "01-3100", "013100", 1, "Project management"),
        new(12, "01-4500", null, 1, "Quality control"),
        new(3, "03", null, null, "Concrete"),
        new(31, "03-1000", null, 3, "Concrete forming"),
    ];

    public static readonly IReadOnlyList<CostTypeEntry> CostTypes =
    [
        new(Labor, "L", "L", "Labor"),
        new(Material, "M", null, "Materials"),
        new(Subcontract, "S", "SUB", "Subcontract"),
    ];

    public static readonly CodeMapping Mapping = CodeMapping.Default with { Mask = new PhaseMask("##-####") };

    public static EstimateRow Row(string phase, string costType, decimal estimate, decimal jtd = 0m, string job = "22-208") =>
        new(job, phase, costType, "Phase " + phase.Trim(), estimate, jtd);

    /// <summary>A project whose budget holds these lines (one budget code per cost code × cost type, even when held twice).</summary>
    public static ProjectBudget Budget(params (long CostCode, long CostType, decimal Amount)[] lines)
    {
        var codes = lines.Select(l => (l.CostCode, l.CostType)).Distinct().Select((key, i) => (Key: key, Wbs: 900L + i)).ToDictionary(x => x.Key, x => x.Wbs);
        return new ProjectBudget(3000000101, 77, CostCodes, CostTypes, codes,
            [.. lines.Select((l, i) => new BudgetLineEntry(500 + i, codes[(l.CostCode, l.CostType)], l.CostCode, l.CostType, l.Amount))]);
    }

    public static BudgetPlan Plan(ProjectBudget procore, params EstimateRow[] rows) => Plan(procore, PlanPolicy.Default, rows);

    public static BudgetPlan Plan(ProjectBudget procore, PlanPolicy policy, params EstimateRow[] rows) =>
        Plan(procore, Mapping, policy, rows);

    public static BudgetPlan Plan(ProjectBudget procore, CodeMapping mapping, PlanPolicy policy, params EstimateRow[] rows) =>
        BudgetPlanner.Plan(NormalizedEstimate.From(JobNumber.Parse("22-208"), rows), procore, mapping, policy);
}
