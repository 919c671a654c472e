using CsCheck;
using ErpFunctions.Domain.Estimates;
using ErpFunctions.Domain.Jobs;
using ErpFunctions.Domain.Mapping;
using ErpFunctions.Domain.Planning;

namespace ErpFunctions.UnitTests.Domain;

/// <summary>
/// Properties of the planner over generated Spectrum estimates and Procore budgets (CsCheck; a failure prints the seed
/// that reproduces it): a plan applied leaves nothing to write, the order of Spectrum's rows does not matter, totals
/// add up, and rows grouped onto one budget code keep their sum.
/// </summary>
public class PlanPropertyTests
{
    private static readonly JobNumber Job = JobNumber.Parse("22-208");
    private static readonly PhaseMask Mask = new("##-####");
    private static readonly string[] Phases = ["013100", "013200", "031000", "033000", "055000", "099100", "1234"];
    private static readonly string[] ProcoreTypes = ["L", "M", "S", "E", "O"];
    private static readonly string[] SpectrumTypes = ["L", "M", "S", "E", "O", "l", "X", "x"];

    /// <summary>Whole cents, mostly positive, sometimes zero or negative, now and then a fraction of a cent.</summary>
    private static readonly Gen<decimal> Amount = Gen.Frequency(
        (12, Gen.Long[1, 10_000_000_00].Select(cents => cents / 100m)),
        (2, Gen.Long[-100_000, 0].Select(cents => cents / 100m)),
        (1, Gen.Long[1, 1_000_000].Select(mills => mills / 1000m)));

    private static readonly Gen<EstimateRow> Row =
        Gen.Select(Gen.OneOf(Phases), Gen.OneOf(SpectrumTypes), Gen.OneOf("", "Concrete", "Labor", " Steel "), Amount, Amount)
            .Select(r => new EstimateRow(Job.Value, r.Item1, r.Item2, r.Item3, r.Item4, r.Item5 < 0 ? 0m : r.Item5));

    private static readonly Gen<ProjectBudget> Budget =
        Gen.Select(Gen.Bool.Array[Phases.Length], Gen.Bool.Array[ProcoreTypes.Length], Gen.Bool.Array[Phases.Length * ProcoreTypes.Length],
                Amount.Array[Phases.Length * ProcoreTypes.Length], Gen.Int[-1, Phases.Length * ProcoreTypes.Length - 1])
            .Select(b => BudgetOf(b.Item1, b.Item2, b.Item3, b.Item4, b.Item5));

    private static readonly Gen<CodeMapping> Mapping = Gen.Bool.Select(mapsX => CodeMapping.Default with
    {
        Mask = Mask,
        CostTypeTable = mapsX ? new Dictionary<string, string> { ["X"] = "M" } : new Dictionary<string, string>(),
    });

    private static readonly Gen<PlanPolicy> Policy = Gen.Select(Gen.Bool, Gen.Bool, (codes, types) => new PlanPolicy(codes, types));

    private static readonly Gen<(EstimateRow[] Rows, ProjectBudget Budget, CodeMapping Mapping, PlanPolicy Policy)> Case =
        Gen.Select(Row.Array[0, 24], Budget, Mapping, Policy);

    [Fact]
    public void A_plan_applied_to_any_Procore_budget_leaves_nothing_to_write()
    {
        Case.Sample(c =>
        {
            var estimate = NormalizedEstimate.From(Job, c.Rows);
            var plan = BudgetPlanner.Plan(estimate, c.Budget, c.Mapping, c.Policy);

            var applied = Apply(plan, c.Budget);
            var again = BudgetPlanner.Plan(estimate, applied, c.Mapping, c.Policy);

            again.Writes.Select(l => $"{l.Kind} {l.BudgetCode} to {l.To}").Should().BeEmpty();
            again.Totals.NewProcoreTotal.Should().Be(plan.Totals.NewProcoreTotal);
            applied.Total.Should().Be(plan.Totals.NewProcoreTotal, "Procore holds the plan's New Procore total once the plan is applied");
        }, iter: 500);
    }

    [Fact]
    public void The_plan_does_not_depend_on_the_order_of_Spectrum_s_rows()
    {
        Case.SelectMany(c => Gen.Shuffle(c.Rows.ToArray()).Select(shuffled => (c, shuffled))).Sample(t =>
        {
            var (c, shuffled) = t;
            var plan = BudgetPlanner.Plan(NormalizedEstimate.From(Job, c.Rows), c.Budget, c.Mapping, c.Policy);
            var reordered = BudgetPlanner.Plan(NormalizedEstimate.From(Job, shuffled), c.Budget, c.Mapping, c.Policy);

            reordered.Should().BeEquivalentTo(plan, o => o.WithStrictOrdering());
        }, iter: 500);
    }

    [Fact]
    public void Totals_are_additive()
    {
        Gen.Select(Row.Array[0, 12], Row.Array[0, 12], Budget, Mapping, Policy).Sample(t =>
        {
            var (first, second, budget, mapping, policy) = t;
            var whole = NormalizedEstimate.From(Job, [.. first, .. second]);
            var plan = BudgetPlanner.Plan(whole, budget, mapping, policy);

            whole.Total.Should().Be(NormalizedEstimate.From(Job, first).Total + NormalizedEstimate.From(Job, second).Total);
            plan.Totals.SpectrumTotal.Should().Be(first.Concat(second).Sum(r => r.Estimate));
            plan.Totals.ProcoreTotal.Should().Be(budget.Lines.Sum(l => l.Amount));
            plan.Totals.NewProcoreTotal.Should().Be(plan.Totals.ProcoreTotal + plan.Writes.Sum(l => l.To!.Value - (l.From ?? 0m)));
            plan.Lines.Where(l => l.Rule != LineRules.NotInSpectrum).Sum(l => l.Estimate).Should().Be(plan.Totals.SpectrumTotal,
                "every Spectrum row lands in exactly one plan line");
        }, iter: 500);
    }

    [Fact]
    public void Rows_grouped_onto_one_budget_code_keep_their_sum()
    {
        Case.Sample(c =>
        {
            var plan = BudgetPlanner.Plan(NormalizedEstimate.From(Job, c.Rows), c.Budget, c.Mapping, c.Policy);

            plan.Lines.Should().NotContain(l => l.Rule != LineRules.NotInSpectrum && l.Estimate != l.Sources.Sum(s => s.Estimate));
            plan.Writes.Should().NotContain(l => l.To != l.Sources.Sum(s => s.Estimate));
            plan.Writes.GroupBy(l => l.BudgetCode).Should().NotContain(g => g.Count() > 1, "one line per budget code");
        }, iter: 500);
    }

    /// <summary>
    /// A budget with cost codes for some phases, some of the five cost types, lines with amounts on some budget codes,
    /// and at times a second line on one budget code (which the plan must leave alone).
    /// </summary>
    private static ProjectBudget BudgetOf(bool[] hasCode, bool[] hasType, bool[] hasLine, decimal[] amounts, int duplicate)
    {
        var codes = Phases.Select((phase, i) => (phase, i)).Where(p => hasCode[p.i] && Mask.Format(p.phase) is not null)
            .Select(p => new CostCodeEntry(100 + p.i, Mask.Format(p.phase)!, p.i % 2 == 0 ? p.phase : null, null, $"Code {p.phase}")).ToList();
        var types = ProcoreTypes.Select((type, i) => (type, i)).Where(t => hasType[t.i])
            .Select(t => new CostTypeEntry(200 + t.i, t.type, t.type, $"Type {t.type}")).ToList();
        var budgetCodes = new Dictionary<(long, long), long>();
        var lines = new List<BudgetLineEntry>();
        foreach (var (code, type) in codes.SelectMany(c => types.Select(t => (c, t))))
        {
            var slot = (int)(code.Id - 100) * ProcoreTypes.Length + (int)(type.Id - 200);
            if (hasLine[slot])
            {
                var wbs = 1_000 + slot;
                budgetCodes[(code.Id, type.Id)] = wbs;
                lines.Add(new BudgetLineEntry(10_000 + slot, wbs, code.Id, type.Id, amounts[slot]));
                if (slot == duplicate)
                {
                    lines.Add(new BudgetLineEntry(20_000 + slot, wbs, code.Id, type.Id, amounts[slot] + 1m));
                }
            }
        }

        return new ProjectBudget(3000000101, 1, codes, types, budgetCodes, lines);
    }

    /// <summary>Procore after the plan's writes, as the writer makes them: missing cost codes, cost types and budget codes first, then the lines.</summary>
    private static ProjectBudget Apply(BudgetPlan plan, ProjectBudget budget)
    {
        var codes = budget.CostCodes.ToList();
        var types = budget.CostTypes.ToList();
        var budgetCodes = budget.BudgetCodes.ToDictionary();
        var lines = budget.Lines.ToList();
        var nextId = 50_000L;
        foreach (var line in plan.Writes)
        {
            if (line.Kind == PlanKind.Update)
            {
                var index = lines.FindIndex(l => l.Id == line.BudgetLineId);
                lines[index] = lines[index] with { Amount = line.To!.Value };
                continue;
            }

            var code = line.CostCodeId ?? codes.FirstOrDefault(c => c.FullCode == line.CostCode)?.Id
                ?? Add(codes, new CostCodeEntry(++nextId, line.CostCode!, line.Phase, null, line.Description)).Id;
            var type = line.CostTypeId ?? types.FirstOrDefault(t => t.Code == line.ProcoreCostType)?.Id
                ?? Add(types, new CostTypeEntry(++nextId, line.ProcoreCostType!, line.CostType, line.ProcoreCostType!)).Id;
            if (!budgetCodes.TryGetValue((code, type), out var wbs))
            {
                budgetCodes[(code, type)] = wbs = ++nextId;
            }

            lines.Add(new BudgetLineEntry(++nextId, wbs, code, type, line.To!.Value));
        }

        return budget with { CostCodes = codes, CostTypes = types, BudgetCodes = budgetCodes, Lines = lines };
    }

    private static T Add<T>(List<T> list, T item)
    {
        list.Add(item);
        return item;
    }
}
