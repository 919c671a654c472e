using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Webhooks;

/// <summary>
/// Whether Procore's deliveries can be taken as configured: no secret is a Key Vault reference left unresolved (then
/// every delivery is refused, and the rest of the app goes on). No secret at all is a choice: no hook is used.
/// </summary>
public sealed class WebhookSecretsHealthCheck(IOptions<WebhookOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var unresolved = new[] { (Name: "Webhooks:Secret", settings.Secret), (Name: "Webhooks:PreviousSecret", Secret: settings.PreviousSecret) }
            .Where(s => WebhookOptions.IsUnresolvedReference(s.Secret)).Select(s => s.Name).ToList();
        return Task.FromResult(unresolved.Count > 0
            ? HealthCheckResult.Unhealthy($"{string.Join(" and ", unresolved)} is a Key Vault reference that was not resolved; deliveries are refused")
            : HealthCheckResult.Healthy());
    }
}
