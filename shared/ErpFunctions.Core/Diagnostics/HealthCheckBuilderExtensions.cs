using ErpFunctions.Diagnostics;

namespace Microsoft.Extensions.DependencyInjection;

public static class HealthCheckBuilderExtensions
{
    /// <summary>Reports an area's settings under <paramref name="name"/>; each area registers its own.</summary>
    public static IHealthChecksBuilder AddSettingsCheck<TOptions>(this IHealthChecksBuilder builder, string name)
        where TOptions : class =>
        builder.AddCheck<OptionsHealthCheck<TOptions>>(name);
}
