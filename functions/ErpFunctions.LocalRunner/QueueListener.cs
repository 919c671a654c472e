using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using ErpFunctions.Storage;
using Microsoft.Extensions.Options;

namespace ErpFunctions.LocalRunner;

/// <summary>
/// A queue trigger with the semantics host.json gives the Functions runtime: up to <c>batchSize</c> messages at once,
/// polling backed off up to <c>maxPollingInterval</c>, each message kept invisible while its function runs (renewed
/// halfway through every lease, as the runtime does), a failed message made visible again after
/// <c>visibilityTimeout</c>, and moved to <c>&lt;queue&gt;-poison</c> once it has failed <c>maxDequeueCount</c> times.
/// A message whose pop receipt went stale (it reappeared and was taken by another listener) is left to that listener.
/// </summary>
public sealed partial class QueueListener(
    FunctionEntry function,
    string queueName,
    HostSettings settings,
    IServiceProvider services,
    StorageAccount storage,
    IOptions<RunnerOptions> runner,
    TimeProvider time,
    ILogger<QueueListener> logger) : BackgroundService
{
    private static readonly TimeSpan MinimumPollingInterval = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queue = storage.Queue(queueName, settings.MessageEncoding);
        var poison = storage.Queue(queueName + "-poison", settings.MessageEncoding);
        LogListening(function.Name, queueName);

        // The queue is made on the first poll that reaches storage: an outage at start-up is backed off like any other,
        // rather than stopping the host.
        var created = false;
        var delay = MinimumPollingInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            QueueMessage[] messages;
            try
            {
                if (!created)
                {
                    await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
                    created = true;
                }

                messages = (await queue.ReceiveMessagesAsync(settings.BatchSize, runner.Value.MessageLease, stoppingToken)).Value;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPollFailed(queueName, e.Message);
                messages = [];
            }

            if (messages.Length == 0)
            {
                await Task.Delay(delay, time, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, settings.MaxPollingInterval.Ticks));
                continue;
            }

            delay = MinimumPollingInterval;
            await Task.WhenAll(messages.Select(m => ProcessAsync(queue, poison, m, stoppingToken)));
        }
    }

    private async Task ProcessAsync(QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken stoppingToken)
    {
        var held = new HeldMessage(message.MessageId, message.PopReceipt);
        if (message.DequeueCount > settings.MaxDequeueCount)
        {
            await SettleAsync(held, () => MoveToPoisonAsync(queue, poison, message, held, CancellationToken.None));
            return;
        }

        try
        {
            await InvokeAsync(queue, message, held, stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            LogFailed(function.Name, message.MessageId, message.DequeueCount, e.Message);
            await SettleAsync(held, () => message.DequeueCount >= settings.MaxDequeueCount
                ? MoveToPoisonAsync(queue, poison, message, held, CancellationToken.None)
                : queue.UpdateMessageAsync(held.MessageId, held.PopReceipt, visibilityTimeout: settings.VisibilityTimeout));
            return;
        }

        await SettleAsync(held, () => queue.DeleteMessageAsync(held.MessageId, held.PopReceipt));
    }

    /// <summary>
    /// Completes, releases or poisons a message. When storage cannot be told (a stale pop receipt, an outage) the message
    /// simply reappears once its visibility ends, as the queue guarantees; the listener goes on either way.
    /// </summary>
    private async Task SettleAsync(HeldMessage held, Func<Task> settle)
    {
        try
        {
            await settle();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogNotSettled(held.MessageId, Describe(e));
        }
    }

    /// <summary>Runs the function while a companion task pushes the message's visibility out before each lease ends.</summary>
    private async Task InvokeAsync(QueueClient queue, QueueMessage message, HeldMessage held, CancellationToken stoppingToken)
    {
        using var invocation = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var keeping = KeepInvisibleAsync(queue, held, invocation.Token);
        try
        {
            await FunctionInvoker.InvokeAsync(services, function, p =>
                p.ParameterType == typeof(QueueMessage) ? message
                : p.ParameterType == typeof(string) ? message.Body.ToString()
                : p.ParameterType == typeof(BinaryData) ? message.Body
                : p.ParameterType == typeof(CancellationToken) ? stoppingToken
                : throw new NotSupportedException($"The local runner cannot bind {p.ParameterType.Name} for a queue trigger."));
        }
        finally
        {
            await invocation.CancelAsync();
            await keeping;
        }
    }

    private async Task KeepInvisibleAsync(QueueClient queue, HeldMessage held, CancellationToken cancellationToken)
    {
        var lease = runner.Value.MessageLease;
        try
        {
            while (true)
            {
                await Task.Delay(lease / 2, time, cancellationToken);
                try
                {
                    var renewed = await queue.UpdateMessageAsync(held.MessageId, held.PopReceipt, visibilityTimeout: lease,
                        cancellationToken: cancellationToken);
                    held.PopReceipt = renewed.Value.PopReceipt;
                    LogRenewed(held.MessageId, renewed.Value.NextVisibleOn);
                }
                catch (Exception e) when (e is not OperationCanceledException && !IsStale(e))
                {
                    LogNotRenewed(held.MessageId, Describe(e));
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (RequestFailedException stale) when (IsStale(stale))
        {
            LogNotSettled(held.MessageId, Describe(stale));
        }
    }

    /// <summary>The message is no longer this listener's: deleted, or received again by someone else.</summary>
    private static bool IsStale(Exception e) => e is RequestFailedException { Status: 404 or 400 };

    private static string Describe(Exception e) => IsStale(e) ? "its pop receipt is stale" : e.Message;

    private async Task MoveToPoisonAsync(QueueClient queue, QueueClient poison, QueueMessage message, HeldMessage held,
        CancellationToken cancellationToken)
    {
        if (queueName.EndsWith("-poison", StringComparison.Ordinal))
        {
            // As the runtime does: a poison queue has no poison queue; the message is left for a person to look at.
            await queue.UpdateMessageAsync(held.MessageId, held.PopReceipt, visibilityTimeout: TimeSpan.FromHours(1),
                cancellationToken: cancellationToken);
            return;
        }

        await poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await poison.SendMessageAsync(message.Body, cancellationToken: cancellationToken);
        await queue.DeleteMessageAsync(held.MessageId, held.PopReceipt, cancellationToken);
        LogPoisoned(message.MessageId, settings.MaxDequeueCount, poison.Name);
    }

    /// <summary>A message being handled, with the pop receipt of its latest visibility renewal.</summary>
    private sealed class HeldMessage(string messageId, string popReceipt)
    {
        public string MessageId { get; } = messageId;
        public string PopReceipt { get; set; } = popReceipt;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Function} listens on queue {Queue}")]
    private partial void LogListening(string function, string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling queue {Queue} failed: {Reason}")]
    private partial void LogPollFailed(string queue, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Message {MessageId} kept invisible until {NextVisibleOn:u}")]
    private partial void LogRenewed(string messageId, DateTimeOffset nextVisibleOn);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} could not be kept invisible ({Reason}); tried again at the next renewal")]
    private partial void LogNotRenewed(string messageId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} could not be settled ({Reason}); it reappears when its visibility ends")]
    private partial void LogNotSettled(string messageId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Function} failed on message {MessageId} (delivery {DequeueCount}): {Reason}")]
    private partial void LogFailed(string function, string messageId, long dequeueCount, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {MessageId} has reached MaxDequeueCount of {MaxDequeueCount}. Moving message to queue '{Poison}'.")]
    private partial void LogPoisoned(string messageId, int maxDequeueCount, string poison);
}
