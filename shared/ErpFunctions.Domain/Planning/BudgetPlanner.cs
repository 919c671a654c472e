using ErpFunctions.Domain.Estimates;
using ErpFunctions.Domain.Mapping;

namespace ErpFunctions.Domain.Planning;

/// <summary>
/// Turns a Spectrum estimate and a Procore budget into a line-by-line plan (design.md §2): pure, no I/O, every
/// decision explained.
/// </summary>
public static class BudgetPlanner
{
    public static BudgetPlan Plan(NormalizedEstimate estimate, ProjectBudget procore, CodeMapping mapping, PlanPolicy policy)
    {
        var linesByKey = procore.Lines.GroupBy(l => (l.CostCodeId, l.CostTypeId)).ToDictionary(g => g.Key, g => g.First());
        var matched = new HashSet<long>();
        var plan = new List<PlanLine>();

        foreach (var line in estimate.Lines)
        {
            var costCode = mapping.FindCostCode(line.Phase, procore.CostCodes);
            var costType = mapping.FindCostType(line.CostType, procore.CostTypes);
            var existing = costCode is not null && costType is not null ? linesByKey.GetValueOrDefault((costCode.Id, costType.Id)) : null;
            if (existing is not null)
            {
                matched.Add(existing.Id);
            }

            plan.Add(PlanOne(line, costCode, costType, existing, procore, mapping, policy));
        }

        var costCodes = procore.CostCodes.ToDictionary(c => c.Id);
        var costTypes = procore.CostTypes.ToDictionary(t => t.Id);
        plan.AddRange(procore.Lines.Where(l => !matched.Contains(l.Id)).Select(l => new PlanLine(
            PlanKind.Skipped, "", "",
            costCodes.GetValueOrDefault(l.CostCodeId)?.FullCode, costTypes.GetValueOrDefault(l.CostTypeId)?.Code,
            costCodes.GetValueOrDefault(l.CostCodeId)?.Name ?? "", 0m, 0m, l.Amount, null, LineRules.NotInSpectrum,
            $"Procore line of {Money.Format(l.Amount)} has no Spectrum counterpart; left alone",
            l.Id, l.WbsCodeId, l.CostCodeId, l.CostTypeId)));

        var procoreTotal = procore.Total;
        var change = plan.Where(l => l.IsWrite).Sum(l => l.To!.Value - (l.From ?? 0m));
        var totals = new BudgetTotals(estimate.Total, procoreTotal, procoreTotal + change);
        return new BudgetPlan(plan, totals, estimate.Duplicates);
    }

    private static PlanLine PlanOne(EstimateLine line, CostCodeEntry? costCode, CostTypeEntry? costType, BudgetLineEntry? existing,
        ProjectBudget procore, CodeMapping mapping, PlanPolicy policy)
    {
        var procoreCode = costCode?.FullCode ?? mapping.ProcoreCodeFor(line.Phase);
        var procoreType = costType?.Code ?? mapping.ProcoreCostTypeFor(line.CostType);
        long? budgetCode = costCode is not null && costType is not null
            && procore.BudgetCodes.TryGetValue((costCode.Id, costType.Id), out var code) ? code : null;
        PlanLine Line(PlanKind kind, decimal? to, string? rule, string reason) => new(
            kind, line.Phase, line.CostType, procoreCode, procoreType, line.Description, line.Estimate, line.JobToDate,
            existing?.Amount, to, rule, reason, existing?.Id, budgetCode, costCode?.Id, costType?.Id);

        var untouched = existing is null ? "" : $"; the Procore line of {Money.Format(existing.Amount)} is left untouched";
        if (line.Estimate == 0m && line.JobToDate == 0m)
        {
            return Line(PlanKind.Skipped, null, LineRules.NoCostNoEstimate, "Neither job-to-date cost nor estimate" + untouched);
        }

        if (line.Estimate <= 0m)
        {
            return Line(PlanKind.Skipped, null, LineRules.EstimateNotPositive,
                $"Estimate of {Money.Format(line.Estimate)} is not above zero, so no budget line is written" + untouched);
        }

        if (costCode is null && !policy.CreateMissingCostCodes)
        {
            return procoreCode is null
                ? Line(PlanKind.Unmapped, null, LineRules.PhaseMaskMismatch, $"Phase {line.Phase} does not fit the phase mask")
                : Line(PlanKind.Unmapped, null, LineRules.CostCodeNotFound, $"The project has no cost code {procoreCode} for phase {line.Phase}");
        }

        if (costCode is null && procoreCode is null)
        {
            return Line(PlanKind.Unmapped, null, LineRules.PhaseMaskMismatch, $"Phase {line.Phase} does not fit the phase mask, so no cost code can be made for it");
        }

        if (costType is null && !policy.CreateMissingCostTypes)
        {
            return Line(PlanKind.Unmapped, null, LineRules.CostTypeNotFound, $"Procore has no cost type {procoreType} for Spectrum cost type {line.CostType}");
        }

        if (existing is null)
        {
            var creates = new List<string>();
            if (costCode is null)
            {
                creates.Add($"cost code {procoreCode}");
            }

            if (costType is null)
            {
                creates.Add($"cost type {procoreType}");
            }

            var note = creates.Count > 0 ? $" (creating {string.Join(" and ", creates)})" : "";
            return Line(PlanKind.Create, line.Estimate, null, $"New budget line of {Money.Format(line.Estimate)}{note}");
        }

        return existing.Amount == line.Estimate
            ? Line(PlanKind.Unchanged, line.Estimate, null, "Procore already holds the Spectrum estimate")
            : Line(PlanKind.Update, line.Estimate, null, $"Overwrites {Money.Format(existing.Amount)} with {Money.Format(line.Estimate)}");
    }
}
