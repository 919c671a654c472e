using ErpFunctions.Procore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

public static class ProcoreServiceCollectionExtensions
{
    /// <summary>Registers the Procore client behind its domain interfaces, with options validated at start-up.</summary>
    public static IServiceCollection AddProcore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProcoreOptions>()
            .Bind(configuration.GetSection(ProcoreOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ProcoreTokenProvider>();
        services.AddSingleton<ProcoreRateLimitGate>();
        services.AddHttpClient(ProcoreTokenProvider.HttpClientName);
        // Attempts are bounded by the connection's own timeout; retries decide per call whether repeating is safe.
        services.AddHttpClient<ProcoreConnection>(http => http.Timeout = Timeout.InfiniteTimeSpan);
        services.AddTransient<ProcoreClient>();
        services.AddTransient<IProcoreProjects>(sp => sp.GetRequiredService<ProcoreClient>());
        services.AddTransient<IProcoreCostStructure>(sp => sp.GetRequiredService<ProcoreClient>());
        services.AddTransient<IProcoreBudget>(sp => sp.GetRequiredService<ProcoreClient>());
        services.AddTransient<IProcoreOperators>(sp => sp.GetRequiredService<ProcoreClient>());
        services.AddTransient<IProcoreErpRequests>(sp => sp.GetRequiredService<ProcoreClient>());
        return services;
    }
}
