using System.Text.Json;
using Azure.Data.Tables;
using ErpFunctions.Budgets;
using ErpFunctions.Diagnostics;
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

/// <summary>What one tick of the re-sync did.</summary>
public sealed record SweepReport(
    DateTimeOffset At,
    int Checked,
    int InSync,
    int NeverImported,
    IReadOnlyList<string> Queued,
    IReadOnlyList<string> Joined,
    IReadOnlyList<string> Failed,
    bool Finished,
    string? ResumeAfter,
    int ProcoreCalls,
    int ProcoreCallBudget);

/// <summary>
/// The nightly bulk re-sync: discovers linked jobs, compares each job's Spectrum estimates and Procore lines with those
/// of its last import line by line (one Procore call per job), and queues a re-import only where they drifted, or where
/// the last import did not finish everything. Drift is judged as the engine judges amounts: the same normalised Spectrum
/// estimate, the same budget view. A tick stops before it would spend more than its share of the hourly Procore budget
/// and the next tick resumes after the last job checked.
/// </summary>
public sealed partial class ResyncSweep(
    BudgetEntries entries,
    JobLinks links,
    ReimportRequests requests,
    ISpectrumJobReader spectrum,
    IProjectBudget budget,
    StorageTables tables,
    IOptions<ResyncOptions> options,
    IOptions<SpectrumOptions> spectrumOptions,
    TimeProvider time,
    ILogger<ResyncSweep> logger)
{
    /// <summary>Procore calls one job usually costs: its budget view (first time only) and its detail rows (a page per 2,000 lines).</summary>
    private const int CallsPerJob = 2;

    private const string Partition = "sweep";

    public async Task<SweepReport> RunAsync(CancellationToken cancellationToken)
    {
        var correlationId = Correlation.New("resync");
        using var scope = logger.BeginCorrelationScope(correlationId);
        var company = spectrumOptions.Value.CompanyCode;
        var settings = options.Value;
        var callBudget = (int)(settings.HourlyCallLimit * settings.ShareOfHourlyLimit);
        var state = await tables.GetAsync(StorageTables.Sweeps, cancellationToken);
        var resumeAfter = (await state.GetEntityIfExistsAsync<TableEntity>(Partition, TableKeys.Encode(company), cancellationToken: cancellationToken))
            is { HasValue: true } saved ? saved.Value!.GetString("ResumeAfter") : null;

        using var meter = ApiCallMeter.Start();
        if (resumeAfter is null)
        {
            await links.DiscoverAsync(cancellationToken);
        }

        int checkedJobs = 0, inSync = 0, neverImported = 0;
        List<string> queued = [], joined = [], failed = [];
        string? last = resumeAfter;
        var finished = true;
        await foreach (var entry in entries.ListLinkedAsync(company, resumeAfter, cancellationToken))
        {
            if (meter.Meter.ProcoreCalls + CallsPerJob > callBudget)
            {
                finished = false;
                break;
            }

            checkedJobs++;
            last = entry.Job;
            if (!entry.IsSynced && !settings.IncludeNeverImported)
            {
                neverImported++;
                continue;
            }

            if (!JobNumber.TryParse(entry.Job, out var job))
            {
                LogNotAJob(entry.Job);
                failed.Add(entry.Job);
                continue;
            }

            try
            {
                if (!await DriftedAsync(job, entry, cancellationToken) && !settings.ReimportAll && entry.IsSynced)
                {
                    inSync++;
                    continue;
                }

                var outcome = await requests.RequestAsync(new ReimportRequest(job, RunTrigger.Timer, "nightly re-sync", correlationId,
                    OperatorAccess: null, CheckPrerequisites: false), cancellationToken);
                (outcome is ReimportRequestOutcome.Accepted { Joined: true } ? joined : queued).Add(entry.Job);
            }
            catch (Exception e) when (FailureKinds.Classify(e).IsDependency)
            {
                LogJobFailed(e, entry.Job, e.Message);
                failed.Add(entry.Job);
            }
        }

        var report = new SweepReport(time.GetUtcNow(), checkedJobs, inSync, neverImported, queued, joined, failed, finished,
            finished ? null : last, meter.Meter.ProcoreCalls, callBudget);
        await state.UpsertEntityAsync(new TableEntity(Partition, TableKeys.Encode(company))
        {
            ["ResumeAfter"] = report.ResumeAfter, ["LastTick"] = report.At, ["LastReport"] = JsonSerializer.Serialize(report),
        }, TableUpdateMode.Replace, cancellationToken);
        LogSwept(report.Checked, report.Queued.Count, report.Joined.Count, report.InSync, report.ProcoreCalls, report.Finished);
        return report;
    }

    /// <summary>
    /// Whether the job needs a re-import: Spectrum's estimates or Procore's lines are not what they were right after the
    /// last import (compared line by line, through their fingerprints), or that import did not finish everything.
    /// Records today's totals as the job's snapshot.
    /// </summary>
    private async Task<bool> DriftedAsync(JobNumber job, BudgetEntry entry, CancellationToken cancellationToken)
    {
        var read = await spectrum.ReadEstimateAsync(job.Value, cancellationToken);
        var estimate = NormalizedEstimate.From(job, read.Lines.Select(r => r.ToEstimateRow()));
        var procore = await budget.ReadStateAsync(entry.ProjectId!.Value, entry.BudgetViewId, cancellationToken);
        await entries.SaveAsync(new BudgetEntry(entry.Company, entry.Job)
        {
            BudgetViewId = procore.BudgetViewId, SpectrumTotal = estimate.Total, ProcoreTotal = procore.Total, TotalsAsOf = time.GetUtcNow(),
        }, cancellationToken);

        if (entry.LastRunStatus == RunStatus.PartiallySucceeded)
        {
            return true;
        }

        return entry is { ImportedSpectrumFingerprint: { } spectrumPrint, ImportedProcoreFingerprint: { } procorePrint }
            ? estimate.Fingerprint != spectrumPrint || procore.Fingerprint != procorePrint
            : estimate.Total != entry.ImportedSpectrumTotal || procore.Total != entry.ImportedProcoreTotal;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Re-sync checked {Checked} jobs: {Queued} queued, {Joined} joined a run, {InSync} in sync; {ProcoreCalls} Procore calls; finished: {Finished}")]
    private partial void LogSwept(int @checked, int queued, int joined, int inSync, int procoreCalls, bool finished);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Re-sync skipped {Job}: it is not a Spectrum job number")]
    private partial void LogNotAJob(string job);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Re-sync could not check job {Job}: {Reason}")]
    private partial void LogJobFailed(Exception exception, string job, string reason);
}
