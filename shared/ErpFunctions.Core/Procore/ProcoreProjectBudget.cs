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
    public Task<IReadOnlyList<CostTypeEntry>> ReadCostTypesAsync(long projectId, CancellationToken cancellationToken) =>
        reader.ReadCostTypesAsync(projectId, cancellationToken);

    public Task<ProjectBudget> ReadAsync(long projectId, long? knownViewId, Task<IReadOnlyList<CostTypeEntry>>? costTypes,
        CancellationToken cancellationToken) =>
        reader.ReadAsync(projectId, knownViewId, costTypes, cancellationToken);

    public Task<WriteReport> ApplyAsync(JobNumber job, BudgetPlan plan, ProjectBudget budget, PhaseMask mask,
        Func<CancellationToken, Task> beforeEachWrite, CancellationToken cancellationToken) =>
        writer.WriteAsync(job, plan, budget, mask, beforeEachWrite, cancellationToken);

    public Task<BudgetState> ReadStateAsync(long projectId, long? knownViewId, CancellationToken cancellationToken) =>
        reader.ReadStateAsync(projectId, knownViewId, cancellationToken);

    public string BudgetPageUrl(long projectId) =>
        options.Value.BudgetPageUrlTemplate.Replace("{projectId}", projectId.ToString(), StringComparison.Ordinal);
}
