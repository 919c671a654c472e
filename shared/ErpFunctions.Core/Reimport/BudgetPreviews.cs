using ErpFunctions.Budgets;
using ErpFunctions.Diagnostics;
using ErpFunctions.Domain.Jobs;
using ErpFunctions.Domain.Planning;
using ErpFunctions.Domain.Prerequisites;
using ErpFunctions.Procore;

namespace ErpFunctions.Reimport;

/// <summary>A preview: the same pipeline as a run, stopped after the plan; no lease, no write to Procore.</summary>
/// <param name="Notes">What the operator should know about how Spectrum's rows were read.</param>
public sealed record PreviewResult(
    JobNumber Job,
    ProjectLink? Link,
    IReadOnlyList<PrerequisiteResult> Prerequisites,
    BudgetPlan? Plan,
    IReadOnlyList<string> Notes,
    string? BudgetUrl,
    DateTimeOffset AsOf)
{
    public bool Available => Prerequisites.AllowsReimport();
}

/// <summary>An answer about one job: found, or Spectrum does not have the job.</summary>
public abstract record JobResult<T>
{
    public sealed record Found(T Value) : JobResult<T>;

    public sealed record UnknownJob(string Reason) : JobResult<T>;
}

/// <summary>
/// Dry runs of a job's re-import for an operator: the line-level plan and the three totals, read fresh from both
/// systems. Each also records the job's totals and availability for the budgets list (a refresh is a preview that
/// answers with that entry).
/// </summary>
public sealed class BudgetPreviews(
    ReimportContextReader reader,
    BudgetEntries entries,
    IProjectBudget budget,
    TimeProvider time)
{
    public async Task<JobResult<PreviewResult>> PreviewAsync(CallContext calls, JobNumber job, AccessLevel? operatorAccess,
        CancellationToken cancellationToken)
    {
        var context = await reader.ReadAsync(calls, job, operatorAccess, readBudgetWhenBlocked: true, cancellationToken);
        if (!context.Facts.SpectrumJobFound)
        {
            return new JobResult<PreviewResult>.UnknownJob(ReimportContextReader.NoSuchJob(calls.Company, job));
        }

        var plan = await reader.PlanAsync(calls, context, cancellationToken);
        var asOf = time.GetUtcNow();
        await reader.RecordAsync(context, asOf, context.Budget?.Total, plan, cancellationToken);
        return new JobResult<PreviewResult>.Found(new PreviewResult(job, context.Link, context.Prerequisites, plan, context.SpectrumNotes,
            context.Link is { } link ? budget.BudgetPageUrl(link.ProjectId) : null, asOf));
    }

    /// <summary>A preview that answers with the job's entry as the budgets list now shows it.</summary>
    public async Task<JobResult<ListedBudget>> RefreshAsync(CallContext calls, JobNumber job, AccessLevel? operatorAccess,
        CancellationToken cancellationToken)
    {
        if (await PreviewAsync(calls, job, operatorAccess, cancellationToken) is not JobResult<PreviewResult>.Found previewed)
        {
            return new JobResult<ListedBudget>.UnknownJob(ReimportContextReader.NoSuchJob(calls.Company, job));
        }

        var entry = await entries.FindAsync(calls.Company.Code, job.Value, cancellationToken);
        return new JobResult<ListedBudget>.Found(ListedBudget.For(entry!, previewed.Value.BudgetUrl, operatorAccess));
    }
}
