using Azure;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ErpFunctions.Spectrum;

/// <summary>What is left of today's Data Exchange calls: degraded once a service's budget is spent (runs wait for midnight UTC).</summary>
public sealed class SpectrumCallBudgetHealthCheck(SpectrumCallBudget budget) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        SpectrumCallsToday today;
        try
        {
            today = await budget.ReadTodayAsync(cancellationToken);
        }
        catch (RequestFailedException)
        {
            return HealthCheckResult.Degraded("unknown: today's Spectrum calls could not be read from storage");
        }

        if (today.Budget == 0)
        {
            return HealthCheckResult.Healthy("not counted (Spectrum:DailyCallBudget is 0)");
        }

        var used = string.Join(", ", SpectrumService.All.Select(s => $"{s.Name} {today.Left(s.Name)}"));
        var text = $"{today.Budget} calls per service on {today.Day:yyyy-MM-dd} UTC; left: {used}";
        return SpectrumService.All.Any(s => today.Left(s.Name) == 0) ? HealthCheckResult.Degraded("spent for a service: " + text) : HealthCheckResult.Healthy(text);
    }
}
