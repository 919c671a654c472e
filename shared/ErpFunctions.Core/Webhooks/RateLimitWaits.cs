using ErpFunctions.Procore;
using ErpFunctions.Queueing;
using Microsoft.Extensions.Logging;

namespace ErpFunctions.Webhooks;

/// <summary>
/// Webhook work that meets Procore's spent rate limit waits on the queue as a run does: its message is put back,
/// invisible until the limit resets, and its delivery says until when. Waiting never fails the message, so throttling
/// never sends webhook work to the poison queue.
/// </summary>
public sealed partial class RateLimitWaits(ReimportQueue queue, WebhookDeliveries deliveries, TimeProvider time, ILogger<RateLimitWaits> logger)
{
    /// <summary>Does the message's <paramref name="work"/>, or puts the message back to wait where Procore's rate limit is spent.</summary>
    public async Task DoOrWaitAsync(ReimportMessage message, Func<Task> work, CancellationToken cancellationToken)
    {
        try
        {
            await work();
        }
        catch (ProcoreRateLimitedException limited) when (!cancellationToken.IsCancellationRequested)
        {
            var until = limited.RetryAt;
            LogWaiting(message.Kind, message.DeliveryId, until);
            await queue.SendAsync(message with { WaitedUntil = until }, ReimportQueue.DelayUntil(until, time.GetUtcNow(), TimeSpan.Zero),
                cancellationToken);
            if (message.DeliveryId is { } delivery)
            {
                await deliveries.MarkDeferredAsync(delivery, $"Waiting for Procore's rate limit until {until.UtcDateTime:HH:mm} UTC", cancellationToken);
            }

            return;
        }

        if (message is { WaitedUntil: not null, DeliveryId: { } waited })
        {
            await deliveries.MarkWaitOverAsync(waited, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} work of delivery {DeliveryId} waits for Procore's rate limit until {Until:u}")]
    private partial void LogWaiting(ReimportMessageKind kind, string? deliveryId, DateTimeOffset until);
}
