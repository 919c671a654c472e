using ErpFunctions.Storage;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

public static class StorageServiceCollectionExtensions
{
    /// <summary>The storage account (the Functions host's own, <c>AzureWebJobsStorage</c>, by connection string or by identity), the app's tables and blob containers.</summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<StorageOptions>(configuration, StorageOptions.Section, "storageSettings")
            .Configure(o =>
            {
                var account = configuration.GetSection(StorageOptions.ConnectionSetting);
                o.ConnectionString = account.Value ?? o.ConnectionString;
                o.Identity = StorageIdentity.From(account);
            });
        services.AddSingleton<StorageAccount>();
        services.AddSingleton<StorageTables>();
        services.AddSingleton<StorageBlobs>();
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage");
        return services;
    }
}
