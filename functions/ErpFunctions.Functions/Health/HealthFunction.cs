using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ErpFunctions.Functions.Health;

/// <summary>Every area's health checks (storage reachable, each area's settings valid): 200 when all pass, 503 with what is wrong.</summary>
public sealed class HealthFunction(HealthCheckService health)
{
    [Function("Health")]
    public async Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health")] HttpRequest request)
    {
        var report = await health.CheckHealthAsync(request.HttpContext.RequestAborted);
        var healthy = report.Status == HealthStatus.Healthy;
        var checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status == HealthStatus.Healthy ? "ok" : e.Value.Description ?? "failed");
        return new ObjectResult(new { status = healthy ? "healthy" : "unhealthy", checks })
        {
            StatusCode = healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable,
        };
    }
}
