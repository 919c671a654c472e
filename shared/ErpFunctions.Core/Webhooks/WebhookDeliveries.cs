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
        var key = TableKeys.Encode(delivery.DeliveryId);
        try
        {
            await table.AddEntityAsync(new TableEntity(Partition, key)
            {
                ["Resource"] = delivery.ResourceName, ["Event"] = delivery.EventType, ["ResourceId"] = delivery.ResourceId,
                ["ProjectId"] = delivery.ProjectId, ["ReceivedAt"] = time.GetUtcNow(), ["State"] = nameof(DeliveryState.Received),
            }, cancellationToken);
            return null;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return (await FindAsync(delivery.DeliveryId, cancellationToken))?.State ?? DeliveryState.Received;
        }
    }

    public Task MarkQueuedAsync(string deliveryId, CancellationToken cancellationToken) =>
        MarkAsync(deliveryId, DeliveryState.Queued, null, cancellationToken);

    public Task MarkFailedAsync(string deliveryId, string reason, CancellationToken cancellationToken) =>
        MarkAsync(deliveryId, DeliveryState.Failed, reason, cancellationToken);

    /// <summary>The delivery's work waits on the queue for Procore's rate limit; <paramref name="reason"/> says until when.</summary>
    public Task MarkDeferredAsync(string deliveryId, string reason, CancellationToken cancellationToken) =>
        MarkAsync(deliveryId, DeliveryState.Deferred, reason, cancellationToken);

    /// <summary>The work of a delivery that waited was done: it is queued again, unless it ended otherwise meanwhile.</summary>
    public async Task MarkWaitOverAsync(string deliveryId, CancellationToken cancellationToken)
    {
        if ((await FindAsync(deliveryId, cancellationToken))?.State == DeliveryState.Deferred)
        {
            await MarkQueuedAsync(deliveryId, cancellationToken);
        }
    }

    public async Task<(DeliveryState State, string? Reason)?> FindAsync(string deliveryId, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(Partition, TableKeys.Encode(deliveryId), cancellationToken: cancellationToken);
        return found.HasValue
            ? (Enum.TryParse<DeliveryState>(found.Value!.GetString("State"), out var state) ? state : DeliveryState.Received, found.Value.GetString("Reason"))
            : null;
    }

    private async Task MarkAsync(string deliveryId, DeliveryState state, string? reason, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(Partition, TableKeys.Encode(deliveryId))
        {
            ["State"] = state.ToString(), ["Reason"] = reason, ["ChangedAt"] = time.GetUtcNow(),
        }, TableUpdateMode.Merge, cancellationToken);
    }

    private Task<TableClient> Table(CancellationToken cancellationToken) => tables.GetAsync(StorageTables.Deliveries, cancellationToken);
}
