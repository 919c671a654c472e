using Azure.Storage.Queues;
using ErpFunctions.Reimport;
using ErpFunctions.Storage;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Queueing;

/// <summary>
/// The re-import queue. Messages are Base64-encoded, as host.json tells the queue trigger to expect
/// (<c>extensions.queues.messageEncoding</c>): both sides must agree.
/// </summary>
public sealed class ReimportQueue(IOptions<StorageOptions> storage, IOptions<ReimportOptions> options)
{
    public static readonly QueueClientOptions ClientOptions = new() { MessageEncoding = QueueMessageEncoding.Base64 };

    private readonly Lazy<Task<QueueClient>> queue = new(async () =>
    {
        var client = new QueueClient(storage.Value.ConnectionString, options.Value.QueueName, ClientOptions);
        await client.CreateIfNotExistsAsync();
        return client;
    });

    public string Name => options.Value.QueueName;

    /// <summary>Where the Functions runtime moves a message that failed <c>maxDequeueCount</c> times.</summary>
    public string PoisonName => Name + "-poison";

    public async Task SendAsync(ReimportMessage message, TimeSpan? delay, CancellationToken cancellationToken)
    {
        var client = await queue.Value;
        await client.SendMessageAsync(message.ToJson(), visibilityTimeout: delay, cancellationToken: cancellationToken);
    }
}
