using ErpFunctions.Queueing;

namespace Microsoft.Extensions.DependencyInjection;

public static class QueueingServiceCollectionExtensions
{
    /// <summary>The work queue: a message (ids only) and the client that sends it (its name comes with the companies' settings).</summary>
    public static IServiceCollection AddQueueing(this IServiceCollection services)
    {
        services.AddSingleton<ReimportQueue>();
        return services;
    }
}
