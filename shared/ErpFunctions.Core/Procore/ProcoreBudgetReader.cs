using ErpFunctions.Domain.Mapping;
using ErpFunctions.Domain.Planning;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Procore;

/// <summary>
/// Reads a project's budget: the whole of it as one snapshot (cost codes, cost types, budget codes and lines, in
/// parallel), its lines alone, or its state (total and fingerprint); always from the same budget view.
/// </summary>
internal sealed class ProcoreBudgetReader(IProcoreCostStructure structure, IProcoreBudget budget, IOptions<ProcoreBudgetOptions> options)
{
    public async Task<IReadOnlyList<CostTypeEntry>> ReadCostTypesAsync(long projectId, CancellationToken cancellationToken) =>
        ProcoreBudgetSnapshots.CostTypes(await structure.ListLineItemTypesAsync(projectId, cancellationToken));

    public async Task<ProjectBudget> ReadAsync(long projectId, long? knownViewId, Task<IReadOnlyList<CostTypeEntry>>? costTypes,
        CancellationToken cancellationToken)
    {
        var codes = structure.ListCostCodesAsync(projectId, cancellationToken);
        var types = costTypes ?? ReadCostTypesAsync(projectId, cancellationToken);
        var budgetCodes = structure.ListWbsCodesAsync(projectId, cancellationToken);
        var viewId = knownViewId ?? await PickViewAsync(projectId, cancellationToken);
        var rows = budget.ListDetailRowsAsync(projectId, viewId, cancellationToken);
        await Task.WhenAll(codes, types, budgetCodes, rows);
        return ProcoreBudgetSnapshots.From(projectId, viewId, codes.Result, types.Result, budgetCodes.Result, rows.Result);
    }

    /// <summary>The project's budget lines as they are now, every one (a budget code Procore holds twice shows twice).</summary>
    public async Task<IReadOnlyList<ProcoreBudgetRow>> ReadLineRowsAsync(long projectId, long viewId, CancellationToken cancellationToken) =>
        [.. ProcoreBudgetSnapshots.BudgetLines(await budget.ListDetailRowsAsync(projectId, viewId, cancellationToken))];

    public async Task<BudgetState> ReadStateAsync(long projectId, long? knownViewId, CancellationToken cancellationToken)
    {
        var viewId = knownViewId ?? await PickViewAsync(projectId, cancellationToken);
        var lines = await ReadLineRowsAsync(projectId, viewId, cancellationToken);
        return new BudgetState(viewId, lines.Sum(r => r.OriginalBudgetAmount), ProcoreBudgetSnapshots.FingerprintOf(lines));
    }

    private async Task<long> PickViewAsync(long projectId, CancellationToken cancellationToken)
    {
        var views = await budget.ListBudgetViewsAsync(projectId, cancellationToken);
        var wanted = options.Value.BudgetViewName;
        var view = wanted is null ? views.FirstOrDefault() : views.FirstOrDefault(v => string.Equals(v.Name, wanted, StringComparison.OrdinalIgnoreCase));
        return view?.Id ?? throw new ProcoreBudgetViewMissingException(
            wanted is null ? $"Project {projectId} has no budget view." : $"Project {projectId} has no budget view named '{wanted}'.");
    }
}
