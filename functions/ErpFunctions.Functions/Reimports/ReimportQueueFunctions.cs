using Azure.Storage.Queues.Models;
using ErpFunctions.Queueing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace ErpFunctions.Functions.Reimports;

/// <summary>
/// The queue side: the worker runs each message (a failure leaves it to the queue: retried after host.json's
/// visibility timeout, up to <c>maxDequeueCount</c>); the poison trigger fails the run once the queue gives up.
/// </summary>
public sealed partial class ReimportQueueFunctions(ReimportWorker worker, ILogger<ReimportQueueFunctions> logger)
{
    [Function("ReimportWorker")]
    public async Task Run(
        [QueueTrigger("%Reimport:QueueName%", Connection = "AzureWebJobsStorage")] QueueMessage message,
        CancellationToken cancellationToken)
    {
        if (Read(message) is { } request)
        {
            LogReceived(message.MessageId, request.Kind, message.DequeueCount);
            await worker.HandleAsync(request, cancellationToken);
        }
    }

    [Function("ReimportPoison")]
    public async Task Poison(
        [QueueTrigger("%Reimport:QueueName%-poison", Connection = "AzureWebJobsStorage")] QueueMessage message,
        CancellationToken cancellationToken)
    {
        if (Read(message) is { } request)
        {
            await worker.GiveUpAsync(request, cancellationToken);
        }
    }

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
