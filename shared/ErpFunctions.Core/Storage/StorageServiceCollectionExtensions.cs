using ErpFunctions.Storage;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

public static class StorageServiceCollectionExtensions
{
    /// <summary>The storage account (the Functions host's own, <c>AzureWebJobsStorage</c>) the app's tables and blob containers.</summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<StorageOptions>(configuration, StorageOptions.Section, "storageSettings")
            .Configure(o => o.ConnectionString = configuration[StorageOptions.ConnectionSetting] ?? o.ConnectionString);
        services.AddSingleton<StorageTables>();
        services.AddSingleton<StorageBlobs>();
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage");
        return services;
    }
}
