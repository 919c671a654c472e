using ErpFunctions.Webhooks;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

public static class WebhooksServiceCollectionExtensions
{
    /// <summary>Procore's webhook deliveries and the work they ask for (ERP requests, project events).</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<WebhookOptions>(configuration, WebhookOptions.Section, "webhookSettings");
        services.AddHealthChecks().AddCheck<WebhookSecretsHealthCheck>("webhookSecrets");
        services.AddSingleton<WebhookDeliveries>();
        services.AddSingleton<RateLimitWaits>();
        services.AddTransient<ProcoreWebhookHandler>();
        services.AddTransient<ErpRequestIntake>();
        services.AddTransient<ProjectEventIntake>();
        return services;
    }
}
