using ErpFunctions.Companies;
using ErpFunctions.Domain.Prerequisites;
using ErpFunctions.Functions.Http;
using ErpFunctions.Operators;
using ErpFunctions.Overview;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace ErpFunctions.Functions.Budgets;

/// <summary>The preflight: every linked job's totals and availability worked out again in the background, with progress.</summary>
public sealed class PreflightFunctions(
    ICompanies companies,
    OperatorAuthorizer operators,
    Preflights preflights,
    ILogger<PreflightFunctions> logger)
{
    [Function("StartPreflight")]
    public Task<IActionResult> Start([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/preflight")] HttpRequest request) =>
        HttpEndpoint.RunAsOperatorAsync(request, logger, operators, companies.Default, AccessLevel.ReadOnly, "refresh every budget's totals",
            async (caller, correlationId) => new AcceptedResult("/api/preflight",
                ApiModels.Preflight(await preflights.StartAsync(caller.Company, correlationId, request.HttpContext.RequestAborted))));

    [Function("GetPreflight")]
    public Task<IActionResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/preflight")] HttpRequest request) =>
        HttpEndpoint.RunAsOperatorAsync(request, logger, operators, companies.Default, AccessLevel.ReadOnly, "see budgets", async (caller, _) =>
            await preflights.CurrentAsync(caller.Company, request.HttpContext.RequestAborted) is { } state
                ? new OkObjectResult(ApiModels.Preflight(state))
                : Problems.NotFound("No preflight has run yet; start one with POST /api/preflight.", "url"));
}
