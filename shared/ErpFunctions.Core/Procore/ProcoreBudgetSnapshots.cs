using System.Globalization;
using ErpFunctions.Domain.Fingerprints;
using ErpFunctions.Domain.Mapping;
using ErpFunctions.Domain.Planning;

namespace ErpFunctions.Procore;

/// <summary>The WBS segments a budget code is made of, by their Procore <c>type</c>.</summary>
internal static class WbsSegmentTypes
{
    public const string CostCode = "cost_code";
    public const string CostType = "line_item_type";
}

/// <summary>Turns Procore's answers into the budget the planner reads.</summary>
internal static class ProcoreBudgetSnapshots
{
    public static IReadOnlyList<CostTypeEntry> CostTypes(IEnumerable<ProcoreLineItemType> lineItemTypes) =>
        [.. lineItemTypes.Select(t => new CostTypeEntry(t.Id, t.Code ?? "", t.OriginId, t.Name ?? ""))];

    /// <summary>Builds the budget, resolving each budget code to its cost code and cost type.</summary>
    public static ProjectBudget From(
        long projectId,
        long budgetViewId,
        IEnumerable<ProcoreCostCode> costCodes,
        IReadOnlyList<CostTypeEntry> types,
        IEnumerable<ProcoreWbsCode> wbsCodes,
        IEnumerable<ProcoreBudgetRow> rows)
    {
        var codes = costCodes.Select(c => new CostCodeEntry(c.Id, c.FullCode ?? c.Code, c.OriginId, c.Parent?.Id, c.Name ?? "")).ToList();
        var codeByFullCode = codes.GroupBy(c => c.FullCode).ToDictionary(g => g.Key, g => g.First().Id);
        var typeByCode = types.GroupBy(t => t.Code, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Id, StringComparer.OrdinalIgnoreCase);

        var budgetCodes = new Dictionary<(long, long), long>();
        foreach (var wbs in wbsCodes)
        {
            if (BudgetCodeParts(wbs) is var (costCode, costType)
                && codeByFullCode.TryGetValue(costCode, out var costCodeId)
                && typeByCode.TryGetValue(costType, out var costTypeId))
            {
                budgetCodes.TryAdd((costCodeId, costTypeId), wbs.Id);
            }
        }

        var lines = BudgetLines(rows)
            .Select(r => new BudgetLineEntry(r.Id!.Value,
                r.WbsCodeId ?? budgetCodes.GetValueOrDefault((r.CostCodeId!.Value, r.CategoryId!.Value)),
                r.CostCodeId!.Value, r.CategoryId!.Value, r.OriginalBudgetAmount, r.BudgetChanges))
            .ToList();
        foreach (var line in lines)
        {
            budgetCodes.TryAdd((line.CostCodeId, line.CostTypeId), line.WbsCodeId);
        }

        return new ProjectBudget(projectId, budgetViewId, codes, types, budgetCodes, lines);
    }

    /// <summary>The detail rows that are budget line items: grouping and total rows have no id or no budget code.</summary>
    public static IEnumerable<ProcoreBudgetRow> BudgetLines(IEnumerable<ProcoreBudgetRow> rows) =>
        rows.Where(r => r is { Id: not null, CostCodeId: not null, CategoryId: not null });

    /// <summary>Every line's amount by id, as <see cref="ProjectBudget.Fingerprint"/> takes it from a snapshot.</summary>
    public static string FingerprintOf(IEnumerable<ProcoreBudgetRow> lines) =>
        Fingerprint.Of(lines.Select(r => (r.Id!.Value.ToString(CultureInfo.InvariantCulture), r.OriginalBudgetAmount)));

    /// <summary>A budget code's cost code and cost type: from its segment items, else from its flat code (<c>01-3100.L</c>).</summary>
    public static (string CostCode, string CostType)? BudgetCodeParts(ProcoreWbsCode wbs)
    {
        var items = wbs.SegmentItems ?? [];
        var costCode = items.FirstOrDefault(i => i.Segment?.Type == WbsSegmentTypes.CostCode);
        var costType = items.FirstOrDefault(i => i.Segment?.Type == WbsSegmentTypes.CostType);
        if (costCode?.PathCode is { } path && costType?.Code is { } type)
        {
            return (path, type);
        }

        var flat = wbs.FlatCode ?? "";
        var dot = flat.LastIndexOf('.');
        return dot > 0 ? (flat[..dot], flat[(dot + 1)..]) : null;
    }
}
