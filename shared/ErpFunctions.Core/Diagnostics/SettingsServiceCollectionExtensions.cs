using ErpFunctions.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class SettingsServiceCollectionExtensions
{
    /// <summary>
    /// Binds an area's settings from <paramref name="section"/>, validates them when the app starts (data annotations,
    /// <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/>) and reports them in the health checks as
    /// <paramref name="healthCheckName"/>.
    /// </summary>
    public static OptionsBuilder<TOptions> AddSettings<TOptions>(this IServiceCollection services, IConfiguration configuration,
        string section, string healthCheckName)
        where TOptions : class
    {
        services.AddHealthChecks().AddCheck<OptionsHealthCheck<TOptions>>(healthCheckName);
        return services.AddOptions<TOptions>()
            .Bind(configuration.GetSection(section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
    }
}
