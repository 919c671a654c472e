using ErpFunctions.Budgets;
using ErpFunctions.Companies;
using ErpFunctions.Diagnostics;
using ErpFunctions.Domain.Jobs;
using ErpFunctions.Failures;
using ErpFunctions.Procore;
using ErpFunctions.Queueing;
using ErpFunctions.Reimport;
using ErpFunctions.Spectrum;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Overview;

/// <summary>
/// The worker's handler for a preflight: works out each linked job's totals and availability as a preview does (no
/// lease, no write to Procore), saving its place after every job. Spectrum's calls count as background work, within
/// <c>Preflight:ShareOfDailySpectrumBudget</c>; when that share or Procore's rate limit is spent, it waits on the queue
/// and goes on after the last job it checked. A job that cannot be checked is recorded with why, and the others go on.
/// </summary>
public sealed partial class PreflightRunner(
    ICompanies companies,
    Preflights preflights,
    BudgetPreviews previews,
    BudgetSnapshots snapshots,
    ReimportQueue queue,
    IOptions<PreflightOptions> options,
    TimeProvider time,
    ILogger<PreflightRunner> logger) : IWorkHandler
{
    public async Task HandleAsync(ReimportMessage message, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginCorrelationScope(message.CorrelationId);
        var company = companies.Of(message);
        if (await preflights.CurrentAsync(company, cancellationToken) is not { IsActive: true } state || state.Id != message.PreflightId)
        {
            return;
        }

        var calls = CallContext.InBackground(company, options.Value.ShareOfDailySpectrumBudget);
        var startedAt = time.GetUtcNow();
        if (await SaveAsync(state with { Status = PreflightStatus.Running, WaitingUntil = null, StatusText = Checking(state) }) is not { } running)
        {
            return;
        }

        state = running;
        await foreach (var entry in preflights.JobsAsync(company, state.OnlyUnchecked, state.ResumeAfter, cancellationToken))
        {
            if (time.GetUtcNow() - startedAt > options.Value.MaxDuration)
            {
                await queue.SendAsync(message, null, cancellationToken);
                return;
            }

            DateTimeOffset? waitUntil = null;
            string? failure = null;
            try
            {
                await CheckAsync(calls, entry, cancellationToken);
            }
            catch (SpectrumCallBudgetSpentException spent)
            {
                waitUntil = spent.ResetAt;
                failure = $"Waiting for Spectrum's daily call budget until {spent.ResetAt.UtcDateTime:HH:mm} UTC";
            }
            catch (ProcoreRateLimitedException limited)
            {
                waitUntil = limited.RetryAt;
                failure = $"Waiting for Procore's rate limit until {limited.RetryAt.UtcDateTime:HH:mm} UTC";
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Whatever stops one job (an outage, an answer the app cannot read) is recorded on it; the next goes on,
                // so that no job can hold the preflight back for good.
                LogJobFailed(e, entry.Job, e.Message);
                await RecordProblemAsync(entry, FailureKinds.Explain(e), cancellationToken);
                if (await SaveAsync(state with { Done = state.Done + 1, Failed = state.Failed + 1, ResumeAfter = entry.Job }) is not { } failed)
                {
                    return;
                }

                state = failed;
                continue;
            }

            if (waitUntil is { } until)
            {
                LogWaiting(state.Id, failure!);
                if (await SaveAsync(state with { Status = PreflightStatus.Waiting, WaitingUntil = until, StatusText = failure! }) is not null)
                {
                    await queue.SendAsync(message, Max(until - time.GetUtcNow(), TimeSpan.Zero), cancellationToken);
                }

                return;
            }

            var done = state with { Done = state.Done + 1, ResumeAfter = entry.Job };
            if (await SaveAsync(done with { StatusText = Checking(done) }) is not { } progressed)
            {
                return;
            }

            state = progressed;
        }

        var finished = await SaveAsync(state with
        {
            Status = PreflightStatus.Finished, FinishedAt = time.GetUtcNow(),
            StatusText = $"Checked {state.Done} job(s)" + (state.Failed > 0 ? $"; {state.Failed} could not be checked, each says why" : ""),
        });
        if (finished is not null)
        {
            LogFinished(finished.Id, finished.Done, finished.Failed);
        }
    }

    /// <summary>The queue gave up on the preflight: it ends, saying so, and the next request starts another.</summary>
    public async Task GiveUpAsync(ReimportMessage message, CancellationToken cancellationToken)
    {
        if (await preflights.CurrentAsync(companies.Of(message), cancellationToken) is { IsActive: true } state && state.Id == message.PreflightId)
        {
            await preflights.SaveAsync(state with
            {
                Status = PreflightStatus.Finished, FinishedAt = time.GetUtcNow(),
                StatusText = $"Stopped after {state.Done} of {state.Total} job(s): the queue gave up after repeated failures",
            }, cancellationToken);
        }
    }

    private async Task CheckAsync(CallContext calls, JobListing entry, CancellationToken cancellationToken)
    {
        if (JobNumber.TryParse(entry.Job, out var job)
            && await previews.PreviewAsync(calls, job, operatorAccess: null, cancellationToken) is JobResult<PreviewResult>.UnknownJob unknown)
        {
            await RecordProblemAsync(entry, unknown.Reason, cancellationToken);
        }
    }

    /// <summary>Marks the job checked with why its totals could not be worked out, so that the list shows it and stops asking.</summary>
    private Task RecordProblemAsync(JobListing entry, string problem, CancellationToken cancellationToken) =>
        snapshots.ChangeAsync(entry.Company, entry.Job,
            stored => (stored ?? new BudgetSnapshot()) with { RefreshedAt = time.GetUtcNow(), RefreshProblem = problem }, cancellationToken);

    /// <summary>Saves progress; null when another writer replaced the preflight meanwhile (a new one started): this one stops.</summary>
    private async Task<PreflightState?> SaveAsync(PreflightState state)
    {
        var saved = await preflights.SaveAsync(state, CancellationToken.None);
        if (saved is null)
        {
            LogReplaced(state.Id);
        }

        return saved;
    }

    private static string Checking(PreflightState state) => $"Checking job {Math.Min(state.Done + 1, state.Total)} of {state.Total}";

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    [LoggerMessage(Level = LogLevel.Information, Message = "Preflight {PreflightId} was replaced by a newer one and stops")]
    private partial void LogReplaced(string preflightId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Preflight could not check job {Job}: {Reason}")]
    private partial void LogJobFailed(Exception exception, string job, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Preflight {PreflightId} waits: {Reason}")]
    private partial void LogWaiting(string preflightId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Preflight {PreflightId} finished: {Done} jobs checked, {Failed} could not be")]
    private partial void LogFinished(string preflightId, int done, int failed);
}
