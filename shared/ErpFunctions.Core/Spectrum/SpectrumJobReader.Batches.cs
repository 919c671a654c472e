using ErpFunctions.Diagnostics;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ErpFunctions.Spectrum;

/// <summary>
/// Many jobs read together: <c>pJob_Number</c> takes a SuperSelect list, so jobs are packed into lists whose expected
/// rows (from each job's last shape) fill one answer, every list asked for at once. Answers are sorted by job
/// (<c>pSort_By</c> blank), so one cut short still holds every row of each job before its last; only jobs seen before
/// another job are taken from it, and the rest are packed again. A job that alone fills an answer is read as
/// <see cref="ReadEstimateAsync"/> reads it.
/// </summary>
public sealed partial class SpectrumJobReader
{
    /// <summary>The length Data Exchange declares for <c>pJob_Number</c>.</summary>
    private const int JobNumberDeclaredLength = 10;

    /// <summary>Open rows expected of a job with no shape yet; a wrong guess costs a call, never a row.</summary>
    private const int UnknownOpenRows = 100;

    public async Task<IReadOnlyList<JobEstimate>> ReadEstimatesAsync(CallContext calls, IReadOnlyList<JobToRead> jobs, CancellationToken cancellationToken)
    {
        var unique = jobs.Select(j => j with { Job = j.Job.Trim() }).DistinctBy(j => j.Job, StringComparer.OrdinalIgnoreCase).ToList();
        var byStatus = await Task.WhenAll(StatusCalls.Select(status => ReadJobsAsync(calls, unique, status, cancellationToken)));
        return [.. unique.Select(job =>
        {
            var (open, completed) = (byStatus[0][job.Job], byStatus[1][job.Job]);
            var failure = open.Failure ?? completed.Failure;
            return failure is null ? new JobEstimate(job.Job, Merge(open.Estimate!, completed.Estimate!), null) : new JobEstimate(job.Job, null, failure);
        })];
    }

    /// <summary>Every job's rows of one status: lists while long filters are allowed, else job by job.</summary>
    private async Task<ConcurrentDictionary<string, JobEstimate>> ReadJobsAsync(CallContext calls, IReadOnlyList<JobToRead> jobs, string status,
        CancellationToken cancellationToken)
    {
        var read = new ConcurrentDictionary<string, JobEstimate>(StringComparer.OrdinalIgnoreCase);
        var shapes = jobs.ToDictionary(j => j.Job, j => j.Shape, StringComparer.OrdinalIgnoreCase);
        var expected = new ConcurrentDictionary<string, int>(jobs.ToDictionary(j => j.Job,
            j => j.Shape is { } shape ? shape.Of(status).Values.Sum() : status.Length == 0 ? UnknownOpenRows : 0), StringComparer.OrdinalIgnoreCase);

        IReadOnlyList<string> pending = [.. jobs.Select(j => j.Job)];
        while (pending.Count > 0)
        {
            var lists = filterLengths.LongFiltersAllowed ? Packed(pending, expected) : [.. pending.Select(job => (IReadOnlyList<string>)[job])];
            var left = await Task.WhenAll(lists.Select(list => list.Count == 1
                ? ReadOneJobAsync(calls, list[0], status, shapes[list[0]], read, cancellationToken)
                : ReadJobListAsync(calls, list, status, shapes, expected, read, cancellationToken)));
            pending = [.. left.SelectMany(jobsLeft => jobsLeft)];
        }

        return read;
    }

    /// <summary>
    /// Lists of jobs whose expected rows fit one answer and whose text fits <c>MaxFilterLength</c>, packed first-fit
    /// from the largest job down (a list need not be a range, so any jobs may share one); a job expected to fill an
    /// answer alone is a list of its own.
    /// </summary>
    private List<IReadOnlyList<string>> Packed(IEnumerable<string> jobs, IReadOnlyDictionary<string, int> expected)
    {
        var maxLength = options.Value.MaxFilterLength;
        var lists = new List<(List<string> Jobs, int Rows, int Length)>();
        foreach (var job in jobs.OrderByDescending(j => expected[j]).ThenBy(j => j, StringComparer.Ordinal))
        {
            var rows = expected[job];
            var fit = rows > CostTypeSlice.RowCap ? -1 : lists.FindIndex(l => l.Rows + rows <= CostTypeSlice.RowCap && l.Length + 1 + job.Length <= maxLength);
            if (fit < 0)
            {
                lists.Add(([job], Math.Min(rows, CostTypeSlice.RowCap + 1), job.Length));
                continue;
            }

            var list = lists[fit];
            list.Jobs.Add(job);
            lists[fit] = (list.Jobs, list.Rows + rows, list.Length + 1 + job.Length);
        }

        return [.. lists.Select(l => (IReadOnlyList<string>)l.Jobs)];
    }

    private async Task<IReadOnlyList<string>> ReadOneJobAsync(CallContext calls, string job, string status, EstimateShape? shape,
        ConcurrentDictionary<string, JobEstimate> read, CancellationToken cancellationToken)
    {
        try
        {
            read[job] = new JobEstimate(job, await ReadPhasesAsync(calls, job, status, new EstimateHints(shape, null), cancellationToken), null);
        }
        catch (Exception failure) when (!cancellationToken.IsCancellationRequested)
        {
            read[job] = new JobEstimate(job, null, failure);
        }

        return [];
    }

    /// <summary>Reads one list of jobs; answers the jobs still to read.</summary>
    private async Task<IReadOnlyList<string>> ReadJobListAsync(CallContext calls, IReadOnlyList<string> jobs, string status,
        IReadOnlyDictionary<string, EstimateShape?> shapes, ConcurrentDictionary<string, int> expected,
        ConcurrentDictionary<string, JobEstimate> read, CancellationToken cancellationToken)
    {
        var filter = string.Join(',', jobs);
        var partition = $"{jobs.Count} jobs ({jobs[0]}, …), status '{status}'";
        SpectrumResponse answer;
        try
        {
            answer = await CallUntilWholeAsync(calls, SpectrumService.GetPhaseEnhanced, PhaseArguments(calls, filter, status, costTypes: "", sortBy: ""), done: _ => false, cancellationToken);
        }
        catch (SpectrumFaultException refused) when (!refused.IsServerFault && filter.Length > JobNumberDeclaredLength)
        {
            filterLengths.Refused(filter);
            LogLongFilterRefused(Shortened(filter), refused.FaultString);
            return jobs;
        }
        catch (Exception failure) when (!cancellationToken.IsCancellationRequested)
        {
            Fail(jobs, failure, read);
            return [];
        }

        var rowsByJob = answer.Rows.GroupBy(r => r.Text("Job_Number"), StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
        if (answer.IsWhole)
        {
            // A job that had open rows and now has none is read again alone: a server that took the list for something
            // else would otherwise pass for one whose jobs are all empty.
            var emptied = jobs.Where(job => !rowsByJob.ContainsKey(job) && status.Length == 0 && shapes[job]?.Open.Values.Sum() > 0).ToList();
            foreach (var job in jobs.Except(emptied))
            {
                read[job] = new JobEstimate(job, EstimateOf(rowsByJob.GetValueOrDefault(job) ?? []), null);
            }

            emptied.ForEach(job => expected[job] = int.MaxValue);
            return emptied;
        }

        var order = answer.Rows.Select(r => r.Text("Job_Number")).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (!InJobOrder(answer.Rows) || order.Count == 0)
        {
            Fail(jobs, new SpectrumResponseIncompleteException(order.Count == 0
                ? $"Spectrum answered {partition} cut short before its first row"
                : $"Spectrum did not sort {partition} by job as asked, so its rows cut short cannot be told complete"), read);
            return [];
        }

        // Only jobs followed by another job in the answer came whole; a job absent from it is not taken for empty, as
        // the server's order of job numbers is its own.
        var whole = order.Take(order.Count - 1).Where(job => jobs.Contains(job, StringComparer.OrdinalIgnoreCase)).ToList();
        foreach (var job in whole)
        {
            read[job] = new JobEstimate(job, EstimateOf(rowsByJob[job]), null);
        }

        var last = order[^1];
        expected[last] = order.Count == 1 ? int.MaxValue : Math.Max(expected.GetValueOrDefault(last), rowsByJob[last].Count + 1);
        LogSliced(partition, answer.RowCapReached ? "reached the row cap" : "was cut short", last);
        return [.. jobs.Except(whole, StringComparer.OrdinalIgnoreCase)];
    }

    private static bool InJobOrder(IReadOnlyList<SpectrumRow> rows)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        string? previous = null;
        foreach (var job in rows.Select(r => r.Text("Job_Number")))
        {
            if (!string.Equals(job, previous, StringComparison.OrdinalIgnoreCase) && !seen.Add(job))
            {
                return false;
            }

            previous = job;
        }

        return true;
    }

    /// <summary>One job's rows of one status, all of them.</summary>
    private static SpectrumEstimate EstimateOf(IReadOnlyList<SpectrumRow> rows)
    {
        var read = new PhaseRead();
        read.AcceptAll(rows);
        return read.ToEstimate();
    }

    private static void Fail(IEnumerable<string> jobs, Exception failure, ConcurrentDictionary<string, JobEstimate> read)
    {
        foreach (var job in jobs)
        {
            read[job] = new JobEstimate(job, null, failure);
        }
    }

    private static string Shortened(string filter) => filter.Length <= 60 ? filter : filter[..57] + "...";
}
