using ErpFunctions.Procore;
using Polly;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

public static class ProcoreServiceCollectionExtensions
{
    /// <summary>Registers the Procore client behind its interfaces, with options validated at start-up and one resilience pipeline.</summary>
    public static IServiceCollection AddProcore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<ProcoreOptions>(configuration, ProcoreOptions.Section, "procoreSettings");
        services.AddSettings<SignInOptions>(configuration, SignInOptions.Section, "signInSettings");

        services.TryAddSingleton(TimeProvider.System);
        services.AddResiliencePipeline(ProcoreResilience.PipelineName,
            (builder, context) => ProcoreResilience.Configure(builder, context.ServiceProvider));
        services.AddSingleton<ProcoreTokenProvider>();
        services.AddSingleton<ProcoreRateLimitGate>();
        services.AddHttpClient(ProcoreTokenProvider.HttpClientName);
        // Attempts are bounded by the pipeline's timeout; retries decide per call whether repeating is safe.
        services.AddHttpClient<ProcoreConnection>(http => http.Timeout = Timeout.InfiniteTimeSpan);
        services.AddTransient<ProcoreClient>();
        services.AddTransient<ProcoreSignIn>();
        services.AddTransient<IProcoreProjects>(sp => sp.GetRequiredService<ProcoreClient>());
        services.AddTransient<IProcoreCostStructure>(sp => sp.GetRequiredService<ProcoreClient>());
        services.AddTransient<IProcoreBudget>(sp => sp.GetRequiredService<ProcoreClient>());
        services.AddTransient<IProcoreOperators>(sp => sp.GetRequiredService<ProcoreClient>());
        services.AddTransient<IProcoreErpRequests>(sp => sp.GetRequiredService<ProcoreClient>());
        services.AddTransient<ProcoreBudgetReader>();
        services.AddTransient<ProcoreLineSync>();
        services.AddTransient<ProcoreBudgetWriter>();
        services.AddTransient<IProjectBudget, ProcoreProjectBudget>();
        return services;
    }
}
