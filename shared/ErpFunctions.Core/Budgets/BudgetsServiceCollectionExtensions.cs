using ErpFunctions.Budgets;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

public static class BudgetsServiceCollectionExtensions
{
    /// <summary>The budgets list: each job's link, totals, availability and last run, kept in Table Storage (the list itself is in Overview).</summary>
    public static IServiceCollection AddBudgets(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<BudgetsOptions>(configuration, BudgetsOptions.Section, "budgetsSettings");
        services.AddSingleton<JobListings>();
        services.AddSingleton<BudgetSnapshots>();
        services.AddSingleton<ImportBaselines>();
        services.AddSingleton<JobReads>();
        services.AddSingleton<BudgetEntries>();
        services.AddHostedService<LegacyBudgetsMigration>();
        return services;
    }
}
