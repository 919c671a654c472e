using System.Text.Json;
using Azure.Storage.Queues;

namespace ErpFunctions.LocalRunner;

/// <summary>
/// The queue settings of host.json that the Functions runtime applies, read from the same file; an app setting
/// <c>AzureFunctionsJobHost__extensions__queues__&lt;name&gt;</c> overrides one, as it does in Azure. With them, the
/// HTTP routes' prefix (<c>extensions.http.routePrefix</c>, <c>api</c> when unset).
/// </summary>
public sealed record HostSettings(int BatchSize, int MaxDequeueCount, TimeSpan VisibilityTimeout, TimeSpan MaxPollingInterval,
    QueueMessageEncoding MessageEncoding)
{
    /// <summary>The Functions host's prefix when host.json sets none.</summary>
    public const string DefaultRoutePrefix = "api";

    public string RoutePrefix { get; init; } = DefaultRoutePrefix;

    /// <summary>The path an HTTP function's route is served at.</summary>
    public string PathOf(string route) => "/" + string.Join('/', new[] { RoutePrefix.Trim('/'), route }.Where(p => p.Length > 0));

    private const string OverrideSection = "AzureFunctionsJobHost:extensions:queues";

    public static HostSettings Load(string path, IConfiguration configuration)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var queues = document.RootElement.TryGetProperty("extensions", out var extensions) && extensions.TryGetProperty("queues", out var q)
            ? q
            : default;
        var overrides = configuration.GetSection(OverrideSection);

        T Get<T>(string name, T fallback, Func<string, T> read) =>
            overrides[name] is { Length: > 0 } setting ? read(setting)
            : queues.ValueKind == JsonValueKind.Object && queues.TryGetProperty(name, out var value) ? read(value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText())
            : fallback;

        var routePrefix = extensions.ValueKind == JsonValueKind.Object && extensions.TryGetProperty("http", out var http)
            && http.TryGetProperty("routePrefix", out var prefix) ? prefix.GetString() ?? DefaultRoutePrefix : DefaultRoutePrefix;
        return new HostSettings(
            Get("batchSize", 16, int.Parse),
            Get("maxDequeueCount", 5, int.Parse),
            Get("visibilityTimeout", TimeSpan.Zero, TimeSpan.Parse),
            Get("maxPollingInterval", TimeSpan.FromMinutes(1), TimeSpan.Parse),
            Get("messageEncoding", QueueMessageEncoding.Base64,
                v => string.Equals(v, "none", StringComparison.OrdinalIgnoreCase) ? QueueMessageEncoding.None : QueueMessageEncoding.Base64))
        {
            RoutePrefix = routePrefix,
        };
    }
}
