using ErpFunctions.Domain.Jobs;
using ErpFunctions.Runs;
using ErpFunctions.Spectrum;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Overview;

/// <summary>A job's re-imports, newest first, each as its run record (its lines are paged from the run).</summary>
public sealed class JobHistory(RunStore runs, IOptions<SpectrumOptions> spectrum)
{
    public const int MaxRuns = 50;

    public async Task<IReadOnlyList<RunRecord>> ListAsync(JobNumber job, CancellationToken cancellationToken)
    {
        var summaries = await runs.ListForJobAsync(spectrum.Value.CompanyCode, job.Value, MaxRuns, cancellationToken);
        var records = await Task.WhenAll(summaries.Select(s => runs.FindAsync(s.RunId, cancellationToken)));
        return [.. records.OfType<RunRecord>()];
    }
}
