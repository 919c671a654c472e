using System.Net.Sockets;
using Azure;
using ErpFunctions.Budgets;
using ErpFunctions.Diagnostics;
using ErpFunctions.Prerequisites;
using ErpFunctions.Procore;
using ErpFunctions.Runs;
using ErpFunctions.Spectrum;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace ErpFunctions.Reimport;

public enum RunOutcome
{
    /// <summary>The run reached a final status (succeeded, partially, blocked or failed).</summary>
    Finished,

    /// <summary>Another run holds the job; this one stays queued and must be tried again later.</summary>
    Deferred,

    /// <summary>The run had already finished (a message delivered twice): nothing was done.</summary>
    AlreadyFinished,
}

/// <summary>A preview: the same pipeline as a run, stopped after the plan; no lease, no write to Procore.</summary>
public sealed record PreviewResult(
    string Company,
    string Job,
    bool JobFound,
    ProjectLink? Link,
    IReadOnlyList<PrerequisiteResult> Prerequisites,
    BudgetPlan? Plan,
    string? BudgetUrl,
    DateTimeOffset AsOf)
{
    public bool Available => Prerequisites.AllowsReimport();
}

/// <summary>
/// Runs a queued re-import: one at a time per job (a lease), prerequisites before any write, the plan recorded line by
/// line before Procore is touched, then written and read back. A transient failure puts the run back in the queue's
/// hands (it is retried, and a retry converges); anything else ends it with a status that says why.
/// </summary>
public sealed partial class ReimportEngine(
    RunStore runs,
    JobLeases leases,
    BudgetEntries entries,
    ReimportContextReader reader,
    BudgetWriter writer,
    IProcoreBudget budget,
    IOptions<ReimportOptions> options,
    TimeProvider time,
    ILogger<ReimportEngine> logger)
{
    public async Task<RunOutcome> RunAsync(string runId, CancellationToken cancellationToken)
    {
        var run = await runs.FindAsync(runId, cancellationToken) ?? throw new KeyNotFoundException($"There is no run {runId}.");
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["CorrelationId"] = run.CorrelationId, ["RunId"] = run.RunId, ["Job"] = run.Job,
        });
        if (run.Status.IsFinished())
        {
            LogAlreadyFinished(run.RunId, run.Status);
            return RunOutcome.AlreadyFinished;
        }

        var (lease, holder) = await leases.TryAcquireAsync(run.Company, run.Job, run.RunId, options.Value.LeaseDuration, cancellationToken);
        if (lease is null)
        {
            LogDeferred(run.RunId, holder!.Owner);
            await runs.ChangeAsync(run.RunId, r => r.Status.IsFinished() ? null : r with
            {
                Messages = [$"Waiting for run {holder.Owner} of job {r.Job} to finish"],
            }, cancellationToken);
            return RunOutcome.Deferred;
        }

        using var meter = ApiCallMeter.Start();
        var held = new HeldLease(lease);
        try
        {
            run = await runs.UpdateAsync(run, run with
            {
                Status = RunStatus.Running, StartedAt = time.GetUtcNow(), Attempts = run.Attempts + 1, Error = null, Messages = [],
            }, cancellationToken);
            LogStarted(run.RunId, run.Job, run.Trigger, run.Attempts);
            run = await ExecuteAsync(run, held, meter.Meter, cancellationToken);
            return RunOutcome.Finished;
        }
        catch (Exception e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested)
        {
            LogRetrying(e, run.RunId, e.Message);
            await runs.ChangeAsync(run.RunId, r => r.Status.IsFinished() ? null : WithCalls(r, meter.Meter) with
            {
                Status = RunStatus.Queued, Error = $"Attempt {r.Attempts} failed: {e.Message}. It will be retried.",
            }, CancellationToken.None);
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(e, run.RunId, e.Message);
            var failed = await runs.ChangeAsync(run.RunId, r => r.Status.IsFinished() ? null : WithCalls(r, meter.Meter) with
            {
                Status = RunStatus.Failed, CompletedAt = time.GetUtcNow(), Error = e.Message,
            }, CancellationToken.None);
            await RecordLastRunAsync(failed!, CancellationToken.None);
            return RunOutcome.Finished;
        }
        finally
        {
            await leases.ReleaseAsync(held.Lease, CancellationToken.None);
        }
    }

    /// <summary>Marks a run failed with its last error (the queue gave up on it: poison message).</summary>
    public async Task<RunRecord?> GiveUpAsync(string runId, string reason, CancellationToken cancellationToken)
    {
        var run = await runs.ChangeAsync(runId, r => r.Status.IsFinished() ? null : r with
        {
            Status = RunStatus.Failed,
            CompletedAt = time.GetUtcNow(),
            Error = r.Error is null ? reason : $"{reason} Last error: {r.Error}",
        }, cancellationToken);
        if (run is { Status: RunStatus.Failed })
        {
            await RecordLastRunAsync(run, cancellationToken);
        }

        return run;
    }

    public async Task<PreviewResult> PreviewAsync(string job, ProcoreAccessLevel? operatorAccess, CancellationToken cancellationToken)
    {
        var context = await reader.ReadAsync(job, operatorAccess, readBudgetWhenBlocked: true, cancellationToken);
        var plan = context.Plan(options.Value);
        var asOf = time.GetUtcNow();
        await entries.SaveAsync(Snapshot(context, context.Procore?.Total, plan?.Totals.NewProcoreTotal, asOf), cancellationToken);
        return new PreviewResult(context.Company, job, context.Facts.SpectrumJobFound, context.Link, context.Prerequisites, plan,
            context.Link is { } link ? budget.BudgetPageUrl(link.ProjectId) : null, asOf);
    }

    private async Task<RunRecord> ExecuteAsync(RunRecord run, HeldLease held, ApiCallMeter meter, CancellationToken cancellationToken)
    {
        var context = await reader.ReadAsync(run.Job, run.OperatorAccess, readBudgetWhenBlocked: false, cancellationToken);
        if (!context.Allowed || context.Procore is null)
        {
            var failing = context.Prerequisites.Where(p => p.State == PrerequisiteState.Failed).ToList();
            run = await runs.UpdateAsync(run, WithCalls(run, meter) with
            {
                Status = RunStatus.Blocked,
                CompletedAt = time.GetUtcNow(),
                ProjectId = context.Link?.ProjectId,
                Prerequisites = context.Prerequisites,
                Messages = [.. failing.Select(p => $"{p.Code}: {p.Sentence}")],
            }, cancellationToken);
            await entries.SaveAsync(Snapshot(context, null, null, time.GetUtcNow()).WithLastRun(run), cancellationToken);
            return run;
        }

        var plan = context.Plan(options.Value)!;
        var lines = plan.Lines.Select((line, i) => new RunLine(i + 1, line, line.IsWrite ? LineOutcome.Planned : LineOutcome.NoWrite, null)).ToList();
        await runs.SaveLinesAsync(run.RunId, lines, cancellationToken);
        run = await runs.UpdateAsync(run, run with
        {
            ProjectId = context.Link!.ProjectId,
            Prerequisites = context.Prerequisites,
            TotalsBefore = plan.Totals,
            Counts = plan.Counts,
            Messages = [.. DuplicateMessages(plan), $"Writing {plan.Writes.Count()} budget line(s)"],
        }, cancellationToken);

        held.Lease = await leases.RenewAsync(held.Lease, options.Value.LeaseDuration, cancellationToken);
        var written = await writer.WriteAsync(run.Job, plan, context.Procore, options.Value.Mapping.Mask, cancellationToken);
        await runs.SaveLinesAsync(run.RunId, lines.Where(l => written.Outcomes.ContainsKey(l.Index))
            .Select(l => l with { Outcome = written.Outcomes[l.Index].Outcome, ProcoreMessage = written.Outcomes[l.Index].ProcoreMessage }),
            cancellationToken);

        var status = written.Failed > 0 ? RunStatus.PartiallySucceeded : RunStatus.Succeeded;
        run = await runs.UpdateAsync(run, WithCalls(run, meter) with
        {
            Status = status,
            CompletedAt = time.GetUtcNow(),
            ProcoreTotalAfter = written.ProcoreTotalAfter,
            FailedLines = written.Failed,
            Messages = [status.Describe(), .. DuplicateMessages(plan), .. written.Messages],
        }, cancellationToken);
        LogFinished(run.RunId, status, plan.Writes.Count(), written.Failed, run.ProcoreReads + run.ProcoreWrites);

        // What a re-import would reach is still the plan's total: equal to Procore's now, unless lines were refused.
        var imported = Snapshot(context, written.ProcoreTotalAfter, plan.Totals.NewProcoreTotal, run.CompletedAt!.Value) with
        {
            LastImportedAt = run.CompletedAt,
            ImportedSpectrumTotal = plan.Totals.SpectrumTotal,
            ImportedProcoreTotal = written.ProcoreTotalAfter,
        };
        await entries.SaveAsync(imported.WithLastRun(run), cancellationToken);
        return run;
    }

    /// <summary>The run's lease as last renewed: releasing needs its latest ETag.</summary>
    private sealed class HeldLease(JobLease lease)
    {
        public JobLease Lease { get; set; } = lease;
    }

    private static IEnumerable<string> DuplicateMessages(BudgetPlan plan) => plan.Duplicates.Select(d =>
        $"Spectrum returned {d.Count} rows for phase {d.Phase} cost type {d.CostType}; they were summed to {BudgetPlanner.Money(d.EstimateTotal)}");

    /// <summary>The job's totals and availability as this read found them, for the budgets list.</summary>
    private static BudgetEntry Snapshot(ReimportContext context, decimal? procoreTotal, decimal? newProcoreTotal, DateTimeOffset asOf)
    {
        var blocking = context.Prerequisites.FirstOrDefault(p => p.State == PrerequisiteState.Failed);
        return new BudgetEntry(context.Company, context.Job)
        {
            BudgetViewId = context.Procore?.BudgetViewId,
            SpectrumTotal = context.Estimate.Lines.Sum(l => l.Estimate),
            ProcoreTotal = procoreTotal,
            NewProcoreTotal = newProcoreTotal,
            TotalsAsOf = asOf,
            Available = blocking is null,
            BlockedBy = blocking?.Code,
            BlockedReason = blocking?.Sentence,
        };
    }

    private Task RecordLastRunAsync(RunRecord run, CancellationToken cancellationToken) =>
        entries.SaveAsync(new BudgetEntry(run.Company, run.Job).WithLastRun(run), cancellationToken);

    private static RunRecord WithCalls(RunRecord run, ApiCallMeter meter) => run with
    {
        ProcoreReads = run.ProcoreReads + meter.ProcoreReads,
        ProcoreWrites = run.ProcoreWrites + meter.ProcoreWrites,
        SpectrumCalls = run.SpectrumCalls + meter.SpectrumCalls,
    };

    /// <summary>Failures that another attempt may not meet: the queue retries these; the rest end the run.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        ProcoreRateLimitedException or ProcoreServerException => true,
        ProcoreApiException => false,
        SpectrumException spectrum => spectrum.IsRetryable,
        HttpRequestException or TimeoutRejectedException or TimeoutException or SocketException => true,
        RequestFailedException storage => storage.Status is >= 500 or 408 or 0,
        StaleRunUpdateException => true,
        InvalidOperationException { InnerException: RequestFailedException } => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsTransient),
        _ => false,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} of job {Job} started ({Trigger}, attempt {Attempt})")]
    private partial void LogStarted(string runId, string job, RunTrigger trigger, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} ended {Status}: {WriteCount} lines written, {FailedCount} refused, {ProcoreCalls} Procore calls")]
    private partial void LogFinished(string runId, RunStatus status, int writeCount, int failedCount, int procoreCalls);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} waits: run {Holder} holds the job")]
    private partial void LogDeferred(string runId, string holder);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} had already finished ({Status}); nothing to do")]
    private partial void LogAlreadyFinished(string runId, RunStatus status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} hit a transient failure and will be retried: {Reason}")]
    private partial void LogRetrying(Exception exception, string runId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId} failed: {Reason}")]
    private partial void LogFailed(Exception exception, string runId, string reason);
}
