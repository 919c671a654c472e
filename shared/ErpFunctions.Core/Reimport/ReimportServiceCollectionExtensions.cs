using ErpFunctions.Reimport;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

public static class ReimportServiceCollectionExtensions
{
    /// <summary>The re-import engine, its previews and the worker's run handler.</summary>
    public static IServiceCollection AddReimport(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddTransient<ReimportContextReader>();
        services.AddTransient<ReimportEngine>();
        services.AddTransient<BudgetPreviews>();
        services.AddTransient<ErpCloseOut>();
        services.AddTransient<ReimportRunner>();
        return services;
    }
}
