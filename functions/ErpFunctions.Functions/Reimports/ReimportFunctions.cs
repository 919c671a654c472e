using ErpFunctions.Companies;
using ErpFunctions.Domain.Prerequisites;
using ErpFunctions.Functions.Http;
using ErpFunctions.Operators;
using ErpFunctions.Runs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace ErpFunctions.Functions.Reimports;

/// <summary>Following a re-import: its status, totals and messages, and what became of each line.</summary>
public sealed class ReimportFunctions(
    ICompanies companies,
    OperatorAuthorizer operators,
    RunStore runs,
    ILogger<ReimportFunctions> logger)
{
    [Function("GetReimport")]
    public Task<IActionResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/reimports/{id}")] HttpRequest request, string id) =>
        HttpEndpoint.RunAsOperatorAsync(request, logger, operators, companies.Default, AccessLevel.ReadOnly, "follow a re-import", async (caller, _) =>
        {
            var run = await FindAsync(caller, id, request.HttpContext.RequestAborted);
            return run is null ? Problems.NotFound($"There is no re-import {RequestReader.Truncate(id)}.", "id") : new OkObjectResult(ApiModels.Run(run));
        });

    [Function("GetReimportLines")]
    public Task<IActionResult> Lines(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/reimports/{id}/lines")] HttpRequest request, string id) =>
        HttpEndpoint.RunAsOperatorAsync(request, logger, operators, companies.Default, AccessLevel.ReadOnly, "follow a re-import", async (caller, _) =>
        {
            if (await FindAsync(caller, id, request.HttpContext.RequestAborted) is null)
            {
                return Problems.NotFound($"There is no re-import {RequestReader.Truncate(id)}.", "id");
            }

            var (page, field) = LinePage.Read(request.Query["pageSize"], request.Query["pageToken"]);
            if (page is null || await runs.GetLinesPageAsync(id, page, request.HttpContext.RequestAborted) is not { } lines)
            {
                return Problems.BadRequest(field ?? "pageToken",
                    $"pageSize is a whole number from 1 to {LinePage.MaxSize}; pageToken is the nextPageToken of the page before.");
            }

            return new OkObjectResult(new RunLinesModel(id, lines.Total,
                [.. lines.Lines.Select(l => ApiModels.Line(l.Index, l.Plan, l.Outcome, l.ProcoreMessage))], lines.NextPageToken));
        });

    /// <summary>The run, when it is one of the caller's company (another company's run is no run to them).</summary>
    private async Task<RunRecord?> FindAsync(Operator caller, string id, CancellationToken cancellationToken) =>
        RequestReader.IsSafeId(id) && await runs.FindAsync(id, cancellationToken) is { } run
        && string.Equals(run.Company, caller.Company.Code, StringComparison.OrdinalIgnoreCase)
            ? run
            : null;
}
