using Azure;
using ErpFunctions.Spectrum;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ErpFunctions.Companies;

/// <summary>
/// What is left of each company's Data Exchange calls today: degraded once a service's budget is spent for a company
/// (its runs wait for midnight UTC).
/// </summary>
public sealed class SpectrumCallBudgetHealthCheck(SpectrumCallBudget budget, ICompanies companies) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var texts = new List<string>();
        var spent = false;
        foreach (var company in companies.All)
        {
            SpectrumCallsToday today;
            try
            {
                today = await budget.ReadTodayAsync(company, cancellationToken);
            }
            catch (RequestFailedException)
            {
                return HealthCheckResult.Degraded("unknown: today's Spectrum calls could not be read from storage");
            }

            if (today.Budget == 0)
            {
                return HealthCheckResult.Healthy("not counted (Spectrum:DailyCallBudget is 0)");
            }

            var left = string.Join(", ", SpectrumService.All.Select(s => $"{s.Name} {today.Left(s.Name)}"));
            texts.Add($"{(companies.All.Count > 1 ? company.Code + ": " : "")}{today.Budget} calls per service on {today.Day:yyyy-MM-dd} UTC; left: {left}");
            spent |= SpectrumService.All.Any(s => today.Left(s.Name) == 0);
        }

        var text = string.Join("; ", texts);
        return spent ? HealthCheckResult.Degraded("spent for a service: " + text) : HealthCheckResult.Healthy(text);
    }
}
