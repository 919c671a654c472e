using ErpFunctions.Companies;
using ErpFunctions.Diagnostics;
using ErpFunctions.Queueing;
using ErpFunctions.Runs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Reimport;

/// <summary>
/// The worker's handler for a queued run: writes the run's row from its message if the request could not, runs it,
/// puts it back on the queue while it must wait (another run holds the job: after <c>DeferDelay</c>; Procore's rate limit
/// is spent: until it resets), and closes out the ERP requests that asked for it once it is finished. Waiting never
/// fails the message, so throttling never reaches the poison queue.
/// </summary>
public sealed partial class ReimportRunner(
    ReimportEngine engine,
    RunStore runs,
    ReimportQueue queue,
    ErpCloseOut closeOut,
    IOptions<ReimportOptions> options,
    TimeProvider time,
    ILogger<ReimportRunner> logger) : IWorkHandler
{
    public async Task HandleAsync(ReimportMessage message, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginCorrelationScope(message.CorrelationId, message.RunId);
        if (!await EnsureRunAsync(message, cancellationToken))
        {
            return;
        }

        var result = await engine.RunAsync(message.RunId!, cancellationToken);
        if (result.Outcome == RunOutcome.Deferred)
        {
            await queue.SendAsync(RunMessages.For(result.Run), Delay(result.DeferUntil), cancellationToken);
            return;
        }

        await closeOut.CloseOutAsync(result.Run, cancellationToken);
    }

    /// <summary>The queue gave up on the run after its dequeue limit: the run is failed with its last error.</summary>
    public async Task GiveUpAsync(ReimportMessage message, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginCorrelationScope(message.CorrelationId, message.RunId);
        LogGaveUp(message.RunId!);
        if (!await EnsureRunAsync(message, cancellationToken))
        {
            return;
        }

        var run = await engine.GiveUpAsync(message.RunId!, "The re-import queue gave up on this run after repeated failures.", cancellationToken);
        await closeOut.CloseOutAsync(run, cancellationToken);
    }

    /// <summary>A run whose row the request could not write is written from its message; answers whether there is a run.</summary>
    private async Task<bool> EnsureRunAsync(ReimportMessage message, CancellationToken cancellationToken)
    {
        if (await runs.FindAsync(message.RunId!, cancellationToken) is not null)
        {
            return true;
        }

        if (RunMessages.RunOf(message) is not { } run)
        {
            LogNoRun(message.RunId!);
            return false;
        }

        await runs.CreateAsync(run, cancellationToken);
        LogRecovered(run.RunId, run.Job);
        return true;
    }

    private TimeSpan Delay(DateTimeOffset? until)
    {
        var now = time.GetUtcNow();
        return ReimportQueue.DelayUntil(until ?? now + options.Value.DeferDelay, now, options.Value.DeferDelay);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The queue gave up on run {RunId}")]
    private partial void LogGaveUp(string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} of job {Job} had no row (its request stopped after sending it); written from its message")]
    private partial void LogRecovered(string runId, string job);

    [LoggerMessage(Level = LogLevel.Error, Message = "There is no run {RunId}, and its message does not carry the request to write one; dropped")]
    private partial void LogNoRun(string runId);
}
