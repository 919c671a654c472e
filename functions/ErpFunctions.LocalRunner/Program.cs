using ErpFunctions.LocalRunner;
using ErpFunctions.Storage;
using Microsoft.Extensions.Options;

// Hosts the Function App's own function classes and DI registration without Azure Functions Core Tools:
// HTTP routes mapped to the same methods, queue listeners with host.json's semantics, and the timers.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddErpFunctions(builder.Configuration);
builder.Services.AddControllers();

var functions = FunctionCatalog.Discover(typeof(ErpFunctions.Functions.Http.HttpEndpoint).Assembly);
var host = HostSettings.Load(Path.Combine(AppContext.BaseDirectory, "host.json"));
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
foreach (var function in functions.Where(f => f.Kind == TriggerKind.Http))
{
    app.MapMethods("/api/" + function.Http.Route, function.Http.Methods!.Select(m => m.ToUpperInvariant()), async context =>
    {
        var result = await FunctionInvoker.InvokeAsync(context.RequestServices, function, p => FunctionInvoker.BindHttp(p, context));
        await FunctionInvoker.WriteAsync(context, result);
    }).WithName(function.Name);
}

app.Lifetime.ApplicationStarted.Register(() =>
{
    var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ErpFunctions.LocalRunner");
    logger.LogInformation("Local runner hosting {Count} functions from {Assembly} (function keys are not checked here)",
        functions.Count, typeof(ErpFunctions.Functions.Http.HttpEndpoint).Assembly.GetName().Name);
    foreach (var function in functions)
    {
        logger.LogInformation("  {Function}: {Trigger}", function.Name, function.Kind switch
        {
            TriggerKind.Http => $"{string.Join(",", function.Http.Methods!)} /api/{function.Http.Route}",
            TriggerKind.Queue => $"queue {FunctionCatalog.Resolve(function.Queue.QueueName, app.Configuration)}",
            _ => $"timer {FunctionCatalog.Resolve(function.Timer.Schedule, app.Configuration)}",
        });
    }

    _ = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
});

app.Run();
