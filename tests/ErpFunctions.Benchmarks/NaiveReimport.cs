using ErpFunctions.Companies;
using ErpFunctions.Diagnostics;
using ErpFunctions.Procore;
using ErpFunctions.Domain.Mapping;
using ErpFunctions.Spectrum;

namespace ErpFunctions.Benchmarks;

/// <summary>
/// The baseline a simple integration would be: read what it needs, then write every line with an estimate, one call
/// per line (update by id, or create by cost code and cost type), without comparing amounts first.
/// </summary>
public sealed class NaiveReimport(
    ICompanies companies,
    ISpectrumJobReader spectrum,
    IProcoreProjects projects,
    IProcoreCostStructure structure,
    IProcoreBudget budget,
    ProcoreConnection connection)
{
    public async Task RunAsync(string job, PhaseMask mask, CancellationToken cancellationToken)
    {
        var calls = CallContext.For(companies.Default);
        var lines = (await spectrum.ReadEstimateAsync(calls, job, EstimateHints.None, cancellationToken)).Lines;
        var project = (await projects.FindProjectsByOriginIdAsync(calls, job, cancellationToken)).Single();
        var codes = (await structure.ListCostCodesAsync(calls, project.Id, cancellationToken)).ToDictionary(c => c.FullCode ?? c.Code, c => c.Id);
        var types = (await structure.ListLineItemTypesAsync(calls, project.Id, cancellationToken)).ToDictionary(t => t.Code ?? "", t => t.Id);
        var view = (await budget.ListBudgetViewsAsync(calls, project.Id, cancellationToken))[0];
        var existing = (await budget.ListDetailRowsAsync(calls, project.Id, view.Id, cancellationToken))
            .ToDictionary(r => (r.CostCodeId!.Value, r.CategoryId!.Value), r => r.Id!.Value);

        foreach (var line in lines.Where(l => l.CurrentEstimate > 0))
        {
            var costCode = codes[mask.Format(line.PhaseCode)!];
            var costType = types[line.CostType];
            if (existing.TryGetValue((costCode, costType), out var lineId))
            {
                await connection.SendAsync(new ProcoreCall(calls, HttpMethod.Patch, $"/rest/v1.0/budget_line_items/{lineId}", new
                {
                    ProjectId = project.Id,
                    BudgetLineItem = new { OriginalBudgetAmount = line.CurrentEstimate },
                }), cancellationToken);
            }
            else
            {
                await connection.SendAsync(new ProcoreCall(calls, HttpMethod.Post, "/rest/v1.0/budget_line_items", new
                {
                    ProjectId = project.Id,
                    BudgetLineItem = new { CostCodeId = costCode, LineItemTypeId = costType, OriginalBudgetAmount = line.CurrentEstimate },
                }, Repeatable: false), cancellationToken);
            }
        }
    }
}
