using ErpFunctions.Budgets;
using ErpFunctions.Domain.Estimates;
using ErpFunctions.Domain.Jobs;
using ErpFunctions.Domain.Planning;
using ErpFunctions.Domain.Prerequisites;
using ErpFunctions.Links;
using ErpFunctions.Procore;
using ErpFunctions.Spectrum;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Reimport;

/// <summary>Everything a run or a preview decides from, read from both systems.</summary>
/// <param name="SpectrumNotes">What the operator should know about how Spectrum's rows were read.</param>
public sealed record ReimportContext(
    string Company,
    JobNumber Job,
    PrerequisiteFacts Facts,
    IReadOnlyList<PrerequisiteResult> Prerequisites,
    ProjectLink? Link,
    BudgetEntry? Entry,
    NormalizedEstimate Estimate,
    IReadOnlyList<string> SpectrumNotes,
    ProjectBudget? Budget)
{
    public bool Allowed => Prerequisites.AllowsReimport();

    /// <summary>The job's totals and availability as this read found them, for the budgets list.</summary>
    public BudgetEntry Snapshot(decimal? procoreTotal, decimal? newProcoreTotal, DateTimeOffset asOf)
    {
        var blocking = Prerequisites.Failing().FirstOrDefault();
        return new BudgetEntry(Company, Job.Value)
        {
            BudgetViewId = Budget?.BudgetViewId,
            SpectrumTotal = Estimate.Total,
            ProcoreTotal = procoreTotal,
            NewProcoreTotal = newProcoreTotal,
            TotalsAsOf = asOf,
            Available = blocking is null,
            BlockedBy = blocking?.Code,
            BlockedReason = blocking?.Sentence,
        };
    }
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
    IProjectBudget budgets,
    JobLinks links,
    IOptions<ReimportOptions> options,
    IOptions<SpectrumOptions> spectrumOptions)
{
    public string Company => spectrumOptions.Value.CompanyCode;

    /// <summary>Why a job that Spectrum does not have cannot be previewed or re-imported.</summary>
    public string NoSuchJob(JobNumber job) => $"Spectrum company {Company} has no job {job}.";

    public async Task<ReimportContext> ReadAsync(JobNumber job, AccessLevel? operatorAccess, bool readBudgetWhenBlocked,
        CancellationToken cancellationToken)
    {
        var estimate = spectrum.ReadEstimateAsync(job.Value, cancellationToken);
        var checks = await CheckAsync(job, operatorAccess, cancellationToken);

        ProjectBudget? budget = null;
        if (checks.Link is { } linked && (readBudgetWhenBlocked || checks.Prerequisites.AllowsReimport()))
        {
            budget = await budgets.ReadAsync(linked.ProjectId, checks.Entry?.BudgetViewId, cancellationToken);
        }

        var read = await estimate;
        return new ReimportContext(Company, job, checks.Facts, checks.Prerequisites, checks.Link, checks.Entry,
            NormalizedEstimate.From(job, read.Lines.Select(l => l.ToEstimateRow())), read.Notes, budget);
    }

    /// <summary>
    /// The plan for what was read. When it would create cost codes, the project is asked whether Procore's own ERP
    /// integration owns them (<c>is_erp_integrated</c>); if so, it creates none.
    /// </summary>
    public async Task<BudgetPlan?> PlanAsync(ReimportContext context, CancellationToken cancellationToken)
    {
        if (context.Budget is null)
        {
            return null;
        }

        var settings = options.Value;
        var plan = BudgetPlanner.Plan(context.Estimate, context.Budget, settings.Mapping, settings.Policy);
        if (plan.NewCostCodes.Count == 0 || await projects.FindProjectAsync(context.Budget.ProjectId, cancellationToken) is not { IsErpIntegrated: true })
        {
            return plan;
        }

        return BudgetPlanner.Plan(context.Estimate, context.Budget, settings.Mapping, settings.Policy with { ErpOwnsCostCodes = true });
    }

    /// <summary>The prerequisites alone: what an operator's request is checked against before it is queued.</summary>
    public async Task<PrerequisiteCheck> CheckAsync(JobNumber job, AccessLevel? operatorAccess, CancellationToken cancellationToken)
    {
        var udfs = spectrum.FindJobUdfsAsync(job.Value, cancellationToken);
        var resolution = await links.ResolveAsync(job, cancellationToken);

        Task<bool>? toolActive = null, locked = null;
        if (resolution.Link is { } link)
        {
            toolActive = projects.IsBudgetToolActiveAsync(link.ProjectId, cancellationToken);
            locked = projects.IsBudgetLockedAsync(link.ProjectId, cancellationToken);
        }

        var found = await udfs;
        var facts = new PrerequisiteFacts(job, operatorAccess, found is not null, resolution.Link, resolution.Problem,
            toolActive is null ? null : await toolActive, locked is null ? null : await locked, found?.ToJobUdfs());
        var prerequisites = PrerequisiteEvaluator.Evaluate(facts, options.Value.BudgetLockedCheck, options.Value.EstimatesPostedCheck);
        return new PrerequisiteCheck(facts, prerequisites, resolution.Link, resolution.Entry);
    }
}
