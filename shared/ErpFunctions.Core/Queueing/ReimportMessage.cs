using System.Text.Json;
using System.Text.Json.Serialization;

namespace ErpFunctions.Queueing;

public enum ReimportMessageKind
{
    /// <summary>Run the queued re-import <see cref="ReimportMessage.RunId"/>.</summary>
    Run,

    /// <summary>Procore's ERP Integrations tool created ERP request <see cref="ReimportMessage.ErpRequestId"/>.</summary>
    ErpRequest,

    /// <summary>A configured Procore event happened on project <see cref="ReimportMessage.ProjectId"/>.</summary>
    ProjectEvent,

    /// <summary>Work out every linked job's totals and availability: preflight <see cref="ReimportMessage.PreflightId"/>.</summary>
    Preflight,
}

/// <summary>
/// What a run was asked for with, carried by its message so that the worker can write the run's row itself if the
/// request that sent the message could not (the message is sent first: no row is ever left without a message).
/// </summary>
public sealed record QueuedRun(
    string Company,
    string Job,
    string Trigger,
    string RequestedBy,
    DateTimeOffset CreatedAt,
    string? OperatorAccess = null,
    string? IdempotencyKey = null,
    IReadOnlyList<long>? ErpRequestDetailIds = null);

/// <summary>A queue message: ids, keys and a run's request, never budget data (a message holds at most 64 KiB).</summary>
/// <param name="DeliveryId">The webhook delivery that asked for this work, when one did.</param>
/// <param name="TraceParent">The W3C trace context of the span that sent it, so that the worker continues that trace.</param>
/// <param name="WaitedUntil">The message was put back to wait for Procore's rate limit, until then.</param>
/// <param name="Company">The Spectrum company the work is for; a message sent before messages carried it is the default company's.</param>
public sealed record ReimportMessage(
    ReimportMessageKind Kind,
    string CorrelationId,
    string? RunId = null,
    long? ErpRequestId = null,
    long? ProjectId = null,
    string? Event = null,
    QueuedRun? Run = null,
    string? DeliveryId = null,
    string? PreflightId = null,
    string? TraceParent = null,
    string? TraceState = null,
    DateTimeOffset? WaitedUntil = null,
    string? Company = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a message body; a body that is not a message is refused with the reason.</summary>
    public static ReimportMessage Parse(string body)
    {
        try
        {
            var message = JsonSerializer.Deserialize<ReimportMessage>(body, Json) ?? throw new FormatException("empty message");
            var complete = message.Kind switch
            {
                ReimportMessageKind.Run => message.RunId is { Length: > 0 },
                ReimportMessageKind.ErpRequest => message.ErpRequestId is not null,
                ReimportMessageKind.Preflight => message.PreflightId is { Length: > 0 },
                _ => message.ProjectId is not null,
            };
            return complete ? message : throw new FormatException($"a {message.Kind} message without its id");
        }
        catch (JsonException e)
        {
            throw new FormatException($"not a re-import message: {e.Message}", e);
        }
    }
}
