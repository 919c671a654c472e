using Azure;
using Azure.Data.Tables;
using ErpFunctions.Storage;

namespace ErpFunctions.Webhooks;

/// <summary>What became of a delivery: received, queued, waiting on the queue for Procore's rate limit, or failed with the reason.</summary>
public enum DeliveryState
{
    Received,
    Queued,
    Failed,
    Deferred,
}

/// <summary>
/// Every webhook delivery, by its <c>ulid</c>: a delivery seen before is processed once, and one whose work could not
/// be done keeps the reason (it is not retried, since Procore would only send the same thing again).
/// </summary>
public sealed class WebhookDeliveries(StorageTables tables, TimeProvider time)
{
    private const string Partition = "delivery";

    /// <summary>Records a new delivery; answers its state as it was when this one is a repeat, else null.</summary>
    public async Task<DeliveryState?> RecordAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        try
        {
            await table.AddEntityAsync(new DeliveryRow
            {
                PartitionKey = Partition, RowKey = TableKeys.Encode(delivery.DeliveryId), Resource = delivery.ResourceName,
                Event = delivery.EventType, ResourceId = delivery.ResourceId, ProjectId = delivery.ProjectId, ReceivedAt = time.GetUtcNow(),
                State = nameof(DeliveryState.Received),
            }, cancellationToken);
            return null;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return (await FindAsync(delivery.DeliveryId, cancellationToken))?.State ?? DeliveryState.Received;
        }
    }

    public Task MarkQueuedAsync(string deliveryId, CancellationToken cancellationToken) =>
        MarkAsync(deliveryId, _ => true, DeliveryState.Queued, null, cancellationToken);

    public Task MarkFailedAsync(string deliveryId, string reason, CancellationToken cancellationToken) =>
        MarkAsync(deliveryId, _ => true, DeliveryState.Failed, reason, cancellationToken);

    /// <summary>The delivery's work waits on the queue for Procore's rate limit; <paramref name="reason"/> says until when.</summary>
    public Task MarkDeferredAsync(string deliveryId, string reason, CancellationToken cancellationToken) =>
        MarkAsync(deliveryId, _ => true, DeliveryState.Deferred, reason, cancellationToken);

    /// <summary>The work of a delivery that waited was done: it is queued again (its reason cleared), unless it ended otherwise meanwhile.</summary>
    public Task MarkWaitOverAsync(string deliveryId, CancellationToken cancellationToken) =>
        MarkAsync(deliveryId, state => state == DeliveryState.Deferred, DeliveryState.Queued, null, cancellationToken);

    public async Task<(DeliveryState State, string? Reason)?> FindAsync(string deliveryId, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        return await table.FindAsync<DeliveryRow>(Partition, TableKeys.Encode(deliveryId), cancellationToken) is { } row
            ? (row.StateOf(), row.Reason)
            : null;
    }

    /// <summary>Moves a recorded delivery to <paramref name="state"/> with its reason (none clears it), where <paramref name="when"/> allows.</summary>
    private async Task MarkAsync(string deliveryId, Func<DeliveryState, bool> when, DeliveryState state, string? reason,
        CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        await table.ChangeAsync<DeliveryRow>(Partition, TableKeys.Encode(deliveryId), current =>
        {
            var row = current ?? new DeliveryRow();
            if (!when(row.StateOf()))
            {
                return null;
            }

            (row.State, row.Reason, row.ChangedAt) = (state.ToString(), reason, time.GetUtcNow());
            return row;
        }, cancellationToken);
    }

    private Task<TableClient> Table(CancellationToken cancellationToken) => tables.GetAsync(StorageTables.Deliveries, cancellationToken);
}

internal sealed class DeliveryRow : TableRow
{
    public string? Resource { get; set; }
    public string? Event { get; set; }
    public long? ResourceId { get; set; }
    public long? ProjectId { get; set; }
    public DateTimeOffset? ReceivedAt { get; set; }
    public string? State { get; set; }
    public string? Reason { get; set; }
    public DateTimeOffset? ChangedAt { get; set; }

    public DeliveryState StateOf() => Enum.TryParse<DeliveryState>(State, out var state) ? state : DeliveryState.Received;
}
