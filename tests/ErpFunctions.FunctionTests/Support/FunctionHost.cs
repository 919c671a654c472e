using System.Text;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using ErpFunctions.Functions.Reimports;
using ErpFunctions.Queueing;
using ErpFunctions.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace ErpFunctions.FunctionTests.Support;

/// <summary>
/// The app's function classes, created from the app's own DI registration as the worker does, against Azurite (a
/// queue and tables of their own) and both simulators. The queue is driven the way the runtime drives it.
/// </summary>
public sealed class FunctionHost : IAsyncDisposable
{
    public const string Standard = "sim-operator-standard";
    public const string WebhookSecret = "Bearer test-webhook-secret";

    private FunctionHost(ReimportHarness harness, QueueClient queue)
    {
        Harness = harness;
        Queue = queue;
    }

    public ReimportHarness Harness { get; }
    public QueueClient Queue { get; }

    public static async Task<FunctionHost> StartAsync(Action<Dictionary<string, string?>>? configure = null, TimeProvider? time = null)
    {
        var name = "q" + Guid.NewGuid().ToString("N")[..20];
        var harness = await ReimportHarness.StartAsync(settings =>
        {
            settings["Reimport:QueueName"] = name;
            settings["Reimport:DeferDelay"] = "00:00:00";
            settings["Webhooks:Secret"] = WebhookSecret;
            configure?.Invoke(settings);
        }, time);
        var storage = ReimportHarness.StorageConnectionString;
        var queue = new QueueClient(storage, name, ReimportQueue.ClientOptions);
        await queue.CreateIfNotExistsAsync();
        return new FunctionHost(harness, queue);
    }

    public T Function<T>() => ActivatorUtilities.CreateInstance<T>(Harness.Services);

    public static HttpRequest Request(string method, string? body = null, string? token = Standard,
        IDictionary<string, string>? headers = null, string? query = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        if (query is not null)
        {
            context.Request.QueryString = new QueryString(query);
        }

        if (token is not null)
        {
            context.Request.Headers.Authorization = "Bearer " + token;
        }

        foreach (var (key, value) in headers ?? new Dictionary<string, string>())
        {
            context.Request.Headers[key] = value;
        }

        var bytes = Encoding.UTF8.GetBytes(body ?? "");
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        context.Request.ContentType = "application/json";
        context.Response.Body = new MemoryStream();
        return context.Request;
    }

    public async Task<IReadOnlyList<ReimportMessage>> PeekAsync() =>
        [.. (await Queue.PeekMessagesAsync(32)).Value.Select(m => ReimportMessage.Parse(m.Body.ToString()))];

    /// <summary>
    /// Delivers queued messages to the worker function until none is left, as the runtime would. A delivery that throws
    /// (the runtime's way towards the poison queue) fails the test; the poison path itself is LocalRunner/PoisonQueueTests'.
    /// </summary>
    public async Task<int> DrainAsync(int maxMessages = 50)
    {
        var worker = Function<ReimportQueueFunctions>();
        var delivered = 0;
        while (delivered < maxMessages)
        {
            var messages = (await Queue.ReceiveMessagesAsync(1)).Value;
            if (messages.Length == 0)
            {
                return delivered;
            }

            await worker.Run(messages[0], default);
            await Queue.DeleteMessageAsync(messages[0].MessageId, messages[0].PopReceipt);
            delivered++;
        }

        throw new InvalidOperationException($"The queue still held messages after {maxMessages} deliveries.");
    }

    /// <summary>Takes the next message off the queue without running it.</summary>
    public async Task<QueueMessage> ReceiveAsync() => (await Queue.ReceiveMessagesAsync(1)).Value.Single();

    public async ValueTask DisposeAsync()
    {
        await Queue.DeleteIfExistsAsync();
        await Harness.DisposeAsync();
    }
}

public static class Results
{
    public static int Status(this IActionResult result) => result switch
    {
        ObjectResult o => o.StatusCode ?? 200,
        StatusCodeResult s => s.StatusCode,
        _ => throw new InvalidOperationException(result.GetType().Name),
    };

    public static ProblemDetails Problem(this IActionResult result) => (ProblemDetails)((ObjectResult)result).Value!;

    public static T Body<T>(this IActionResult result) => (T)((ObjectResult)result).Value!;
}
