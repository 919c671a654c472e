using ErpFunctions.Diagnostics;
using ErpFunctions.Domain.Mapping;
using ErpFunctions.Domain.Planning;

namespace ErpFunctions.Procore;

/// <summary>
/// Reads a project's budget: the whole of it as one snapshot (cost codes, cost types, budget codes and lines, in
/// parallel), its lines alone, or its state (total and fingerprint); always from the same budget view.
/// </summary>
internal sealed class ProcoreBudgetReader(IProcoreCostStructure structure, IProcoreBudget budget)
{
    public async Task<IReadOnlyList<CostTypeEntry>> ReadCostTypesAsync(CallContext calls, long projectId, CancellationToken cancellationToken) =>
        ProcoreBudgetSnapshots.CostTypes(await structure.ListLineItemTypesAsync(calls, projectId, cancellationToken));

    public async Task<ProjectBudget> ReadAsync(CallContext calls, long projectId, long? knownViewId, Task<IReadOnlyList<CostTypeEntry>>? costTypes,
        CancellationToken cancellationToken)
    {
        var codes = structure.ListCostCodesAsync(calls, projectId, cancellationToken);
        var types = costTypes ?? ReadCostTypesAsync(calls, projectId, cancellationToken);
        var budgetCodes = structure.ListWbsCodesAsync(calls, projectId, cancellationToken);
        var viewId = knownViewId ?? await PickViewAsync(calls, projectId, cancellationToken);
        var rows = budget.ListDetailRowsAsync(calls, projectId, viewId, cancellationToken);
        await Task.WhenAll(codes, types, budgetCodes, rows);
        return ProcoreBudgetSnapshots.From(projectId, viewId, codes.Result, types.Result, budgetCodes.Result, rows.Result);
    }

    /// <summary>The project's budget lines as they are now, every one (a budget code Procore holds twice shows twice).</summary>
    public async Task<IReadOnlyList<ProcoreBudgetRow>> ReadLineRowsAsync(CallContext calls, long projectId, long viewId, CancellationToken cancellationToken) =>
        [.. ProcoreBudgetSnapshots.BudgetLines(await budget.ListDetailRowsAsync(calls, projectId, viewId, cancellationToken))];

    public async Task<BudgetState> ReadStateAsync(CallContext calls, long projectId, long? knownViewId, CancellationToken cancellationToken)
    {
        var viewId = knownViewId ?? await PickViewAsync(calls, projectId, cancellationToken);
        var lines = await ReadLineRowsAsync(calls, projectId, viewId, cancellationToken);
        return new BudgetState(viewId, lines.Sum(r => r.OriginalBudgetAmount), ProcoreBudgetSnapshots.FingerprintOf(lines));
    }

    private async Task<long> PickViewAsync(CallContext calls, long projectId, CancellationToken cancellationToken)
    {
        var views = await budget.ListBudgetViewsAsync(calls, projectId, cancellationToken);
        var wanted = calls.Company.Rules.BudgetViewName;
        var view = wanted is null ? views.FirstOrDefault() : views.FirstOrDefault(v => string.Equals(v.Name, wanted, StringComparison.OrdinalIgnoreCase));
        return view?.Id ?? throw new ProcoreBudgetViewMissingException(
            wanted is null ? $"Project {projectId} has no budget view." : $"Project {projectId} has no budget view named '{wanted}'.");
    }
}
