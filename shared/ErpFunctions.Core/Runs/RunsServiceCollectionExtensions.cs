using ErpFunctions.Runs;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

public static class RunsServiceCollectionExtensions
{
    /// <summary>Run records, job leases and idempotency keys in Table Storage.</summary>
    public static IServiceCollection AddRuns(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<LastRuns>();
        services.AddSingleton<RunStore>();
        services.AddSingleton<JobLeases>();
        services.AddSingleton<IdempotencyKeys>();
        return services;
    }
}
