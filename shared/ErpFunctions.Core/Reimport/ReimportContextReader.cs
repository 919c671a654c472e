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
public sealed record ReimportContext(
    string Company,
    JobNumber Job,
    PrerequisiteFacts Facts,
    IReadOnlyList<PrerequisiteResult> Prerequisites,
    ProjectLink? Link,
    BudgetEntry? Entry,
    NormalizedEstimate Estimate,
    ProjectBudget? Budget)
{
    public bool Allowed => Prerequisites.AllowsReimport();

    public BudgetPlan? Plan(ReimportOptions options) =>
        Budget is null ? null : BudgetPlanner.Plan(Estimate, Budget, options.Mapping, options.Policy);

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
        var estimate = spectrum.ReadEstimateLinesAsync(job.Value, cancellationToken);
        var checks = await CheckAsync(job, operatorAccess, cancellationToken);

        ProjectBudget? budget = null;
        if (checks.Link is { } linked && (readBudgetWhenBlocked || checks.Prerequisites.AllowsReimport()))
        {
            budget = await budgets.ReadAsync(linked.ProjectId, checks.Entry?.BudgetViewId, cancellationToken);
        }

        return new ReimportContext(Company, job, checks.Facts, checks.Prerequisites, checks.Link, checks.Entry,
            NormalizedEstimate.From(job, (await estimate).Select(l => l.ToEstimateRow())), budget);
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
