using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using ErpFunctions.Storage;
using Microsoft.Extensions.Options;

namespace ErpFunctions.LocalRunner;

/// <summary>
/// A queue trigger with the semantics host.json gives the Functions runtime: up to <c>batchSize</c> messages at once,
/// polling backed off up to <c>maxPollingInterval</c>, a failed message made visible again after
/// <c>visibilityTimeout</c>, and moved to <c>&lt;queue&gt;-poison</c> once it has failed <c>maxDequeueCount</c> times.
/// </summary>
public sealed partial class QueueListener(
    FunctionEntry function,
    string queueName,
    HostSettings settings,
    IServiceProvider services,
    IOptions<StorageOptions> storage,
    ILogger<QueueListener> logger) : BackgroundService
{
    /// <summary>The runtime keeps a message invisible while its function runs, renewing as needed; one lease covers a run here.</summary>
    private static readonly TimeSpan InvocationLease = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan MinimumPollingInterval = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = new QueueClientOptions { MessageEncoding = settings.MessageEncoding };
        var queue = new QueueClient(storage.Value.ConnectionString, queueName, options);
        var poison = new QueueClient(storage.Value.ConnectionString, queueName + "-poison", options);
        await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
        LogListening(function.Name, queueName);

        var delay = MinimumPollingInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            QueueMessage[] messages;
            try
            {
                messages = (await queue.ReceiveMessagesAsync(settings.BatchSize, InvocationLease, stoppingToken)).Value;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPollFailed(queueName, e.Message);
                messages = [];
            }

            if (messages.Length == 0)
            {
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, settings.MaxPollingInterval.Ticks));
                continue;
            }

            delay = MinimumPollingInterval;
            await Task.WhenAll(messages.Select(m => ProcessAsync(queue, poison, m, stoppingToken)));
        }
    }

    private async Task ProcessAsync(QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken stoppingToken)
    {
        if (message.DequeueCount > settings.MaxDequeueCount)
        {
            await MoveToPoisonAsync(queue, poison, message, stoppingToken);
            return;
        }

        try
        {
            await FunctionInvoker.InvokeAsync(services, function, p =>
                p.ParameterType == typeof(QueueMessage) ? message
                : p.ParameterType == typeof(string) ? message.Body.ToString()
                : p.ParameterType == typeof(BinaryData) ? message.Body
                : p.ParameterType == typeof(CancellationToken) ? stoppingToken
                : throw new NotSupportedException($"The local runner cannot bind {p.ParameterType.Name} for a queue trigger."));
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            LogFailed(function.Name, message.MessageId, message.DequeueCount, e.Message);
            if (message.DequeueCount >= settings.MaxDequeueCount)
            {
                await MoveToPoisonAsync(queue, poison, message, CancellationToken.None);
            }
            else
            {
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: settings.VisibilityTimeout,
                    cancellationToken: CancellationToken.None);
            }
        }
    }

    private async Task MoveToPoisonAsync(QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken cancellationToken)
    {
        if (queueName.EndsWith("-poison", StringComparison.Ordinal))
        {
            // As the runtime does: a poison queue has no poison queue; the message is left for a person to look at.
            await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.FromHours(1),
                cancellationToken: cancellationToken);
            return;
        }

        await poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await poison.SendMessageAsync(message.Body, cancellationToken: cancellationToken);
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
        LogPoisoned(message.MessageId, settings.MaxDequeueCount, poison.Name);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Function} listens on queue {Queue}")]
    private partial void LogListening(string function, string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling queue {Queue} failed: {Reason}")]
    private partial void LogPollFailed(string queue, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Function} failed on message {MessageId} (delivery {DequeueCount}): {Reason}")]
    private partial void LogFailed(string function, string messageId, long dequeueCount, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {MessageId} has reached MaxDequeueCount of {MaxDequeueCount}. Moving message to queue '{Poison}'.")]
    private partial void LogPoisoned(string messageId, int maxDequeueCount, string poison);
}
