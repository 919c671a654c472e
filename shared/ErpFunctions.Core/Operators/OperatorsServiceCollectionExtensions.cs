using ErpFunctions.Operators;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

public static class OperatorsServiceCollectionExtensions
{
    /// <summary>Who an operator is and what they may do, asked of Procore with their own token and cached briefly.</summary>
    public static IServiceCollection AddOperators(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMemoryCache();
        services.AddSettings<OperatorOptions>(configuration, OperatorOptions.Section, "operatorSettings");
        services.AddTransient<OperatorAuthorizer>();
        return services;
    }
}
