using ErpFunctions.Budgets;
using ErpFunctions.Diagnostics;
using ErpFunctions.Domain.Companies;
using ErpFunctions.Domain.Jobs;
using ErpFunctions.Links;
using ErpFunctions.Reimport;
using ErpFunctions.Runs;

namespace ErpFunctions.Overview;

/// <summary>A job's re-imports, newest first, each as its run record (its lines are paged from the run).</summary>
public sealed class JobHistory(RunStore runs, BudgetEntries entries, JobCatalog catalog)
{
    public const int MaxRuns = 50;

    /// <summary>The job's runs; a job with none that the company's job list does not hold either is no job at all.</summary>
    public async Task<JobResult<IReadOnlyList<RunRecord>>> ListAsync(Company company, JobNumber job, CancellationToken cancellationToken)
    {
        var summaries = await runs.ListForJobAsync(company.Code, job.Value, MaxRuns, cancellationToken);
        if (summaries.Count == 0)
        {
            await catalog.EnsureFreshAsync(CallContext.For(company), cancellationToken);
            if (await entries.FindAsync(company.Code, job.Value, cancellationToken) is null)
            {
                return new JobResult<IReadOnlyList<RunRecord>>.UnknownJob(ReimportContextReader.NoSuchJob(company, job));
            }
        }

        var records = await Task.WhenAll(summaries.Select(s => runs.FindAsync(s.RunId, cancellationToken)));
        return new JobResult<IReadOnlyList<RunRecord>>.Found([.. records.OfType<RunRecord>()]);
    }
}
