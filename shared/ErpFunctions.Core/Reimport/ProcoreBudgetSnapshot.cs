using ErpFunctions.Procore;

namespace ErpFunctions.Reimport;

public sealed record CostCodeEntry(long Id, string FullCode, string? OriginId, long? ParentId, string Name);

public sealed record CostTypeEntry(long Id, string Code, string? OriginId, string Name);

/// <summary>An existing budget line, keyed by its budget code (cost code × cost type).</summary>
public sealed record BudgetLineEntry(long Id, long WbsCodeId, long CostCodeId, long CostTypeId, decimal Amount);

/// <summary>
/// What Procore holds for a project, read once per run: cost codes, cost types, budget codes and budget lines.
/// Budget codes and lines are keyed by (cost code id, cost type id): Procore allows one line per budget code.
/// </summary>
public sealed record ProcoreBudgetSnapshot(
    long ProjectId,
    long BudgetViewId,
    IReadOnlyList<CostCodeEntry> CostCodes,
    IReadOnlyList<CostTypeEntry> CostTypes,
    IReadOnlyDictionary<(long CostCodeId, long CostTypeId), long> BudgetCodes,
    IReadOnlyList<BudgetLineEntry> Lines)
{
    public decimal Total => Lines.Sum(l => l.Amount);

    /// <summary>Builds the snapshot from Procore's answers, resolving each budget code to its cost code and cost type.</summary>
    public static ProcoreBudgetSnapshot From(
        long projectId,
        long budgetViewId,
        IEnumerable<ProcoreCostCode> costCodes,
        IEnumerable<ProcoreLineItemType> lineItemTypes,
        IEnumerable<ProcoreWbsCode> wbsCodes,
        IEnumerable<ProcoreBudgetRow> rows)
    {
        var codes = costCodes.Select(c => new CostCodeEntry(c.Id, c.FullCode ?? c.Code, c.OriginId, c.Parent?.Id, c.Name ?? "")).ToList();
        var types = lineItemTypes.Select(t => new CostTypeEntry(t.Id, t.Code ?? "", t.OriginId, t.Name ?? "")).ToList();
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

        var lines = rows
            .Where(r => r is { Id: not null, CostCodeId: not null, CategoryId: not null })
            .Select(r => new BudgetLineEntry(r.Id!.Value,
                r.WbsCodeId ?? budgetCodes.GetValueOrDefault((r.CostCodeId!.Value, r.CategoryId!.Value)),
                r.CostCodeId!.Value, r.CategoryId!.Value, r.OriginalBudgetAmount))
            .ToList();
        foreach (var line in lines)
        {
            budgetCodes.TryAdd((line.CostCodeId, line.CostTypeId), line.WbsCodeId);
        }

        return new ProcoreBudgetSnapshot(projectId, budgetViewId, codes, types, budgetCodes, lines);
    }

    /// <summary>A budget code's cost code and cost type: from its segment items, else from its flat code (<c>01-3100.L</c>).</summary>
    public static (string CostCode, string CostType)? BudgetCodeParts(ProcoreWbsCode wbs)
    {
        var items = wbs.SegmentItems ?? [];
        var costCode = items.FirstOrDefault(i => i.Segment?.Type == "cost_code");
        var costType = items.FirstOrDefault(i => i.Segment?.Type == "line_item_type");
        if (costCode?.PathCode is { } path && costType?.Code is { } type)
        {
            return (path, type);
        }

        var flat = wbs.FlatCode ?? "";
        var dot = flat.LastIndexOf('.');
        return dot > 0 ? (flat[..dot], flat[(dot + 1)..]) : null;
    }
}
