using ErpFunctions.Diagnostics;
using ErpFunctions.Domain.Jobs;
using ErpFunctions.Domain.Mapping;
using ErpFunctions.Domain.Planning;
using ErpFunctions.Domain.Runs;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Procore;

/// <summary>A project's budget in Procore, behind the port the re-import and the sweep use.</summary>
internal sealed class ProcoreProjectBudget(ProcoreBudgetReader reader, ProcoreBudgetWriter writer, IOptions<ProcoreOptions> options)
    : IProjectBudget
{
    public Task<IReadOnlyList<CostTypeEntry>> ReadCostTypesAsync(CallContext calls, long projectId, CancellationToken cancellationToken) =>
        reader.ReadCostTypesAsync(calls, projectId, cancellationToken);

    public Task<ProjectBudget> ReadAsync(CallContext calls, long projectId, long? knownViewId, Task<IReadOnlyList<CostTypeEntry>>? costTypes,
        CancellationToken cancellationToken) =>
        reader.ReadAsync(calls, projectId, knownViewId, costTypes, cancellationToken);

    public Task<WriteReport> ApplyAsync(CallContext calls, JobNumber job, BudgetPlan plan, ProjectBudget budget,
        Func<CancellationToken, Task> beforeEachWrite, CancellationToken cancellationToken) =>
        writer.WriteAsync(calls, job, plan, budget, beforeEachWrite, cancellationToken);

    public Task<BudgetState> ReadStateAsync(CallContext calls, long projectId, long? knownViewId, CancellationToken cancellationToken) =>
        reader.ReadStateAsync(calls, projectId, knownViewId, cancellationToken);

    public string BudgetPageUrl(long projectId) =>
        options.Value.BudgetPageUrlTemplate.Replace("{projectId}", projectId.ToString(), StringComparison.Ordinal);
}
