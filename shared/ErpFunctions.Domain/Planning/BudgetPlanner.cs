using ErpFunctions.Domain.Estimates;
using ErpFunctions.Domain.Mapping;

namespace ErpFunctions.Domain.Planning;

/// <summary>
/// Turns a Spectrum estimate and a Procore budget into a plan with one line per Procore budget code (the README's line rules):
/// Spectrum rows are mapped, grouped by the budget code they land on, and the line rules decide each group. Pure, no
/// I/O, every decision explained.
/// </summary>
public static class BudgetPlanner
{
    public static BudgetPlan Plan(NormalizedEstimate estimate, ProjectBudget procore, CodeMapping mapping, PlanPolicy policy)
    {
        var linesByCode = procore.Lines.ToLookup(l => (l.CostCodeId, l.CostTypeId));
        var plan = new List<PlanLine>();
        var planned = new HashSet<(long, long)>();

        foreach (var group in Group(estimate, procore, mapping))
        {
            var existing = group.Key is { CostCode: { } code, CostType: { } type } ? linesByCode[(code.Id, type.Id)].ToList() : [];
            if (group.Key is { CostCode: { } c, CostType: { } t })
            {
                planned.Add((c.Id, t.Id));
            }

            plan.Add(PlanGroup(group.Key, group.Rows, existing, procore, policy));
        }

        var names = new Names(procore);
        plan.AddRange(linesByCode.Where(g => !planned.Contains(g.Key)).Select(g => Orphan([.. g], names)));

        var procoreTotal = procore.Total;
        var change = plan.Where(l => l.IsWrite).Sum(l => l.To!.Value - (l.From ?? 0m));
        var creates = plan.Where(l => l.Kind == PlanKind.Create).ToList();
        var existingCodes = procore.CostCodes.Select(c => c.FullCode).ToHashSet();
        var newCostCodes = creates.Where(l => l.CostCodeId is null && l.CostCode is not null)
            .SelectMany(l => mapping.Mask.Tiers(l.CostCode!)).Select(t => t.FullCode)
            .Where(code => !existingCodes.Contains(code)).Distinct().ToList();
        var newBudgetCodes = creates.Count(l => l.BudgetCodeId is null);
        var totals = new BudgetTotals(estimate.Total, procoreTotal, procoreTotal + change, LeftOutMoney.Of(plan.Where(l => l.IsLeftOut)));
        return new BudgetPlan(plan, totals, estimate.Duplicates, newCostCodes, newBudgetCodes);
    }

    /// <summary>
    /// Maps each Spectrum line to the budget code it lands on and groups the lines that land on the same one. A line
    /// whose phase cannot be made into a cost code lands nowhere and stays alone.
    /// </summary>
    private static IEnumerable<(Target Key, IReadOnlyList<EstimateLine> Rows)> Group(NormalizedEstimate estimate, ProjectBudget procore,
        CodeMapping mapping)
    {
        var matcher = mapping.MatcherFor(procore.CostCodes, procore.CostTypes);
        return estimate.Lines
            .Select(line =>
            {
                var costCode = matcher.FindCostCode(line.Phase);
                var costType = matcher.FindCostType(line.CostType);
                return (Line: line, Target: new Target(costCode, costType,
                    costCode?.FullCode ?? mapping.ProcoreCodeFor(line.Phase), costType?.Code ?? mapping.ProcoreCostTypeFor(line.CostType)));
            })
            .GroupBy(x => x.Target.Identity(x.Line))
            .Select(g => (g.First().Target, (IReadOnlyList<EstimateLine>)[.. g.Select(x => x.Line)]));
    }

    private static PlanLine PlanGroup(Target target, IReadOnlyList<EstimateLine> rows, IReadOnlyList<BudgetLineEntry> existing,
        ProjectBudget procore, PlanPolicy policy)
    {
        var first = rows[0];
        var estimate = rows.Sum(r => r.Estimate);
        var jobToDate = rows.Sum(r => r.JobToDate);
        var current = existing.Count == 1 ? existing[0] : null;
        long? budgetCode = target is { CostCode: { } cc, CostType: { } ct } && procore.BudgetCodes.TryGetValue((cc.Id, ct.Id), out var code)
            ? code : null;
        var sum = rows.Count > 1 ? $" (the sum of {rows.Count} Spectrum rows)" : "";
        PlanLine Line(PlanKind kind, decimal? to, string? rule, string reason) => new(
            kind, first.Phase, first.CostType, target.ProcoreCode, target.ProcoreType,
            rows.Select(r => r.Description).FirstOrDefault(d => d.Length > 0) ?? "", estimate, jobToDate,
            current?.Amount, to, rule, reason, current?.Id, budgetCode, target.CostCode?.Id, target.CostType?.Id)
        {
            Sources = [.. rows.Select(r => new SourceRow(r.Phase, r.CostType, r.Estimate, r.JobToDate))],
            Warning = current is { BudgetChanges: not 0m } changed
                ? $"Procore shows {Money.Format(changed.BudgetChanges)} of budget changes on this line; Spectrum's current estimate may already include them"
                : null,
        };

        if (existing.Count > 1)
        {
            return Line(PlanKind.Skipped, null, LineRules.DuplicateInProcore, DuplicateReason(target.BudgetCode, existing));
        }

        if (rows.FirstOrDefault(r => !Money.IsMoney(r.Estimate)) is { } odd)
        {
            return Line(PlanKind.Unmapped, null, LineRules.AmountNotMoney,
                $"Spectrum's estimate {odd.Estimate.ToString(System.Globalization.CultureInfo.InvariantCulture)} for phase {odd.Phase} cost type {odd.CostType} "
                + $"is not an amount in whole cents of at most {Money.Format(Money.Largest)}, so it cannot be written exactly; nothing is written"
                + (current is null ? "" : $" and the Procore line of {Money.Format(current.Amount)} is left untouched"));
        }

        if (rows.Count > 1 && policy.OnCollision == CollisionPolicy.Refuse)
        {
            return Line(PlanKind.Unmapped, null, LineRules.BudgetCodeCollision,
                $"{rows.Count} Spectrum rows land on budget code {target.BudgetCode}: "
                + string.Join(", ", rows.Select(r => $"phase {r.Phase} cost type {r.CostType} ({Money.Format(r.Estimate)})"))
                + "; Reimport:OnCollision is Refuse, so none is written");
        }

        var untouched = current is null ? "" : $"; the Procore line of {Money.Format(current.Amount)} is left untouched";
        if (estimate == 0m && jobToDate == 0m)
        {
            return Line(PlanKind.Skipped, null, LineRules.NoCostNoEstimate, "Neither job-to-date cost nor estimate" + sum + untouched);
        }

        if (estimate <= 0m)
        {
            return Line(PlanKind.Skipped, null, LineRules.EstimateNotPositive,
                $"Estimate of {Money.Format(estimate)}{sum} is not above zero, so no budget line is written" + untouched);
        }

        if (target.CostCode is null)
        {
            if (target.ProcoreCode is null)
            {
                return Line(PlanKind.Unmapped, null, LineRules.PhaseMaskMismatch,
                    $"Phase {first.Phase} does not fit the phase mask, so it maps to no cost code");
            }

            if (policy.ErpOwnsCostCodes)
            {
                return Line(PlanKind.Unmapped, null, LineRules.ErpOwnsCostCodes,
                    $"The project has no cost code {target.ProcoreCode} for phase {first.Phase}, and its cost codes belong to Procore's ERP integration, so none is created");
            }

            if (!policy.CreateMissingCostCodes)
            {
                return Line(PlanKind.Unmapped, null, LineRules.CostCodeNotFound,
                    $"The project has no cost code {target.ProcoreCode} for phase {first.Phase}");
            }
        }

        if (target.CostType is null && !policy.CreateMissingCostTypes)
        {
            return Line(PlanKind.Unmapped, null, LineRules.CostTypeNotFound,
                $"Procore has no cost type {target.ProcoreType} for Spectrum cost type {first.CostType}");
        }

        if (current is null)
        {
            var creates = new List<string>();
            if (target.CostCode is null)
            {
                creates.Add($"cost code {target.ProcoreCode}");
            }

            if (target.CostType is null)
            {
                creates.Add($"cost type {target.ProcoreType}");
            }

            var note = creates.Count > 0 ? $" (creating {string.Join(" and ", creates)})" : "";
            return Line(PlanKind.Create, estimate, null, $"New budget line of {Money.Format(estimate)}{sum}{note}");
        }

        return current.Amount == estimate
            ? Line(PlanKind.Unchanged, estimate, null, "Procore already holds the Spectrum estimate" + sum)
            : Line(PlanKind.Update, estimate, null, $"Overwrites {Money.Format(current.Amount)} with {Money.Format(estimate)}{sum}");
    }

    /// <summary>Procore lines no Spectrum row lands on: left alone, and reported (twice held, as a duplicate).</summary>
    private static PlanLine Orphan(IReadOnlyList<BudgetLineEntry> lines, Names names)
    {
        var line = lines[0];
        var (costCode, costType, description) = names.Of(line);
        var duplicate = lines.Count > 1;
        return new PlanLine(PlanKind.Skipped, "", "", costCode, costType, description, 0m, 0m,
            duplicate ? null : line.Amount, null, duplicate ? LineRules.DuplicateInProcore : LineRules.NotInSpectrum,
            duplicate
                ? DuplicateReason($"{costCode}.{costType}", lines)
                : $"Procore line of {Money.Format(line.Amount)} has no Spectrum counterpart; left alone",
            duplicate ? null : line.Id, line.WbsCodeId, line.CostCodeId, line.CostTypeId);
    }

    private static string DuplicateReason(string budgetCode, IReadOnlyList<BudgetLineEntry> lines) =>
        $"Procore holds {lines.Count} lines on budget code {budgetCode}: "
        + string.Join(", ", lines.Select(l => $"line {l.Id} of {Money.Format(l.Amount)}"))
        + "; none is written until the extra ones are removed in Procore";

    /// <summary>Where a Spectrum line lands: Procore's cost code and cost type if they exist, else the codes they would have.</summary>
    private sealed record Target(CostCodeEntry? CostCode, CostTypeEntry? CostType, string? ProcoreCode, string ProcoreType)
    {
        public string BudgetCode => $"{ProcoreCode}.{ProcoreType}";

        /// <summary>Lines with the same identity land on the same budget code; one without a cost code keeps its own.</summary>
        public string Identity(EstimateLine line) => ProcoreCode is null
            ? $"unmappable|{line.Phase}|{line.CostType}"
            : $"{CostCode?.Id.ToString() ?? "new " + ProcoreCode}|{CostType?.Id.ToString() ?? "new " + ProcoreType.ToUpperInvariant()}";
    }

    /// <summary>The codes and names of Procore's own lines, for reporting them.</summary>
    private sealed class Names(ProjectBudget procore)
    {
        private readonly Dictionary<long, CostCodeEntry> costCodes = procore.CostCodes.ToDictionary(c => c.Id);
        private readonly Dictionary<long, CostTypeEntry> costTypes = procore.CostTypes.ToDictionary(t => t.Id);

        public (string? CostCode, string? CostType, string Description) Of(BudgetLineEntry line) => (
            costCodes.GetValueOrDefault(line.CostCodeId)?.FullCode, costTypes.GetValueOrDefault(line.CostTypeId)?.Code,
            costCodes.GetValueOrDefault(line.CostCodeId)?.Name ?? "");
    }
}
