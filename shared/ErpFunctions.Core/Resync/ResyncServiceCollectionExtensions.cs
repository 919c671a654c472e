using ErpFunctions.Resync;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

public static class ResyncServiceCollectionExtensions
{
    /// <summary>The nightly re-sync of every linked job.</summary>
    public static IServiceCollection AddResync(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ResyncOptions>()
            .Bind(configuration.GetSection(ResyncOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddTransient<ResyncSweep>();
        services.AddHealthChecks().AddSettingsCheck<ResyncOptions>("resync settings");
        return services;
    }
}
