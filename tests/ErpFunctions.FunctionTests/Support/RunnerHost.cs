using Azure.Storage.Queues;
using ErpFunctions.LocalRunner;
using ErpFunctions.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace ErpFunctions.FunctionTests.Support;

/// <summary>
/// The local runner as <c>functions/run-local.sh</c> starts it, on a free loopback port, against Azurite (a queue and
/// tables of its own) and both simulators: requests go over real HTTP, through Kestrel and the runner's own pipeline.
/// The runner can be stopped (a worker killed: its work is cancelled) and started again on the same storage.
/// </summary>
public sealed class RunnerHost : IAsyncDisposable
{
    public const string WebhookSecret = FunctionHost.WebhookSecret;

    private WebApplication? app;

    private readonly Action<IServiceCollection>? configureServices;

    private RunnerHost(ReimportHarness harness, Action<IServiceCollection>? configureServices)
    {
        Harness = harness;
        this.configureServices = configureServices;
    }

    public ReimportHarness Harness { get; }
    public HttpClient Client { get; private set; } = new();

    /// <summary>The running app's services.</summary>
    public IServiceProvider Services => app?.Services ?? throw new InvalidOperationException("The runner is not running.");
    public string QueueName => Harness.Settings["Reimport:QueueName"]!;

    /// <summary>The poison queue the runner's listener moves a message to after <c>maxDequeueCount</c> failed deliveries.</summary>
    public string PoisonQueueName => QueueName + "-poison";

    /// <param name="configureServices">Laid over the app's own registrations (a test's telemetry exporter, say).</param>
    /// <param name="startApp">Whether the in-process runner starts now (a scenario may run only processes of its own first).</param>
    public static async Task<RunnerHost> StartAsync(Action<Dictionary<string, string?>>? configure = null,
        Action<IServiceCollection>? configureServices = null, bool startApp = true)
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
        var runner = new RunnerHost(harness, configureServices);
        if (startApp)
        {
            await runner.StartAppAsync();
        }

        return runner;
    }

    /// <summary>Starts the runner (again), on a new port.</summary>
    public async Task StartAppAsync()
    {
        // The runner logs to the harness's capture only, not to the console of the test run.
        app = LocalRunnerHost.Build([], Harness.Settings, services =>
        {
            services.RemoveAll<ILoggerProvider>().AddSingleton<ILoggerProvider>(Harness.Logs);
            configureServices?.Invoke(services);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client.Dispose();
        Client = new HttpClient { BaseAddress = new Uri(address) };
    }

    /// <summary>Stops the runner as a host shuts a worker down: whatever it is doing is cancelled.</summary>
    public async Task StopAppAsync()
    {
        if (app is { } running)
        {
            app = null;
            await running.StopAsync();
            await running.DisposeAsync();
        }
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
        await StopAppAsync();
        foreach (var name in new[] { QueueName, PoisonQueueName })
        {
            await new QueueClient(Harness.Settings[ErpFunctions.Storage.StorageOptions.ConnectionSetting], name).DeleteIfExistsAsync();
        }

        await Harness.DisposeAsync();
    }
}
