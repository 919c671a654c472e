using ErpFunctions.Budgets;
using ErpFunctions.Prerequisites;
using ErpFunctions.Procore;
using ErpFunctions.Spectrum;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Reimport;

/// <summary>Everything a run or a preview decides from, read from both systems.</summary>
public sealed record ReimportContext(
    string Company,
    string Job,
    PrerequisiteFacts Facts,
    IReadOnlyList<PrerequisiteResult> Prerequisites,
    ProjectLink? Link,
    BudgetEntry? Entry,
    NormalizedEstimate Estimate,
    ProcoreBudgetSnapshot? Procore)
{
    public bool Allowed => Prerequisites.AllowsReimport();

    public BudgetPlan? Plan(ReimportOptions options) =>
        Procore is null ? null : BudgetPlanner.Plan(Estimate, Procore, options.Mapping, options.Policy);
}

public sealed record PrerequisiteCheck(
    PrerequisiteFacts Facts, IReadOnlyList<PrerequisiteResult> Prerequisites, ProjectLink? Link, BudgetEntry? Entry);

/// <summary>
/// Reads the prerequisites' facts, the Spectrum estimate and the Procore budget, overlapping the calls to the two
/// systems. A run skips the budget read when a prerequisite already fails; a preview reads it to show the totals.
/// </summary>
public sealed class ReimportContextReader(
    ISpectrumJobReader spectrum,
    IProcoreProjects projects,
    ProjectLinks links,
    BudgetReader budgets,
    IOptions<ReimportOptions> options,
    IOptions<ProcoreOptions> procoreOptions,
    IOptions<SpectrumOptions> spectrumOptions)
{
    public string Company => spectrumOptions.Value.CompanyCode;

    public async Task<ReimportContext> ReadAsync(string job, ProcoreAccessLevel? operatorAccess, bool readBudgetWhenBlocked,
        CancellationToken cancellationToken)
    {
        var estimate = spectrum.ReadEstimateLinesAsync(job, cancellationToken);
        var checks = await CheckAsync(job, operatorAccess, cancellationToken);

        ProcoreBudgetSnapshot? snapshot = null;
        if (checks.Link is { } linked && (readBudgetWhenBlocked || checks.Prerequisites.AllowsReimport()))
        {
            snapshot = await budgets.ReadAsync(linked.ProjectId, checks.Entry?.BudgetViewId, cancellationToken);
        }

        return new ReimportContext(Company, job, checks.Facts, checks.Prerequisites, checks.Link, checks.Entry,
            NormalizedEstimate.From(job, await estimate), snapshot);
    }

    /// <summary>The prerequisites alone: what an operator's request is checked against before it is queued.</summary>
    public async Task<PrerequisiteCheck> CheckAsync(string job, ProcoreAccessLevel? operatorAccess, CancellationToken cancellationToken)
    {
        var udfs = spectrum.FindJobUdfsAsync(job, cancellationToken);
        var resolution = await links.ResolveAsync(Company, job, cancellationToken);

        Task<bool>? toolActive = null, locked = null;
        if (resolution.Link is { } link)
        {
            toolActive = BudgetToolActiveAsync(link.ProjectId, cancellationToken);
            locked = projects.IsBudgetLockedAsync(link.ProjectId, cancellationToken);
        }

        var facts = new PrerequisiteFacts(job, operatorAccess, await udfs is not null, resolution.Link, resolution.Problem,
            toolActive is null ? null : await toolActive, locked is null ? null : await locked, await udfs);
        var prerequisites = PrerequisiteEvaluator.Evaluate(facts, options.Value.BudgetLockedCheck, options.Value.EstimatesPostedCheck);
        return new PrerequisiteCheck(facts, prerequisites, resolution.Link, resolution.Entry);
    }

    private async Task<bool> BudgetToolActiveAsync(long projectId, CancellationToken cancellationToken)
    {
        var wanted = procoreOptions.Value.BudgetToolName;
        return (await projects.ListActiveToolsAsync(projectId, cancellationToken)).Any(t => t.IsActive
            && (string.Equals(t.EngineName, wanted, StringComparison.OrdinalIgnoreCase) || string.Equals(t.Title, wanted, StringComparison.OrdinalIgnoreCase)));
    }
}
