using ErpFunctions.Diagnostics;
using ErpFunctions.Domain.Jobs;
using ErpFunctions.Domain.Mapping;
using ErpFunctions.Domain.Planning;
using ErpFunctions.Domain.Runs;

namespace ErpFunctions.Procore;

/// <summary>A project's budget as a budget view shows it now: its total, and every line's amount in one fingerprint.</summary>
public sealed record BudgetState(long BudgetViewId, decimal Total, string Fingerprint);

/// <summary>
/// A Procore project's budget in the shape the planner needs: what it holds, writing a plan into it, and its total.
/// Procore's wire shapes (segments, WBS codes, sync answers and their error texts) stay behind this interface.
/// </summary>
public interface IProjectBudget
{
    /// <summary>The company's cost types as the project sees them: one call, which <see cref="ReadAsync"/> can reuse.</summary>
    Task<IReadOnlyList<CostTypeEntry>> ReadCostTypesAsync(CallContext calls, long projectId, CancellationToken cancellationToken);

    /// <summary>
    /// Cost codes, cost types, budget codes and budget lines, read in parallel from the budget view named by
    /// the company's rules (the project's first view when they name none), or from <paramref name="knownViewId"/>.
    /// <paramref name="costTypes"/>, when already being read, is used rather than read again.
    /// </summary>
    Task<ProjectBudget> ReadAsync(CallContext calls, long projectId, long? knownViewId, Task<IReadOnlyList<CostTypeEntry>>? costTypes,
        CancellationToken cancellationToken);

    /// <summary>
    /// Writes the plan's creates and updates (creating the cost codes, cost types and budget codes they need), then
    /// reads the budget back: each line's outcome is what Procore holds, not what it answered.
    /// </summary>
    /// <param name="beforeEachWrite">Called before every write call and before the read-back; it throws to stop the write there.</param>
    Task<WriteReport> ApplyAsync(CallContext calls, JobNumber job, BudgetPlan plan, ProjectBudget budget,
        Func<CancellationToken, Task> beforeEachWrite, CancellationToken cancellationToken);

    /// <summary>The project's total and lines' fingerprint, from the same budget view as <see cref="ReadAsync"/> (one call once the view is known).</summary>
    Task<BudgetState> ReadStateAsync(CallContext calls, long projectId, long? knownViewId, CancellationToken cancellationToken);

    /// <summary>Where an operator sees the project's budget in Procore.</summary>
    string BudgetPageUrl(long projectId);
}
