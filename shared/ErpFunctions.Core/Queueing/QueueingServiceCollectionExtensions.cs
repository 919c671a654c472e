using ErpFunctions.Queueing;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

public static class QueueingServiceCollectionExtensions
{
    /// <summary>The work queue: a message (ids only) and the client that sends it.</summary>
    public static IServiceCollection AddQueueing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<QueueOptions>(configuration, QueueOptions.Section, "queueSettings");
        services.AddSingleton<ReimportQueue>();
        return services;
    }
}
