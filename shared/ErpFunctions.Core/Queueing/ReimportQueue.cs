using Azure.Storage.Queues;
using ErpFunctions.Diagnostics;
using ErpFunctions.Storage;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Queueing;

/// <summary>The queue that carries work to the worker: its name is <c>Reimport:QueueName</c>, which the queue triggers bind as <c>%Reimport:QueueName%</c>.</summary>
public sealed class QueueOptions
{
    public string QueueName { get; set; } = "reimport-requests";
}

/// <summary>
/// Sends work messages. They are Base64-encoded, as host.json tells the queue trigger to expect
/// (<c>extensions.queues.messageEncoding</c>): both sides must agree. The queue is created on first use; a creation
/// that failed or was cancelled is tried again.
/// </summary>
public sealed class ReimportQueue(StorageAccount storage, IOptions<QueueOptions> options)
{
    public static readonly QueueClientOptions ClientOptions = new() { MessageEncoding = QueueMessageEncoding.Base64 };

    /// <summary>The longest a queue message may stay invisible.</summary>
    private static readonly TimeSpan LongestDelay = TimeSpan.FromDays(7);

    private readonly Lazy<QueueClient> client = new(() => storage.Queue(options.Value.QueueName, ClientOptions.MessageEncoding));
    private volatile bool created;

    public string Name => options.Value.QueueName;

    /// <summary>Where the Functions runtime moves a message that failed <c>maxDequeueCount</c> times.</summary>
    public string PoisonName => Name + "-poison";

    /// <summary>How long a message waits to come back at <paramref name="until"/>: at least <paramref name="shortest"/>, at most the queue's longest.</summary>
    public static TimeSpan DelayUntil(DateTimeOffset until, DateTimeOffset now, TimeSpan shortest)
    {
        var delay = until - now;
        return delay < shortest ? shortest : delay > LongestDelay ? LongestDelay : delay;
    }

    public async Task SendAsync(ReimportMessage message, TimeSpan? delay, CancellationToken cancellationToken)
    {
        if (!created)
        {
            await client.Value.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            created = true;
        }

        using var span = Telemetry.Start("Queue " + message.Kind, System.Diagnostics.ActivityKind.Producer);
        span?.SetTag(Telemetry.CorrelationIdTag, message.CorrelationId);
        var traced = span is null ? message : message with { TraceParent = span.Id, TraceState = span.TraceStateString };
        await client.Value.SendMessageAsync(traced.ToJson(), visibilityTimeout: delay, cancellationToken: cancellationToken);
    }
}
