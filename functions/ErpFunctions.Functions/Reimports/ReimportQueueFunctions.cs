using Azure.Storage.Queues.Models;
using ErpFunctions.Diagnostics;
using ErpFunctions.Overview;
using ErpFunctions.Queueing;
using ErpFunctions.Reimport;
using ErpFunctions.Webhooks;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace ErpFunctions.Functions.Reimports;

/// <summary>
/// The queue side: each kind of message goes to its own handler (a failure leaves it to the queue: retried after
/// host.json's visibility timeout, up to <c>maxDequeueCount</c>); the poison trigger tells that handler the queue gave up.
/// </summary>
public sealed partial class ReimportQueueFunctions(
    ReimportRunner runs,
    ErpRequestIntake erpRequests,
    ProjectEventIntake projectEvents,
    PreflightRunner preflights,
    ILogger<ReimportQueueFunctions> logger)
{
    [Function("ReimportWorker")]
    public async Task Run(
        [QueueTrigger("%Reimport:QueueName%", Connection = "AzureWebJobsStorage")] QueueMessage message,
        CancellationToken cancellationToken)
    {
        if (Read(message) is { } work)
        {
            LogReceived(message.MessageId, work.Kind, message.DequeueCount);
            using var span = Telemetry.Continue("Worker " + work.Kind, work.TraceParent, work.TraceState);
            span?.SetTag(Telemetry.CorrelationIdTag, work.CorrelationId);
            span?.SetTag(Telemetry.RunIdTag, work.RunId);
            await HandlerOf(work).HandleAsync(work, cancellationToken);
        }
    }

    [Function("ReimportPoison")]
    public async Task Poison(
        [QueueTrigger("%Reimport:QueueName%-poison", Connection = "AzureWebJobsStorage")] QueueMessage message,
        CancellationToken cancellationToken)
    {
        if (Read(message) is { } work)
        {
            await HandlerOf(work).GiveUpAsync(work, cancellationToken);
        }
    }

    private IWorkHandler HandlerOf(ReimportMessage work) => work.Kind switch
    {
        ReimportMessageKind.Run => runs,
        ReimportMessageKind.ErpRequest => erpRequests,
        ReimportMessageKind.Preflight => preflights,
        _ => projectEvents,
    };

    /// <summary>A body that is no message cannot succeed on retry: it is logged and completed, not poisoned.</summary>
    private ReimportMessage? Read(QueueMessage message)
    {
        try
        {
            return ReimportMessage.Parse(message.Body.ToString());
        }
        catch (FormatException e)
        {
            LogUnreadable(message.MessageId, e.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue message {MessageId} ({Kind}), delivery {DequeueCount}")]
    private partial void LogReceived(string messageId, ReimportMessageKind kind, long dequeueCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "Queue message {MessageId} is unreadable and was dropped: {Reason}")]
    private partial void LogUnreadable(string messageId, string reason);
}
