using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ErpFunctions.Companies;
using ErpFunctions.Domain.Companies;
using ErpFunctions.Queueing;
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

/// <param name="Field">The part of the delivery at fault, for an invalid one.</param>
public sealed record WebhookResult(WebhookOutcome Outcome, string Reason, string? Field = null);

/// <summary>One Procore webhook delivery (payload v2/v3, and v4 with string ids and <c>reason</c>/<c>resource_type</c>).</summary>
/// <param name="CompanyId">The Procore company the delivery is about (<c>company_id</c>), when it says.</param>
public sealed partial record WebhookDelivery(string DeliveryId, string ResourceName, string EventType, long? ResourceId, long? ProjectId,
    long? UserId, long? SourceApplicationId, long? CompanyId = null)
{
    private const int MaxIdLength = 64;
    private const int MaxNameLength = 100;

    /// <summary>The delivery, or the field that keeps it from being one (missing, too long, of the wrong kind).</summary>
    public static (WebhookDelivery? Delivery, string? Field, string? Problem) Parse(JsonElement root)
    {
        JsonElement? Value(string name) => root.TryGetProperty(name, out var v) ? v : null;
        string? Text(params string[] names) => names.Select(Value)
            .Where(v => v?.ValueKind is JsonValueKind.String or JsonValueKind.Number)
            .Select(v => v!.Value.ValueKind == JsonValueKind.String ? v.Value.GetString() : v.Value.GetRawText()).FirstOrDefault();
        long? Metadata(string name) => root.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object
            && m.TryGetProperty(name, out var v) && v.TryGetInt64(out var n) ? n : null;

        var id = Text("ulid", "id");
        if (id is null)
        {
            return (null, "ulid", "The delivery has no ulid (nor id).");
        }

        if (id.Length > MaxIdLength || !SafeId().IsMatch(id))
        {
            return (null, "ulid", $"The delivery's ulid must be 1 to {MaxIdLength} letters, digits, '-' or '_'.");
        }

        var resource = Text("resource_name", "resource_type");
        var action = Text("event_type", "reason");
        if (resource is null || action is null)
        {
            return (null, resource is null ? "resource_name" : "event_type", "The delivery lacks resource_name or event_type.");
        }

        if (resource.Length > MaxNameLength || action.Length > MaxNameLength || resource.Any(char.IsControl) || action.Any(char.IsControl))
        {
            return (null, resource.Length > MaxNameLength || resource.Any(char.IsControl) ? "resource_name" : "event_type",
                $"resource_name and event_type hold at most {MaxNameLength} printable characters.");
        }

        foreach (var name in new[] { "resource_id", "project_id", "user_id", "company_id" })
        {
            if (Text(name) is { } number && !(long.TryParse(number, out var value) && value > 0))
            {
                return (null, name, $"{name} must be a whole number above zero.");
            }
        }

        long? Number(string name) => long.TryParse(Text(name), out var n) ? n : null;
        return (new WebhookDelivery(id, resource, action, Number("resource_id"), Number("project_id"),
            Metadata("source_user_id") ?? Number("user_id"), Metadata("source_application_id"), Number("company_id")), null, null);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex SafeId();
}

/// <summary>
/// Answers Procore's deliveries within its 5-second window by only checking, recording and queueing: the secret is
/// compared in constant time, each delivery is recorded by its <c>ulid</c> so a repeated delivery is processed once,
/// and the work (fetching an ERP request, finding a project's job) is left to the queue worker.
/// </summary>
public sealed partial class ProcoreWebhookHandler(
    ICompanies companies,
    IOptions<WebhookOptions> options,
    WebhookDeliveries deliveries,
    ReimportQueue queue,
    ILogger<ProcoreWebhookHandler> logger)
{
    public const string ErpRequests = "ERP Requests";

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
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return new(WebhookOutcome.Invalid, "The body is not a JSON object.", "body");
            }

            (delivery, var field, var problem) = WebhookDelivery.Parse(document.RootElement);
            if (delivery is null)
            {
                return new(WebhookOutcome.Invalid, problem!, field);
            }
        }
        catch (JsonException e)
        {
            return new(WebhookOutcome.Invalid, $"The body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).", "body");
        }

        var company = delivery.CompanyId is { } procoreCompany ? companies.FindByProcoreCompany(procoreCompany) : companies.Default;
        if (company is null)
        {
            LogOtherCompany(delivery.CompanyId!.Value, delivery.DeliveryId);
            return new(WebhookOutcome.Ignored, $"Procore company {delivery.CompanyId} is not one this deployment serves.");
        }

        var message = ToMessage(company, delivery, correlationId);
        // A delivery seen but not yet queued may be one whose first attempt stopped before queueing: it is queued again,
        // which is safe because the work it asks for is idempotent by delivery (and by ERP request).
        var seen = await deliveries.RecordAsync(delivery, cancellationToken);
        if (seen is DeliveryState.Queued or DeliveryState.Failed or DeliveryState.Deferred || (seen is not null && message is null))
        {
            LogDuplicate(delivery.DeliveryId);
            return new(WebhookOutcome.Duplicate, $"Delivery {delivery.DeliveryId} was already received.");
        }

        if (message is null)
        {
            LogIgnored(delivery.ResourceName, delivery.EventType, delivery.DeliveryId);
            return new(WebhookOutcome.Ignored, $"{delivery.ResourceName}/{delivery.EventType} does not ask for a re-import.");
        }

        await queue.SendAsync(message, null, cancellationToken);
        await deliveries.MarkQueuedAsync(delivery.DeliveryId, cancellationToken);
        LogQueued(delivery.ResourceName, delivery.EventType, delivery.DeliveryId);
        return new(WebhookOutcome.Queued, $"{delivery.ResourceName}/{delivery.EventType} queued.");
    }

    private ReimportMessage? ToMessage(Company company, WebhookDelivery delivery, string correlationId)
    {
        var settings = options.Value;
        if (delivery.ResourceName == ErpRequests && delivery.EventType == "create" && delivery.ResourceId is { } requestId)
        {
            return new ReimportMessage(ReimportMessageKind.ErpRequest, correlationId, ErpRequestId: requestId, DeliveryId: delivery.DeliveryId,
                Company: company.Code);
        }

        // Loop prevention: changes our own service account or our own app made never trigger a re-import.
        var pair = $"{delivery.ResourceName}/{delivery.EventType}";
        var ownChange = (delivery.UserId is { } user && settings.IgnoreUserIds.Contains(user))
            || (delivery.SourceApplicationId is { } app && settings.IgnoreApplicationIds.Contains(app));
        return settings.ReimportTriggers.Contains(pair, StringComparer.OrdinalIgnoreCase) && !ownChange && delivery.ProjectId is { } project
            ? new ReimportMessage(ReimportMessageKind.ProjectEvent, correlationId, ProjectId: project, Event: pair, DeliveryId: delivery.DeliveryId,
                Company: company.Code)
            : null;
    }

    private bool Authorized(string? authorization)
    {
        var settings = options.Value;
        var given = authorization ?? "";
        return settings.AcceptedSecrets.Aggregate(false, (matched, secret) => Equal(given, secret) | matched);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} is for Procore company {CompanyId}, which this deployment does not serve; ignored")]
    private partial void LogOtherCompany(long companyId, string deliveryId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {Resource}/{Event} ({DeliveryId}) queued")]
    private partial void LogQueued(string resource, string @event, string deliveryId);
}
