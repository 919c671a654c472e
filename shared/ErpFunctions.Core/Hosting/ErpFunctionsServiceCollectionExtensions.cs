using ErpFunctions.Operators;
using ErpFunctions.Queueing;
using ErpFunctions.Reimport;
using ErpFunctions.Resync;
using ErpFunctions.Webhooks;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

public static class ErpFunctionsServiceCollectionExtensions
{
    /// <summary>Everything the function app's triggers call: the engine, the queue, operators, webhooks and the re-sync.</summary>
    public static IServiceCollection AddErpFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddReimport(configuration);
        services.AddMemoryCache();
        services.AddOptions<OperatorOptions>().Bind(configuration.GetSection(OperatorOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section));
        services.AddOptions<ResyncOptions>().Bind(configuration.GetSection(ResyncOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton<ReimportQueue>();
        services.AddTransient<ReimportRequests>();
        services.AddTransient<ReimportWorker>();
        services.AddTransient<OperatorAuthorizer>();
        services.AddTransient<ProcoreWebhookHandler>();
        services.AddTransient<ResyncSweep>();
        return services;
    }
}
