using ErpFunctions.Budgets;
using ErpFunctions.Reimport;
using ErpFunctions.Runs;
using ErpFunctions.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

public static class ReimportServiceCollectionExtensions
{
    /// <summary>Registers the re-import engine and its Table Storage records, with both clients it reads from.</summary>
    public static IServiceCollection AddReimport(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.Section))
            .Configure(o => o.ConnectionString = configuration[StorageOptions.ConnectionSetting] ?? o.ConnectionString)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<ReimportOptions>()
            .Bind(configuration.GetSection(ReimportOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSpectrum(configuration);
        services.AddProcore(configuration);
        services.AddSingleton<StorageTables>();
        services.AddSingleton<RunStore>();
        services.AddSingleton<JobLeases>();
        services.AddSingleton<BudgetEntries>();
        services.AddTransient<ProjectLinks>();
        services.AddTransient<BudgetReader>();
        services.AddTransient<BudgetWriter>();
        services.AddTransient<ReimportContextReader>();
        services.AddTransient<ReimportEngine>();
        return services;
    }
}
