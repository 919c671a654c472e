using ErpFunctions.Budgets;
using ErpFunctions.Domain.Jobs;
using ErpFunctions.Links;
using ErpFunctions.Reimport;
using ErpFunctions.Runs;
using ErpFunctions.Spectrum;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Overview;

/// <summary>A job's re-imports, newest first, each as its run record (its lines are paged from the run).</summary>
public sealed class JobHistory(RunStore runs, BudgetEntries entries, JobCatalog catalog, IOptions<SpectrumOptions> spectrum)
{
    public const int MaxRuns = 50;

    private string Company => spectrum.Value.CompanyCode;

    /// <summary>The job's runs; a job with none that the company's job list does not hold either is no job at all.</summary>
    public async Task<JobResult<IReadOnlyList<RunRecord>>> ListAsync(JobNumber job, CancellationToken cancellationToken)
    {
        var summaries = await runs.ListForJobAsync(Company, job.Value, MaxRuns, cancellationToken);
        if (summaries.Count == 0)
        {
            await catalog.EnsureFreshAsync(cancellationToken);
            if (await entries.FindAsync(Company, job.Value, cancellationToken) is null)
            {
                return new JobResult<IReadOnlyList<RunRecord>>.UnknownJob($"Spectrum company {Company} has no job {job}.");
            }
        }

        var records = await Task.WhenAll(summaries.Select(s => runs.FindAsync(s.RunId, cancellationToken)));
        return new JobResult<IReadOnlyList<RunRecord>>.Found([.. records.OfType<RunRecord>()]);
    }
}
