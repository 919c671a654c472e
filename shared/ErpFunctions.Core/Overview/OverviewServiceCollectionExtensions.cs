using ErpFunctions.Overview;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

public static class OverviewServiceCollectionExtensions
{
    /// <summary>The operator's overview: the budgets list, the preflight that fills it in, and each job's history.</summary>
    public static IServiceCollection AddOverview(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<PreflightOptions>(configuration, PreflightOptions.Section, "preflightSettings");
        services.AddTransient<BudgetList>();
        services.AddTransient<Preflights>();
        services.AddTransient<PreflightRunner>();
        services.AddTransient<JobHistory>();
        return services;
    }
}
