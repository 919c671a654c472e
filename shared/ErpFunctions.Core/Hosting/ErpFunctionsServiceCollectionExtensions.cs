using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

public static class ErpFunctionsServiceCollectionExtensions
{
    /// <summary>Everything the function app's triggers call, area by area; each area registers its own health checks.</summary>
    public static IServiceCollection AddErpFunctions(this IServiceCollection services, IConfiguration configuration) => services
        .AddTelemetry(configuration)
        .AddStorage(configuration)
        .AddQueueing()
        .AddSpectrum(configuration)
        .AddProcore(configuration)
        .AddCompanies(configuration)
        .AddRuns()
        .AddBudgets(configuration)
        .AddLinks()
        .AddOperators(configuration)
        .AddReimport()
        .AddRequests()
        .AddWebhooks(configuration)
        .AddResync(configuration)
        .AddOverview(configuration);
}
