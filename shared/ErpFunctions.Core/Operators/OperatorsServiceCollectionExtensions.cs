using ErpFunctions.Operators;
using ErpFunctions.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class OperatorsServiceCollectionExtensions
{
    /// <summary>
    /// Who an operator is and what they may do, asked of Procore with their own token and cached briefly; signing in
    /// through the page, with sessions sealed by Data Protection keys that every instance shares through storage.
    /// </summary>
    public static IServiceCollection AddOperators(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMemoryCache();
        services.AddSettings<OperatorOptions>(configuration, OperatorOptions.Section, "operatorSettings");
        services.AddDataProtection().SetApplicationName("ErpFunctions");
        services.AddSingleton<StorageKeyRing>();
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = sp.GetRequiredService<StorageKeyRing>()));
        services.AddSingleton<OperatorSessions>();
        services.AddTransient<OperatorAuthorizer>();
        services.AddTransient<OperatorSignIn>();
        return services;
    }
}
