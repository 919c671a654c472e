using System.Text.Json;
using Azure.Storage.Queues;

namespace ErpFunctions.LocalRunner;

/// <summary>The queue settings of host.json that the Functions runtime applies, read from the same file.</summary>
public sealed record HostSettings(int BatchSize, int MaxDequeueCount, TimeSpan VisibilityTimeout, TimeSpan MaxPollingInterval,
    QueueMessageEncoding MessageEncoding)
{
    public static HostSettings Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var queues = document.RootElement.TryGetProperty("extensions", out var extensions) && extensions.TryGetProperty("queues", out var q)
            ? q
            : default;

        T Get<T>(string name, T fallback, Func<JsonElement, T> read) =>
            queues.ValueKind == JsonValueKind.Object && queues.TryGetProperty(name, out var value) ? read(value) : fallback;

        return new HostSettings(
            Get("batchSize", 16, v => v.GetInt32()),
            Get("maxDequeueCount", 5, v => v.GetInt32()),
            Get("visibilityTimeout", TimeSpan.Zero, v => TimeSpan.Parse(v.GetString()!)),
            Get("maxPollingInterval", TimeSpan.FromMinutes(1), v => TimeSpan.Parse(v.GetString()!)),
            Get("messageEncoding", QueueMessageEncoding.Base64,
                v => string.Equals(v.GetString(), "none", StringComparison.OrdinalIgnoreCase) ? QueueMessageEncoding.None : QueueMessageEncoding.Base64));
    }
}
