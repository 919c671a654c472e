using ErpFunctions.Requests;

namespace Microsoft.Extensions.DependencyInjection;

public static class RequestsServiceCollectionExtensions
{
    /// <summary>Turning requests (an operator's, a webhook's, the sweep's) into queued runs.</summary>
    public static IServiceCollection AddRequests(this IServiceCollection services)
    {
        services.AddTransient<ReimportRequests>();
        services.AddTransient<OperatorReimports>();
        return services;
    }
}
