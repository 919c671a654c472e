using ErpFunctions.Reimport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

public static class ReimportServiceCollectionExtensions
{
    /// <summary>The re-import engine, its previews and the worker's run handler.</summary>
    public static IServiceCollection AddReimport(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReimportOptions>()
            .Bind(configuration.GetSection(ReimportOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddTransient<ReimportContextReader>();
        services.AddTransient<ReimportEngine>();
        services.AddTransient<BudgetPreviews>();
        services.AddTransient<ErpCloseOut>();
        services.AddTransient<ReimportRunner>();
        services.AddHealthChecks().AddSettingsCheck<ReimportOptions>("reimport settings");
        return services;
    }
}
