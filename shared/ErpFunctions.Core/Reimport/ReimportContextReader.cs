using ErpFunctions.Budgets;
using ErpFunctions.Diagnostics;
using ErpFunctions.Domain.Companies;
using ErpFunctions.Domain.Estimates;
using ErpFunctions.Domain.Jobs;
using ErpFunctions.Domain.Mapping;
using ErpFunctions.Domain.Planning;
using ErpFunctions.Domain.Prerequisites;
using ErpFunctions.Links;
using ErpFunctions.Procore;
using ErpFunctions.Spectrum;

namespace ErpFunctions.Reimport;

/// <summary>Everything a run or a preview decides from, read from both systems.</summary>
/// <param name="SpectrumNotes">What the operator should know about how Spectrum's rows were read.</param>
public sealed record ReimportContext(
    Company Company,
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

    /// <summary>How Spectrum's rows fell per cost type: kept with the job so that its next read is cut to fit.</summary>
    public EstimateShape SpectrumShape { get; init; } = EstimateShape.Empty;

    /// <summary>
    /// The job's snapshot as this read found it, over the one stored. Whether the one who asked may re-import is theirs
    /// alone: it is left out, and each viewer's own is laid over when the list is read. The totals are kept as one set
    /// with the time they were read: where Procore's budget was not read (a run a prerequisite blocked), the totals
    /// stored stay as they are, with their own time; a job with no Procore project has Spectrum's total alone.
    /// </summary>
    /// <param name="procoreTotal">Procore's total as read at <paramref name="asOf"/>, where it was read.</param>
    /// <param name="plan">The plan made from this read, where one was made.</param>
    public BudgetSnapshot SnapshotOver(BudgetSnapshot? stored, DateTimeOffset asOf, decimal? procoreTotal = null, BudgetPlan? plan = null)
    {
        var blocking = Prerequisites.Failing().FirstOrDefault(p => p.Code != PrerequisiteCode.PermissionDenied);
        var refreshed = (stored ?? new BudgetSnapshot()) with
        {
            RefreshedAt = asOf,
            RefreshProblem = null,
            Available = blocking is null,
            BlockedBy = blocking?.Code,
            BlockedReason = blocking?.Sentence,
        };
        return procoreTotal is null && Link is not null
            ? refreshed
            : refreshed with
            {
                SpectrumTotal = Estimate.Total,
                ProcoreTotal = procoreTotal,
                NewProcoreTotal = plan?.Totals.NewProcoreTotal,
                LeftOut = plan?.Totals.LeftOut,
                TotalsAsOf = asOf,
            };
    }

    /// <summary>How this read went: the shape of the job's Spectrum rows, and the budget view its Procore budget was read from.</summary>
    public JobRead Read => new(SpectrumShape == EstimateShape.Empty ? null : SpectrumShape.ToText(), Budget?.BudgetViewId);
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
    BudgetSnapshots snapshots,
    JobReads reads)
{
    /// <summary>Why a job that Spectrum does not have cannot be previewed or re-imported.</summary>
    public static string NoSuchJob(Company company, JobNumber job) => $"Spectrum company {company.Code} has no job {job}.";

    public async Task<ReimportContext> ReadAsync(CallContext calls, JobNumber job, AccessLevel? operatorAccess, bool readBudgetWhenBlocked,
        CancellationToken cancellationToken)
    {
        var resolution = await links.ResolveAsync(calls, job, cancellationToken);
        // The company's cost types are read once: they tell the Spectrum read how a job it has not read before is cut,
        // and they are part of the budget read.
        var costTypes = resolution.Link is { } link ? budgets.ReadCostTypesAsync(calls, link.ProjectId, cancellationToken) : null;
        var estimate = spectrum.ReadEstimateAsync(calls, job.Value,
            new EstimateHints(EstimateShape.Parse(resolution.Entry?.EstimateShape),
                costTypes is null ? null : SpectrumCostTypesAsync(calls.Company, costTypes)),
            cancellationToken);
        var checks = await CheckAsync(calls, job, operatorAccess, resolution, cancellationToken);

        ProjectBudget? budget = null;
        if (checks.Link is { } linked && (readBudgetWhenBlocked || checks.Prerequisites.AllowsReimport()))
        {
            budget = await budgets.ReadAsync(calls, linked.ProjectId, checks.Entry?.BudgetViewId, costTypes, cancellationToken);
        }

        var read = await estimate;
        return new ReimportContext(calls.Company, job, checks.Facts, checks.Prerequisites, checks.Link, checks.Entry,
            NormalizedEstimate.From(job, read.Lines.Select(l => l.ToEstimateRow())), read.Notes, budget) { SpectrumShape = read.Shape };
    }

    /// <summary>Records what a read found for the budgets list: the job's snapshot (see <see cref="ReimportContext.SnapshotOver"/>) and how it was read.</summary>
    public async Task RecordAsync(ReimportContext context, DateTimeOffset asOf, decimal? procoreTotal, BudgetPlan? plan,
        CancellationToken cancellationToken)
    {
        await Task.WhenAll(
            snapshots.ChangeAsync(context.Company.Code, context.Job.Value, stored => context.SnapshotOver(stored, asOf, procoreTotal, plan),
                cancellationToken),
            reads.SaveAsync(context.Company.Code, context.Job.Value, context.Read, cancellationToken));
    }

    /// <summary>
    /// The plan for what was read. When it would create cost codes, the project is asked whether Procore's own ERP
    /// integration owns them (<c>is_erp_integrated</c>); if so, it creates none.
    /// </summary>
    public async Task<BudgetPlan?> PlanAsync(CallContext calls, ReimportContext context, CancellationToken cancellationToken)
    {
        if (context.Budget is null)
        {
            return null;
        }

        var rules = context.Company.Rules;
        var plan = BudgetPlanner.Plan(context.Estimate, context.Budget, rules.Mapping, rules.Policy);
        if (plan.NewCostCodes.Count == 0
            || await projects.FindProjectAsync(calls, context.Budget.ProjectId, cancellationToken) is not { IsErpIntegrated: true })
        {
            return plan;
        }

        return BudgetPlanner.Plan(context.Estimate, context.Budget, rules.Mapping, rules.Policy with { ErpOwnsCostCodes = true });
    }

    /// <summary>The prerequisites alone: what an operator's request is checked against before it is queued.</summary>
    public async Task<PrerequisiteCheck> CheckAsync(CallContext calls, JobNumber job, AccessLevel? operatorAccess, CancellationToken cancellationToken)
    {
        var udfs = spectrum.FindJobUdfsAsync(calls, job.Value, cancellationToken);
        return await CheckAsync(calls, job, operatorAccess, await links.ResolveAsync(calls, job, cancellationToken), udfs, cancellationToken);
    }

    private Task<PrerequisiteCheck> CheckAsync(CallContext calls, JobNumber job, AccessLevel? operatorAccess, LinkResolution resolution,
        CancellationToken cancellationToken) =>
        CheckAsync(calls, job, operatorAccess, resolution, spectrum.FindJobUdfsAsync(calls, job.Value, cancellationToken), cancellationToken);

    private async Task<PrerequisiteCheck> CheckAsync(CallContext calls, JobNumber job, AccessLevel? operatorAccess, LinkResolution resolution,
        Task<SpectrumJobUdfs?> udfs, CancellationToken cancellationToken)
    {
        Task<bool>? toolActive = null, locked = null;
        if (resolution.Link is { } link)
        {
            toolActive = projects.IsBudgetToolActiveAsync(calls, link.ProjectId, cancellationToken);
            locked = projects.IsBudgetLockedAsync(calls, link.ProjectId, cancellationToken);
        }

        var found = await udfs;
        var facts = new PrerequisiteFacts(job, operatorAccess, found is not null, resolution.Link, resolution.Problem,
            toolActive is null ? null : await toolActive, locked is null ? null : await locked, found?.ToJobUdfs());
        var rules = calls.Company.Rules;
        var prerequisites = PrerequisiteEvaluator.Evaluate(facts, rules.BudgetLockedCheck, rules.EstimatesPostedCheck);
        return new PrerequisiteCheck(facts, prerequisites, resolution.Link, resolution.Entry);
    }

    /// <summary>The names Spectrum may give the company's cost types: Procore's codes and origin ids, and the table's keys for them.</summary>
    private static async Task<IReadOnlyCollection<string>> SpectrumCostTypesAsync(Company company, Task<IReadOnlyList<CostTypeEntry>> costTypes)
    {
        var table = company.Rules.Mapping.CostTypeTable;
        return [.. (await costTypes).SelectMany(t => new[] { t.Code, t.OriginId ?? "" }
                .Concat(table.Where(entry => string.Equals(entry.Value, t.Code, StringComparison.OrdinalIgnoreCase)).Select(entry => entry.Key)))
            .Where(name => name.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)];
    }
}
