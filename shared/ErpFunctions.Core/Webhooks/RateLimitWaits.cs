using ErpFunctions.Companies;
using ErpFunctions.Procore;
using ErpFunctions.Queueing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Webhooks;

/// <summary>
/// Webhook work that meets Procore's spent rate limit waits on the queue as a run does: its message is put back,
/// invisible until the limit resets, and its delivery says until when. Waiting never fails the message, so throttling
/// never sends webhook work to the poison queue.
/// </summary>
public sealed partial class RateLimitWaits(
    ReimportQueue queue,
    WebhookDeliveries deliveries,
    IOptions<ReimportOptions> options,
    TimeProvider time,
    ILogger<RateLimitWaits> logger)
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
            // The delivery says it waits before the message is put back: should saying so fail, the message is retried
            // rather than done twice.
            if (message.DeliveryId is { } delivery)
            {
                await deliveries.MarkDeferredAsync(delivery, $"Waiting for Procore's rate limit until {until.UtcDateTime:HH:mm} UTC", cancellationToken);
            }

            var delay = ReimportQueue.DelayUntil(until, time.GetUtcNow(), options.Value.DeferDelay);
            await queue.SendAsync(message with { WaitedUntil = until }, delay, cancellationToken);
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
