using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ErpFunctions.Queueing;
using ErpFunctions.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Webhooks;

public enum WebhookOutcome
{
    Unauthorized,
    Invalid,
    Duplicate,
    Queued,
    Ignored,
}

public sealed record WebhookResult(WebhookOutcome Outcome, string Reason);

/// <summary>One Procore webhook delivery (payload v2/v3, and v4 with string ids and <c>reason</c>/<c>resource_type</c>).</summary>
public sealed record WebhookDelivery(string DeliveryId, string ResourceName, string EventType, long? ResourceId, long? ProjectId,
    long? UserId, long? SourceApplicationId)
{
    public static WebhookDelivery? Parse(JsonElement root)
    {
        string? Text(params string[] names) => names.Select(n => root.TryGetProperty(n, out var v) ? v : default)
            .Where(v => v.ValueKind is JsonValueKind.String or JsonValueKind.Number)
            .Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText()).FirstOrDefault();
        long? Number(params string[] names) => long.TryParse(Text(names), out var n) ? n : null;
        long? Metadata(string name) => root.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object
            && m.TryGetProperty(name, out var v) && v.TryGetInt64(out var n) ? n : null;

        var id = Text("ulid", "id");
        var resource = Text("resource_name", "resource_type");
        var action = Text("event_type", "reason");
        return id is null || resource is null || action is null
            ? null
            : new WebhookDelivery(id, resource, action, Number("resource_id"), Number("project_id"),
                Metadata("source_user_id") ?? Number("user_id"), Metadata("source_application_id"));
    }
}

/// <summary>
/// Answers Procore's deliveries within its 5-second window by only checking, recording and queueing: the secret is
/// compared in constant time, each delivery is recorded by its <c>ulid</c> so a repeated delivery is processed once,
/// and the work (fetching an ERP request, finding a project's job) is left to the queue worker.
/// </summary>
public sealed partial class ProcoreWebhookHandler(
    IOptions<WebhookOptions> options,
    StorageTables tables,
    ReimportQueue queue,
    TimeProvider time,
    ILogger<ProcoreWebhookHandler> logger)
{
    public const string ErpRequests = "ERP Requests";
    private const string Partition = "delivery";

    public async Task<WebhookResult> HandleAsync(string? authorization, string body, string correlationId, CancellationToken cancellationToken)
    {
        if (!Authorized(authorization))
        {
            LogRefused();
            return new(WebhookOutcome.Unauthorized, "The Authorization header does not match the hook's secret.");
        }

        WebhookDelivery? delivery;
        try
        {
            using var document = JsonDocument.Parse(body);
            delivery = document.RootElement.ValueKind == JsonValueKind.Object ? WebhookDelivery.Parse(document.RootElement) : null;
        }
        catch (JsonException e)
        {
            return new(WebhookOutcome.Invalid, $"The body is not JSON: {e.Message}");
        }

        if (delivery is null)
        {
            return new(WebhookOutcome.Invalid, "The body lacks ulid/id, resource_name and event_type.");
        }

        var message = ToMessage(delivery, correlationId);
        var table = await tables.GetAsync(StorageTables.Deliveries, cancellationToken);
        var key = TableKeys.Encode(delivery.DeliveryId);
        try
        {
            await table.AddEntityAsync(new TableEntity(Partition, key)
            {
                ["Resource"] = delivery.ResourceName, ["Event"] = delivery.EventType, ["ResourceId"] = delivery.ResourceId,
                ["ProjectId"] = delivery.ProjectId, ["ReceivedAt"] = time.GetUtcNow(), ["Queued"] = false,
            }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var seen = await table.GetEntityAsync<TableEntity>(Partition, key, cancellationToken: cancellationToken);
            if (message is null || seen.Value.GetBoolean("Queued") == true)
            {
                LogDuplicate(delivery.DeliveryId);
                return new(WebhookOutcome.Duplicate, $"Delivery {delivery.DeliveryId} was already received.");
            }
        }

        if (message is null)
        {
            LogIgnored(delivery.ResourceName, delivery.EventType, delivery.DeliveryId);
            return new(WebhookOutcome.Ignored, $"{delivery.ResourceName}/{delivery.EventType} does not ask for a re-import.");
        }

        await queue.SendAsync(message, null, cancellationToken);
        await table.UpdateEntityAsync(new TableEntity(Partition, key) { ["Queued"] = true }, ETag.All, TableUpdateMode.Merge, cancellationToken);
        LogQueued(delivery.ResourceName, delivery.EventType, delivery.DeliveryId);
        return new(WebhookOutcome.Queued, $"{delivery.ResourceName}/{delivery.EventType} queued.");
    }

    private ReimportMessage? ToMessage(WebhookDelivery delivery, string correlationId)
    {
        var settings = options.Value;
        if (delivery.ResourceName == ErpRequests && delivery.EventType == "create" && delivery.ResourceId is { } requestId)
        {
            return new ReimportMessage(ReimportMessageKind.ErpRequest, correlationId, ErpRequestId: requestId);
        }

        var pair = $"{delivery.ResourceName}/{delivery.EventType}";
        var ownChange = delivery.UserId is { } user && settings.IgnoreUserIds.Contains(user);
        return settings.ReimportTriggers.Contains(pair, StringComparer.OrdinalIgnoreCase) && !ownChange && delivery.ProjectId is { } project
            ? new ReimportMessage(ReimportMessageKind.ProjectEvent, correlationId, ProjectId: project, Event: pair)
            : null;
    }

    private bool Authorized(string? authorization)
    {
        var settings = options.Value;
        var given = authorization ?? "";
        return new[] { settings.Secret, settings.PreviousSecret }.Where(s => !string.IsNullOrEmpty(s))
            .Aggregate(false, (matched, secret) => Equal(given, secret!) | matched);
    }

    /// <summary>Compares hashes of equal length, so neither the length nor the content leaks through timing.</summary>
    private static bool Equal(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a webhook delivery whose Authorization header does not match")]
    private partial void LogRefused();

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook delivery {DeliveryId} was already received; ignored")]
    private partial void LogDuplicate(string deliveryId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {Resource}/{Event} ({DeliveryId}) acknowledged; nothing to do")]
    private partial void LogIgnored(string resource, string @event, string deliveryId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {Resource}/{Event} ({DeliveryId}) queued")]
    private partial void LogQueued(string resource, string @event, string deliveryId);
}
