using ErpFunctions.Resync;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

public static class ResyncServiceCollectionExtensions
{
    /// <summary>The nightly re-sync of every linked job.</summary>
    public static IServiceCollection AddResync(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<ResyncOptions>(configuration, ResyncOptions.Section, "resyncSettings");
        services.AddTransient<ResyncSweep>();
        return services;
    }
}
