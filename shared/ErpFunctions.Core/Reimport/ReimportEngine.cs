using ErpFunctions.Budgets;
using ErpFunctions.Companies;
using ErpFunctions.Diagnostics;
using ErpFunctions.Domain.Jobs;
using ErpFunctions.Domain.Planning;
using ErpFunctions.Domain.Prerequisites;
using ErpFunctions.Domain.Runs;
using ErpFunctions.Failures;
using ErpFunctions.Procore;
using ErpFunctions.Runs;
using ErpFunctions.Spectrum;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

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

/// <summary>How an attempt at a run ended, with the run as it was last written.</summary>
/// <param name="DeferUntil">A deferred run is to be tried again no sooner than this (Procore's rate limit resets then).</param>
public sealed record RunResult(RunOutcome Outcome, RunRecord Run, DateTimeOffset? DeferUntil = null);

/// <summary>
/// Runs a queued re-import: one at a time per job (a lease), prerequisites before any write, the plan recorded line by
/// line before Procore is touched, then written and read back. A transient failure puts the run back in the queue's
/// hands (it is retried, and a retry converges); anything else ends it with a status that says why.
/// </summary>
public sealed partial class ReimportEngine(
    ICompanies companies,
    RunStore runs,
    JobLeases leases,
    ImportBaselines imports,
    ReimportContextReader reader,
    IProjectBudget budget,
    IOptions<ReimportOptions> options,
    TimeProvider time,
    ILogger<ReimportEngine> logger)
{
    public async Task<RunResult> RunAsync(string runId, CancellationToken cancellationToken)
    {
        var run = await runs.FindAsync(runId, cancellationToken) ?? throw new KeyNotFoundException($"There is no run {runId}.");
        using var scope = logger.BeginCorrelationScope(run.CorrelationId, run.RunId, run.Job);
        using var span = Telemetry.Start("Re-import run");
        span?.SetTag(Telemetry.RunIdTag, run.RunId);
        span?.SetTag(Telemetry.CorrelationIdTag, run.CorrelationId);
        span?.SetTag(Telemetry.JobTag, run.Job);
        span?.SetTag(Telemetry.CompanyTag, run.Company);
        if (run.Status.IsFinished())
        {
            LogAlreadyFinished(run.RunId, run.Status);
            return new RunResult(RunOutcome.AlreadyFinished, run);
        }

        var (lease, holder) = await leases.TryAcquireAsync(run.Company, run.Job, run.RunId, options.Value.LeaseDuration, cancellationToken);
        if (lease is null && holder!.Owner == run.RunId)
        {
            // Another delivery of this very run holds the job: it is left alone (its row untouched), and this message
            // comes back once that attempt's lease would have expired, to take over only if the attempt died.
            LogDuplicateDelivery(run.RunId, holder.ExpiresAt);
            return new RunResult(RunOutcome.Deferred, run, holder.ExpiresAt);
        }

        if (lease is null)
        {
            LogDeferred(run.RunId, holder!.Owner);
            var waiting = await runs.ChangeAsync(run.RunId, r => r.Status.IsFinished() ? null : r with
            {
                Messages = [$"Waiting for run {holder.Owner} of job {r.Job} to finish"],
            }, cancellationToken);
            return new RunResult(RunOutcome.Deferred, waiting ?? run);
        }

        var held = new HeldLease(lease);
        var calls = companies.Find(run.Company) is { } company ? CallContext.For(company) : null;
        var attempt = 0;
        try
        {
            // Queued, or Running where a worker stopped mid-run and its lease expired: this attempt takes the run over.
            var startedAt = time.GetUtcNow();
            run = (await runs.ChangeAsync(run.RunId, r => r.Status.IsFinished() ? null : r with
            {
                Status = RunStatus.Running, StartedAt = startedAt, Attempts = r.Attempts + 1, Error = null, Messages = [], WaitingUntil = null, WaitingFor = null,
            }, cancellationToken))!;
            if (run.Status != RunStatus.Running || run.StartedAt != startedAt)
            {
                LogAlreadyFinished(run.RunId, run.Status);
                return new RunResult(RunOutcome.AlreadyFinished, run);
            }

            attempt = run.Attempts;
            LogStarted(run.RunId, run.Job, run.Trigger, run.Attempts);
            if (calls is null)
            {
                throw new UnknownCompanyException(run.Company);
            }

            return new RunResult(RunOutcome.Finished, await ExecuteAsync(run, calls, attempt, held, cancellationToken));
        }
        catch (ProcoreRateLimitedException limited) when (!cancellationToken.IsCancellationRequested)
        {
            var until = limited.RetryAt;
            LogWaitingForRateLimit(run.RunId, until);
            var waiting = await ChangeAttemptAsync(run, attempt, r => WithCalls(r, calls) with
            {
                Status = RunStatus.Queued, WaitingUntil = until, WaitingFor = RunRecord.ProcoreRateLimit, Error = null,
                Messages = [$"Procore's rate limit is spent; the run waits until {until.UtcDateTime:HH:mm} UTC and goes on"],
            });
            return new RunResult(RunOutcome.Deferred, waiting, until);
        }
        catch (SpectrumCallBudgetSpentException spent) when (!cancellationToken.IsCancellationRequested)
        {
            LogWaitingForSpectrumBudget(run.RunId, spent.Service, spent.ResetAt);
            var waiting = await ChangeAttemptAsync(run, attempt, r => WithCalls(r, calls) with
            {
                Status = RunStatus.Queued, WaitingUntil = spent.ResetAt, WaitingFor = RunRecord.SpectrumCallBudget, Error = null,
                Messages = [$"{spent.Message} The run waits and goes on then."],
            });
            return new RunResult(RunOutcome.Deferred, waiting, spent.ResetAt);
        }
        catch (LeaseLostException lost) when (!cancellationToken.IsCancellationRequested)
        {
            LogLeaseLost(run.RunId, lost.Message);
            var stopped = await ChangeAttemptAsync(run, attempt, r => WithCalls(r, calls) with
            {
                Status = RunStatus.Queued,
                Error = $"Attempt {r.Attempts} stopped before its next write: the lease on job {r.Job} expired and was taken over. It will be tried again.",
            });
            return new RunResult(RunOutcome.Deferred, stopped);
        }
        catch (Exception e) when (FailureKinds.IsTransient(e) && !cancellationToken.IsCancellationRequested)
        {
            LogRetrying(e, run.RunId, e.Message);
            await ChangeAttemptAsync(run, attempt, r => WithCalls(r, calls) with
            {
                Status = RunStatus.Queued, Error = $"Attempt {r.Attempts} failed: {FailureKinds.Explain(e)} It will be retried.",
            });
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(e, run.RunId, e.Message);
            var failed = await ChangeAttemptAsync(run, attempt, r => WithCalls(r, calls) with
            {
                Status = RunStatus.Failed, CompletedAt = time.GetUtcNow(), Error = FailureKinds.Explain(e),
            });
            if (failed.Status == RunStatus.Failed)
            {
                Telemetry.RunFinished(failed.Status.ToString(), linesWritten: 0);
            }

            return new RunResult(RunOutcome.Finished, failed);
        }
        finally
        {
            await leases.ReleaseAsync(held.Lease, CancellationToken.None);
        }
    }

    /// <summary>
    /// Changes the run as this attempt ends, unless another attempt has taken it over (or it has finished) meanwhile:
    /// then the run is left to that attempt, and answered as it is.
    /// </summary>
    private async Task<RunRecord> ChangeAttemptAsync(RunRecord run, int attempt, Func<RunRecord, RunRecord> change) =>
        (await runs.ChangeAsync(run.RunId, r => r.Status.IsFinished() || (attempt > 0 && r.Attempts != attempt) ? null : change(r),
            CancellationToken.None)) ?? run;

    /// <summary>Marks a run failed with its last error (the queue gave up on it: poison message).</summary>
    public async Task<RunRecord?> GiveUpAsync(string runId, string reason, CancellationToken cancellationToken)
    {
        var run = await runs.ChangeAsync(runId, r => r.Status.IsFinished() ? null : r with
        {
            Status = RunStatus.Failed,
            CompletedAt = time.GetUtcNow(),
            Error = r.Error is null ? reason : $"{reason} Last error: {r.Error}",
        }, cancellationToken);
        return run;
    }

    private async Task<RunRecord> ExecuteAsync(RunRecord run, CallContext calls, int attempt, HeldLease held, CancellationToken cancellationToken)
    {
        var job = JobNumber.Parse(run.Job);
        var context = await reader.ReadAsync(calls, job, run.OperatorAccess, readBudgetWhenBlocked: false, cancellationToken);
        if (!context.Allowed || context.Budget is null)
        {
            run = await ChangeAttemptAsync(run, attempt, r => WithCalls(r, calls) with
            {
                Status = RunStatus.Blocked,
                CompletedAt = time.GetUtcNow(),
                ProjectId = context.Link?.ProjectId,
                Prerequisites = context.Prerequisites,
                Messages = [.. context.Prerequisites.Failing().Select(p => $"{p.Code}: {p.Sentence}")],
            });
            await reader.RecordAsync(context, time.GetUtcNow(), procoreTotal: null, plan: null, cancellationToken);
            Telemetry.RunFinished(run.Status.ToString(), linesWritten: 0);
            return run;
        }

        var plan = (await reader.PlanAsync(calls, context, cancellationToken))!;
        var lines = RunLine.Planned(plan);
        IReadOnlyList<string> notes = [.. context.SpectrumNotes, .. plan.DuplicateNotes, .. plan.Warnings];
        // The plan is recorded, line by line, before Procore is written to: the first write waits for the recording,
        // which overlaps with the reads that come before it.
        var recorded = RecordPlanAsync(run, attempt, context, plan, lines, notes, cancellationToken);
        WriteReport written;
        try
        {
            // The lease is renewed before every write and before the read-back: a run that lost it stops there.
            written = await budget.ApplyAsync(calls, job, plan, context.Budget, async token =>
            {
                await recorded;
                held.Lease = await leases.RenewAsync(held.Lease, options.Value.LeaseDuration, token);
            }, cancellationToken);
        }
        finally
        {
            // Awaited however the writing ended, so that a recording that failed is never left unobserved.
            run = await recorded;
        }

        await runs.SaveLinesAsync(run.RunId, written.Apply(lines), cancellationToken);

        // What the write left is recorded before the run says it finished: a retry after a failed recording runs again.
        // What a re-import would reach is still the plan's total: equal to Procore's now, unless lines were refused.
        var completedAt = time.GetUtcNow();
        await reader.RecordAsync(context, completedAt, written.ProcoreTotalAfter, plan, cancellationToken);
        await imports.SaveAsync(run.Company, run.Job, new ImportBaseline(completedAt, plan.Totals.SpectrumTotal,
            written.ProcoreTotalAfter, context.Estimate.Fingerprint, written.ProcoreFingerprint), cancellationToken);

        var problems = Problems(plan, written);
        var status = problems.Count > 0 ? RunStatus.PartiallySucceeded : RunStatus.Succeeded;
        run = await ChangeAttemptAsync(run, attempt, r => WithCalls(r, calls) with
        {
            Status = status,
            CompletedAt = completedAt,
            ProcoreTotalAfter = written.ProcoreTotalAfter,
            FailedLines = written.Failed,
            CostCodesCreated = written.CostCodesCreated,
            BudgetCodesCreated = written.BudgetCodesCreated,
            Messages = [status.Describe(), .. problems, .. notes, .. written.Messages],
        });
        LogFinished(run.RunId, status, plan.Writes.Count(), written.Failed, run.ProcoreReads + run.ProcoreWrites);
        Telemetry.RunFinished(status.ToString(), written.Outcomes.Values.Count(o => o.Outcome == LineOutcome.Written));
        return run;
    }

    /// <summary>The plan's lines (one document) and the run's totals and counts, written at the same time.</summary>
    private async Task<RunRecord> RecordPlanAsync(RunRecord run, int attempt, ReimportContext context, BudgetPlan plan,
        IReadOnlyList<RunLine> lines, IReadOnlyList<string> notes, CancellationToken cancellationToken)
    {
        var saving = runs.SaveLinesAsync(run.RunId, lines, cancellationToken);
        var changing = ChangeAttemptAsync(run, attempt, r => r with
        {
            ProjectId = context.Link!.ProjectId,
            Prerequisites = context.Prerequisites,
            TotalsBefore = plan.Totals,
            Counts = plan.Counts,
            NewCostCodes = plan.NewCostCodes.Count,
            NewBudgetCodes = plan.NewBudgetCodes,
            Messages = [.. notes, $"Writing {plan.Writes.Count()} budget line(s)"],
        });
        await Task.WhenAll(saving, changing);
        return await changing;
    }

    /// <summary>
    /// Why the run cannot be called a success: lines Procore did not take, Spectrum money the plan leaves out of Procore
    /// (counted, with its amount and what would bring it in), budget codes Procore holds twice, and a read-back total that
    /// is not the plan's New Procore total (to the cent), with the budget codes that make the difference.
    /// </summary>
    private static List<string> Problems(BudgetPlan plan, WriteReport written)
    {
        const int Listed = 20;
        var problems = new List<string>();
        if (written.Failed > 0)
        {
            problems.Add($"{written.Failed} budget line(s) are not in Procore as planned; each line says why");
        }

        problems.AddRange(plan.LeftOutNotes);
        problems.AddRange(plan.DuplicatesInProcore.Select(l => $"{LineRules.DuplicateInProcore}: {l.Reason}"));
        problems.AddRange(plan.AmountsNotMoney.Select(l => $"{LineRules.AmountNotMoney}: {l.Reason}"));
        if (written.ProcoreTotalAfter != plan.Totals.NewProcoreTotal || written.Differences.Count > 0)
        {
            var differences = written.Differences.Take(Listed).Select(d => d.ToString()).ToList();
            var more = written.Differences.Count > Listed ? $" and {written.Differences.Count - Listed} more" : "";
            problems.Add($"Procore's total read back is {Money.Format(written.ProcoreTotalAfter)}, the plan's New Procore total "
                + $"{Money.Format(plan.Totals.NewProcoreTotal)}"
                + (differences.Count > 0 ? $"; budget codes that differ: {string.Join("; ", differences)}{more}" : ""));
        }

        return problems;
    }

    /// <summary>The run's lease as last renewed: releasing needs its latest version.</summary>
    private sealed class HeldLease(JobLease lease)
    {
        public JobLease Lease { get; set; } = lease;
    }

    /// <summary>The run with this attempt's calls added (none where the run's company is not one this deployment serves).</summary>
    private static RunRecord WithCalls(RunRecord run, CallContext? calls) => calls is null ? run : run with
    {
        ProcoreReads = run.ProcoreReads + calls.Meter.ProcoreReads,
        ProcoreWrites = run.ProcoreWrites + calls.Meter.ProcoreWrites,
        SpectrumCalls = run.SpectrumCalls + calls.Meter.SpectrumCalls,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} of job {Job} started ({Trigger}, attempt {Attempt})")]
    private partial void LogStarted(string runId, string job, RunTrigger trigger, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} ended {Status}: {WriteCount} lines written, {FailedCount} refused, {ProcoreCalls} Procore calls")]
    private partial void LogFinished(string runId, RunStatus status, int writeCount, int failedCount, int procoreCalls);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} is already being run by another delivery; this one comes back at {Until:u}")]
    private partial void LogDuplicateDelivery(string runId, DateTimeOffset until);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} waits: run {Holder} holds the job")]
    private partial void LogDeferred(string runId, string holder);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} had already finished ({Status}); nothing to do")]
    private partial void LogAlreadyFinished(string runId, RunStatus status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} waits for Procore's rate limit until {Until:u}")]
    private partial void LogWaitingForRateLimit(string runId, DateTimeOffset until);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} waits for Spectrum's daily {Service} calls, which reset at {ResetAt}")]
    private partial void LogWaitingForSpectrumBudget(string runId, string service, DateTimeOffset resetAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} stopped before its next write: {Reason}")]
    private partial void LogLeaseLost(string runId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} hit a transient failure and will be retried: {Reason}")]
    private partial void LogRetrying(Exception exception, string runId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId} failed: {Reason}")]
    private partial void LogFailed(Exception exception, string runId, string reason);
}
