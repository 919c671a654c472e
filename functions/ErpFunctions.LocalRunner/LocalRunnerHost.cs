using ErpFunctions.Functions.Hosting;
using ErpFunctions.Functions.Http;
using ErpFunctions.Storage;
using Microsoft.Extensions.Options;

namespace ErpFunctions.LocalRunner;

/// <summary>
/// Hosts the Function App's own function classes and composition root (<see cref="ErpFunctionsApp"/>) without Azure
/// Functions Core Tools: HTTP routes
/// mapped to the same methods, queue listeners with host.json's semantics, and the timers. Tests build it as the
/// command line does, with settings of their own laid over.
/// </summary>
public static class LocalRunnerHost
{
    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?>? overrides = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        builder.Services.AddErpFunctionsApp(builder.Configuration);
        builder.Services.AddControllers();
        builder.Services.AddOptions<RunnerOptions>().Bind(builder.Configuration.GetSection(RunnerOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.AddRunnerProblems();
        configureServices?.Invoke(builder.Services);

        var functions = FunctionCatalog.Discover(typeof(HttpEndpoint).Assembly);
        var host = HostSettings.Load(Path.Combine(AppContext.BaseDirectory, "host.json"), builder.Configuration);
        foreach (var function in functions.Where(f => f.Kind == TriggerKind.Queue))
        {
            var queue = FunctionCatalog.Resolve(function.Queue.QueueName, builder.Configuration);
            builder.Services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<QueueListener>(sp, function, queue, host));
        }

        foreach (var function in functions.Where(f => f.Kind == TriggerKind.Timer))
        {
            var schedule = FunctionCatalog.Resolve(function.Timer.Schedule, builder.Configuration);
            builder.Services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<TimerScheduler>(sp, function, schedule));
        }

        var app = builder.Build();
        app.UseRunnerProblems();
        foreach (var function in functions.Where(f => f.Kind == TriggerKind.Http))
        {
            app.MapMethods(host.PathOf(function.Http.Route!), function.Http.Methods!.Select(m => m.ToUpperInvariant()), async context =>
            {
                var result = await FunctionInvoker.InvokeAsync(context.RequestServices, function, p => FunctionInvoker.BindHttp(p, context));
                await FunctionInvoker.WriteAsync(context, result);
            }).WithName(function.Name);
        }

        app.Lifetime.ApplicationStarted.Register(() => LogHosted(app, functions, host));
        return app;
    }

    private static void LogHosted(WebApplication app, IReadOnlyList<FunctionEntry> functions, HostSettings host)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ErpFunctions.LocalRunner");
        logger.LogInformation("Local runner hosting {Count} functions from {Assembly} (function keys are not checked here)",
            functions.Count, typeof(HttpEndpoint).Assembly.GetName().Name);
        foreach (var function in functions)
        {
            logger.LogInformation("  {Function}: {Trigger}", function.Name, function.Kind switch
            {
                TriggerKind.Http => $"{string.Join(",", function.Http.Methods!)} {host.PathOf(function.Http.Route!)}",
                TriggerKind.Queue => $"queue {FunctionCatalog.Resolve(function.Queue.QueueName, app.Configuration)}",
                _ => $"timer {FunctionCatalog.Resolve(function.Timer.Schedule, app.Configuration)}",
            });
        }

        _ = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
    }
}
