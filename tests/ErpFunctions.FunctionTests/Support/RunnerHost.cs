using Azure.Storage.Queues;
using ErpFunctions.LocalRunner;
using ErpFunctions.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ErpFunctions.FunctionTests.Support;

/// <summary>
/// The local runner as <c>functions/run-local.sh</c> starts it, on a free loopback port, against Azurite (a queue and
/// tables of its own) and both simulators: requests go over real HTTP, through Kestrel and the runner's own pipeline.
/// </summary>
public sealed class RunnerHost : IAsyncDisposable
{
    public const string WebhookSecret = FunctionHost.WebhookSecret;

    private readonly WebApplication app;

    private RunnerHost(ReimportHarness harness, WebApplication app, Uri address)
    {
        Harness = harness;
        this.app = app;
        Client = new HttpClient { BaseAddress = address };
    }

    public ReimportHarness Harness { get; }
    public HttpClient Client { get; }

    public static async Task<RunnerHost> StartAsync(Action<Dictionary<string, string?>>? configure = null)
    {
        var harness = await ReimportHarness.StartAsync(settings =>
        {
            settings["Urls"] = "http://127.0.0.1:0";
            settings["Reimport:QueueName"] = "q" + Guid.NewGuid().ToString("N")[..20];
            settings["Resync:Schedule"] = "0 0 0 1 1 *";
            settings["Webhooks:Secret"] = WebhookSecret;
            settings["Logging:LogLevel:Default"] = "Warning";
            configure?.Invoke(settings);
        });
        var app = LocalRunnerHost.Build([], harness.Settings, services => services.AddSingleton<ILoggerProvider>(harness.Logs));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunnerHost(harness, app, new Uri(address));
    }

    /// <summary>A request with an operator's bearer token (or none).</summary>
    public static HttpRequestMessage Request(HttpMethod method, string path, string? token = FunctionHost.Standard, HttpContent? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body };
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        return request;
    }

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => Client.SendAsync(request);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        var queue = Harness.Settings["Reimport:QueueName"]!;
        foreach (var name in new[] { queue, queue + "-poison" })
        {
            await new QueueClient(ReimportHarness.StorageConnectionString, name).DeleteIfExistsAsync();
        }

        await Harness.DisposeAsync();
    }
}
