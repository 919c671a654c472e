using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Diagnostics;

/// <summary>An area's settings, validated as at start-up: unhealthy with every failure when they are not valid.</summary>
public sealed class OptionsHealthCheck<TOptions>(IOptionsMonitor<TOptions> options) : IHealthCheck
    where TOptions : class
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            _ = options.CurrentValue;
            return Task.FromResult(HealthCheckResult.Healthy());
        }
        catch (OptionsValidationException invalid)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(string.Join("; ", invalid.Failures)));
        }
    }
}
