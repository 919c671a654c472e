using System.Text.Json;
using Azure.Data.Tables;
using ErpFunctions.Budgets;
using ErpFunctions.Companies;
using ErpFunctions.Diagnostics;
using ErpFunctions.Domain.Companies;
using ErpFunctions.Domain.Estimates;
using ErpFunctions.Domain.Jobs;
using ErpFunctions.Domain.Runs;
using ErpFunctions.Failures;
using ErpFunctions.Links;
using ErpFunctions.Procore;
using ErpFunctions.Requests;
using ErpFunctions.Spectrum;
using ErpFunctions.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Resync;

/// <summary>A job the sweep could not check, and why.</summary>
public sealed record SweepFailure(string Job, string Reason);

/// <summary>What one tick of the re-sync did.</summary>
/// <param name="Finished">The tick reached the last linked job; otherwise the next tick resumes after <paramref name="ResumeAfter"/>.</param>
/// <param name="PausedUntil">The tick stopped because its share of Spectrum's daily call budget was spent; calls go on then.</param>
public sealed record SweepReport(
    string Company,
    DateTimeOffset At,
    int Checked,
    int InSync,
    int NeverImported,
    IReadOnlyList<string> Queued,
    IReadOnlyList<string> Joined,
    IReadOnlyList<SweepFailure> Failed,
    bool Finished,
    string? ResumeAfter,
    int ProcoreCalls,
    int ProcoreCallBudget,
    int SpectrumCalls = 0,
    DateTimeOffset? PausedUntil = null);

/// <summary>
/// The nightly bulk re-sync: discovers linked jobs, reads their Spectrum estimates many jobs per call, compares each
/// job's estimates and Procore lines with those of its last import line by line (one Procore call per job), and queues a
/// re-import only where they drifted, or where the last import did not finish everything. Drift is judged as the engine
/// judges amounts: the same normalised Spectrum estimate, the same budget view. A tick stops before it would spend more
/// than its share of the hourly Procore budget, or when its share of Spectrum's daily call budget is spent; the next
/// tick resumes after the last job checked.
/// </summary>
public sealed partial class ResyncSweep(
    ICompanies companies,
    BudgetEntries entries,
    BudgetSnapshots snapshots,
    JobReads reads,
    JobLinks links,
    ReimportRequests requests,
    ISpectrumJobReader spectrum,
    IProjectBudget budget,
    StorageTables tables,
    IOptions<ResyncOptions> options,
    TimeProvider time,
    ILogger<ResyncSweep> logger)
{
    /// <summary>Procore calls one job usually costs: its budget view (first time only) and its detail rows (a page per 2,000 lines).</summary>
    private const int CallsPerJob = 2;

    private const string Partition = "sweep";

    /// <summary>
    /// One tick for every company, one after the other, each within its own quotas; a company whose tick fails does not
    /// keep the others from theirs (the failures are thrown together at the end).
    /// </summary>
    public async Task<IReadOnlyList<SweepReport>> RunAsync(CancellationToken cancellationToken)
    {
        var reports = new List<SweepReport>();
        var failures = new List<Exception>();
        foreach (var company in companies.All)
        {
            try
            {
                reports.Add(await RunAsync(company, cancellationToken));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogCompanyFailed(e, company.Code, e.Message);
                failures.Add(e);
            }
        }

        return failures.Count == 0 ? reports : throw new AggregateException(failures);
    }

    public async Task<SweepReport> RunAsync(Company forCompany, CancellationToken cancellationToken)
    {
        var correlationId = Correlation.New("resync");
        using var scope = logger.BeginCorrelationScope(correlationId);
        var company = forCompany.Code;
        var settings = options.Value;
        var startedAt = time.GetUtcNow();
        var callBudget = (int)(settings.HourlyCallLimit * settings.ShareOfHourlyLimit);
        var state = await tables.GetAsync(StorageTables.Sweeps, cancellationToken);
        var resumeAfter = (await state.FindAsync<SweepRow>(Partition, TableKeys.Encode(company), cancellationToken))?.ResumeAfter;

        var calls = CallContext.InBackground(forCompany, settings.ShareOfDailySpectrumBudget);
        if (resumeAfter is null)
        {
            await links.DiscoverAsync(calls, cancellationToken);
        }

        var linked = await entries.ListLinkedAsync(company, resumeAfter, cancellationToken);

        // Spectrum is read at once for every job this tick can afford to check in Procore.
        var due = linked.Take(Math.Max(0, (callBudget - calls.Meter.ProcoreCalls) / CallsPerJob)).ToList();
        var estimates = await ReadEstimatesAsync(calls, due, cancellationToken);

        var tick = new Tick(calls, correlationId);
        string? last = resumeAfter;
        var finished = due.Count == linked.Count;
        DateTimeOffset? pausedUntil = null;
        foreach (var entry in due)
        {
            if (calls.Meter.ProcoreCalls + CallsPerJob > callBudget || (tick.Checked > 0 && time.GetUtcNow() - startedAt > settings.MaxTickDuration))
            {
                finished = false;
                break;
            }

            var estimate = estimates.GetValueOrDefault(entry.Job);
            if (estimate?.Failure is SpectrumCallBudgetSpentException spent)
            {
                LogPaused(entry.Job, spent.ResetAt);
                (finished, pausedUntil) = (false, spent.ResetAt);
                break;
            }

            await CheckAsync(entry, estimate, tick, cancellationToken);
            last = entry.Job;
            // The cursor moves with every job, so that a tick stopped by the host's timeout loses no job's place.
            await SaveAsync(state, company, last, tick, null, CancellationToken.None);
        }

        var report = new SweepReport(company, time.GetUtcNow(), tick.Checked, tick.InSync, tick.NeverImported, tick.Queued, tick.Joined, tick.Failed,
            finished, finished ? null : last, calls.Meter.ProcoreCalls, callBudget, calls.Meter.SpectrumCalls, pausedUntil);
        await SaveAsync(state, company, report.ResumeAfter, tick, report, CancellationToken.None);
        LogSwept(report.Checked, report.Queued.Count, report.Joined.Count, report.InSync, report.Failed.Count, report.ProcoreCalls,
            report.SpectrumCalls, report.Finished);
        return report;
    }

    /// <summary>The estimates of the jobs the sweep compares, by job: those imported (and, if asked, those never imported).</summary>
    private async Task<Dictionary<string, JobEstimate>> ReadEstimatesAsync(CallContext calls, IEnumerable<BudgetEntry> due,
        CancellationToken cancellationToken)
    {
        var jobs = due.Where(e => (e.IsSynced || options.Value.IncludeNeverImported) && JobNumber.TryParse(e.Job, out _))
            .Select(e => new JobToRead(e.Job, EstimateShape.Parse(e.EstimateShape))).ToList();
        var read = jobs.Count == 0 ? [] : await spectrum.ReadEstimatesAsync(calls, jobs, cancellationToken);
        return read.ToDictionary(r => r.Job, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Checks one linked job: drifted (or never imported, with <c>IncludeNeverImported</c>) → a re-import is requested.</summary>
    private async Task CheckAsync(BudgetEntry entry, JobEstimate? estimate, Tick tick, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        tick.Checked++;
        if (!entry.IsSynced && !settings.IncludeNeverImported)
        {
            tick.NeverImported++;
            return;
        }

        if (!JobNumber.TryParse(entry.Job, out var job) || estimate is null)
        {
            tick.Failed.Add(new SweepFailure(entry.Job, $"'{entry.Job}' is not a Spectrum job number ({JobNumber.Rule})"));
            return;
        }

        try
        {
            if (estimate.Failure is { } failure)
            {
                throw failure;
            }

            if (!await DriftedAsync(tick.Calls, job, entry, estimate.Estimate!, cancellationToken) && !settings.ReimportAll && entry.IsSynced)
            {
                tick.InSync++;
                return;
            }

            var outcome = await requests.RequestAsync(new ReimportRequest(tick.Calls.Company, job, RunTrigger.Timer, "nightly re-sync", tick.CorrelationId,
                OperatorAccess: null, CheckPrerequisites: false), cancellationToken);
            (outcome is ReimportRequestOutcome.Accepted { Joined: true } ? tick.Joined : tick.Queued).Add(entry.Job);
        }
        catch (Exception e) when (FailureKinds.Classify(e).IsDependency)
        {
            LogJobFailed(e, entry.Job, e.Message);
            tick.Failed.Add(new SweepFailure(entry.Job, FailureKinds.Explain(e)));
        }
    }

    private Task SaveAsync(TableClient state, string company, string? resumeAfter, Tick tick, SweepReport? report, CancellationToken cancellationToken) =>
        state.UpsertEntityAsync(new SweepRow
        {
            PartitionKey = Partition, RowKey = TableKeys.Encode(company), ResumeAfter = resumeAfter, LastTick = time.GetUtcNow(),
            Failures = JsonSerializer.Serialize(tick.Failed), LastReport = report is null ? null : JsonSerializer.Serialize(report),
        }, TableUpdateMode.Replace, cancellationToken);

    /// <summary>What a tick has found so far.</summary>
    private sealed class Tick(CallContext calls, string correlationId)
    {
        public CallContext Calls { get; } = calls;
        public string CorrelationId { get; } = correlationId;
        public int Checked { get; set; }
        public int InSync { get; set; }
        public int NeverImported { get; set; }
        public List<string> Queued { get; } = [];
        public List<string> Joined { get; } = [];
        public List<SweepFailure> Failed { get; } = [];
    }

    /// <summary>
    /// Whether the job needs a re-import: Spectrum's estimates or Procore's lines are not what they were right after the
    /// last import (compared line by line, through their fingerprints), or that import did not finish everything.
    /// Records how the job was read, for its next read; a job found in sync has its totals confirmed as of now (one that
    /// drifted keeps its totals, with their time, until the re-import it asks for reads them again).
    /// </summary>
    private async Task<bool> DriftedAsync(CallContext calls, JobNumber job, BudgetEntry entry, SpectrumEstimate read,
        CancellationToken cancellationToken)
    {
        var estimate = NormalizedEstimate.From(job, read.Lines.Select(r => r.ToEstimateRow()));
        var procore = await budget.ReadStateAsync(calls, entry.ProjectId!.Value, entry.BudgetViewId, cancellationToken);
        await reads.SaveAsync(entry.Company, entry.Job, new JobRead(read.Shape.ToText(), procore.BudgetViewId), cancellationToken);

        var drifted = entry.LastRunStatus == RunStatus.PartiallySucceeded || entry.Import is not { } import
            || estimate.Fingerprint != import.SpectrumFingerprint || procore.Fingerprint != import.ProcoreFingerprint;
        if (!drifted)
        {
            await snapshots.ChangeAsync(entry.Company, entry.Job, stored => (stored ?? new BudgetSnapshot()) with
            {
                SpectrumTotal = estimate.Total, ProcoreTotal = procore.Total, TotalsAsOf = time.GetUtcNow(),
            }, cancellationToken);
        }

        return drifted;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Re-sync checked {Checked} jobs: {Queued} queued, {Joined} joined a run, {InSync} in sync, {Failed} failed; {ProcoreCalls} Procore calls, {SpectrumCalls} Spectrum calls; finished: {Finished}")]
    private partial void LogSwept(int @checked, int queued, int joined, int inSync, int failed, int procoreCalls, int spectrumCalls, bool finished);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Re-sync paused before job {Job}: its share of Spectrum's daily call budget is spent until {ResetAt}")]
    private partial void LogPaused(string job, DateTimeOffset resetAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Re-sync of company {Company} failed: {Reason}")]
    private partial void LogCompanyFailed(Exception exception, string company, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Re-sync could not check job {Job}: {Reason}")]
    private partial void LogJobFailed(Exception exception, string job, string reason);
}

/// <summary>Where the company's sweep goes on, and what its last tick found.</summary>
internal sealed class SweepRow : TableRow
{
    public string? ResumeAfter { get; set; }
    public DateTimeOffset? LastTick { get; set; }
    public string? Failures { get; set; }
    public string? LastReport { get; set; }
}
