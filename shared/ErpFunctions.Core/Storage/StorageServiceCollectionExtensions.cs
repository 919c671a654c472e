using ErpFunctions.Storage;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

public static class StorageServiceCollectionExtensions
{
    /// <summary>The storage account (the Functions host's own, <c>AzureWebJobsStorage</c>) and the app's tables.</summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.Section))
            .Configure(o => o.ConnectionString = configuration[StorageOptions.ConnectionSetting] ?? o.ConnectionString)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<StorageTables>();
        services.AddHealthChecks().AddSettingsCheck<StorageOptions>("storage settings").AddCheck<StorageHealthCheck>("storage");
        return services;
    }
}
