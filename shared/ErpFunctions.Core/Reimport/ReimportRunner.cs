using ErpFunctions.Diagnostics;
using ErpFunctions.Queueing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Reimport;

/// <summary>
/// The worker's handler for a queued run: runs it, puts it back on the queue (after <c>DeferDelay</c>) while another
/// run holds the job, and closes out the ERP request that asked for it once it is finished.
/// </summary>
public sealed partial class ReimportRunner(
    ReimportEngine engine,
    ReimportQueue queue,
    ErpCloseOut closeOut,
    IOptions<ReimportOptions> options,
    ILogger<ReimportRunner> logger) : IWorkHandler
{
    public async Task HandleAsync(ReimportMessage message, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginCorrelationScope(message.CorrelationId, message.RunId);
        var result = await engine.RunAsync(message.RunId!, cancellationToken);
        if (result.Outcome == RunOutcome.Deferred)
        {
            await queue.SendAsync(message, options.Value.DeferDelay, cancellationToken);
            return;
        }

        await closeOut.CloseOutAsync(result.Run, cancellationToken);
    }

    /// <summary>The queue gave up on the run after its dequeue limit: the run is failed with its last error.</summary>
    public async Task GiveUpAsync(ReimportMessage message, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginCorrelationScope(message.CorrelationId, message.RunId);
        LogGaveUp(message.RunId!);
        var run = await engine.GiveUpAsync(message.RunId!, "The re-import queue gave up on this run after repeated failures.", cancellationToken);
        await closeOut.CloseOutAsync(run, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The queue gave up on run {RunId}")]
    private partial void LogGaveUp(string runId);
}
