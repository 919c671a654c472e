namespace ErpFunctions.Simulators.Procore;

/// <summary>
/// Lookups over the state, built once per request (under the state's lock) so that rendering or syncing thousands
/// of lines stays linear.
/// </summary>
public sealed class ProcoreIndex
{
    public ProcoreIndex(ProcoreState state)
    {
        State = state;
        CostCodes = state.CostCodes.ToDictionary(c => c.Id);
        Types = state.LineItemTypes.ToDictionary(t => t.Id);
        Wbs = state.WbsCodes.ToDictionary(w => w.Id);
        Projects = state.Projects.ToDictionary(p => p.Id);
        LineByWbs = state.BudgetLines.GroupBy(l => l.WbsCodeId).ToDictionary(g => g.Key, g => g.First());
        Parents = state.CostCodes.Where(c => c.ParentId is not null).Select(c => c.ParentId!.Value).ToHashSet();
        Lines = state.BudgetLines.ToDictionary(l => l.Id);
        BudgetedCostCodes = LineByWbs.Keys.Select(w => Wbs[w].CostCodeId).ToHashSet();
    }

    public ProcoreState State { get; }
    public Dictionary<long, SimCostCode> CostCodes { get; }
    public Dictionary<long, SimLineItemType> Types { get; }
    public Dictionary<long, SimWbsCode> Wbs { get; }
    public Dictionary<long, SimProject> Projects { get; }

    /// <summary>The line of each budget code (Procore keeps one per code); kept current by the sync as it writes.</summary>
    public Dictionary<long, SimBudgetLine> LineByWbs { get; }

    public HashSet<long> Parents { get; }

    public Dictionary<long, SimBudgetLine> Lines { get; }

    /// <summary>Cost codes with at least one budget line, as the index was built.</summary>
    public HashSet<long> BudgetedCostCodes { get; }

    public string FullCode(SimCostCode code) =>
        code.ParentId is { } parentId && CostCodes.TryGetValue(parentId, out var parent) ? FullCode(parent) + "-" + code.Code : code.Code;

    public string FlatCode(SimWbsCode wbs) => FullCode(CostCodes[wbs.CostCodeId]) + "." + Types[wbs.LineItemTypeId].Code;

    public SimCostCode Root(SimCostCode code)
    {
        var node = code;
        while (node.ParentId is { } parentId && CostCodes.TryGetValue(parentId, out var parent))
        {
            node = parent;
        }

        return node;
    }

    public IReadOnlyList<SimCostCode> Path(SimCostCode code)
    {
        var path = new List<SimCostCode>();
        for (SimCostCode? node = code; node is not null; node = node.ParentId is { } p ? CostCodes.GetValueOrDefault(p) : null)
        {
            path.Insert(0, node);
        }

        return path;
    }
}
