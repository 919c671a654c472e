using ErpFunctions.Companies;
using ErpFunctions.Budgets;
using ErpFunctions.Diagnostics;
using ErpFunctions.Domain.Prerequisites;
using ErpFunctions.Functions.Http;
using ErpFunctions.Operators;
using ErpFunctions.Overview;
using ErpFunctions.Reimport;
using ErpFunctions.Requests;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace ErpFunctions.Functions.Budgets;

/// <summary>The operator's budgets: list with totals, preview, refresh, and re-import.</summary>
public sealed class BudgetFunctions(
    ICompanies companies,
    OperatorAuthorizer operators,
    BudgetList list,
    BudgetPreviews previews,
    OperatorReimports reimports,
    JobHistory history,
    ILogger<BudgetFunctions> logger)
{
    [Function("ListBudgets")]
    public Task<IActionResult> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/budgets")] HttpRequest request) =>
        HttpEndpoint.RunAsOperatorAsync(request, logger, operators, companies.Default, AccessLevel.ReadOnly, "see budgets", async (caller, correlationId) =>
            await list.ListAsync(caller.Company, new BudgetQuery(request.Query["filter"], request.Query["includeCompleted"], request.Query["pageSize"],
                    request.Query["pageToken"]), caller.Access, correlationId, request.HttpContext.RequestAborted) switch
            {
                BudgetListOutcome.Listed listed => new OkObjectResult(new BudgetListModel(listed.Filter.ToString().ToLowerInvariant(),
                    [.. listed.Items.Select(ApiModels.Budget)], listed.NextPageToken, ApiModels.Preflight(listed.Preflight))),
                BudgetListOutcome.Invalid invalid => Problems.BadRequest(invalid.Field, invalid.Detail),
                _ => throw new InvalidOperationException(),
            });

    [Function("BudgetHistory")]
    public Task<IActionResult> History(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/budgets/{job}/runs")] HttpRequest request, string job) =>
        HttpEndpoint.RunForJobAsync(request, logger, operators, companies.Default, AccessLevel.ReadOnly, "see a job's re-imports", job, async (caller, number, _) =>
            Answer(await history.ListAsync(caller.Company, number, request.HttpContext.RequestAborted),
                runs => new JobHistoryModel(number.Value, [.. runs.Select(ApiModels.Run)])));

    [Function("PreviewBudget")]
    public Task<IActionResult> Preview(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/budgets/{job}/preview")] HttpRequest request, string job) =>
        HttpEndpoint.RunForJobAsync(request, logger, operators, companies.Default, AccessLevel.ReadOnly, "preview a re-import", job, async (caller, number, _) =>
            Answer(await previews.PreviewAsync(CallContext.For(caller.Company), number, caller.Access, request.HttpContext.RequestAborted), ApiModels.Preview));

    [Function("RefreshBudget")]
    public Task<IActionResult> Refresh(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/budgets/{job}/refresh")] HttpRequest request, string job) =>
        HttpEndpoint.RunForJobAsync(request, logger, operators, companies.Default, AccessLevel.ReadOnly, "refresh a budget's totals", job, async (caller, number, _) =>
            Answer(await previews.RefreshAsync(CallContext.For(caller.Company), number, caller.Access, request.HttpContext.RequestAborted), ApiModels.Budget));

    [Function("ReimportBudget")]
    public Task<IActionResult> Reimport(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/budgets/{job}/reimport")] HttpRequest request, string job) =>
        HttpEndpoint.RunForJobAsync(request, logger, operators, companies.Default, AccessLevel.Standard, "re-import a budget", job, async (caller, number, correlationId) =>
        {
            var (body, problem) = await RequestReader.ReadJsonObjectAsync(request, request.HttpContext.RequestAborted);
            if (problem is not null)
            {
                return problem;
            }

            var outcome = await reimports.RequestAsync(caller.Company, number, body!.Value, request.Headers["Idempotency-Key"].ToString(), caller, correlationId,
                request.HttpContext.RequestAborted);
            return Map(outcome);
        });

    private static IActionResult Answer<T>(JobResult<T> result, Func<T, object> body) => result switch
    {
        JobResult<T>.Found found => new OkObjectResult(body(found.Value)),
        JobResult<T>.UnknownJob unknown => Problems.NotFound(unknown.Reason, "job"),
        _ => throw new InvalidOperationException(),
    };

    private static IActionResult Map(ReimportRequestOutcome outcome) => outcome switch
    {
        ReimportRequestOutcome.Accepted accepted => new AcceptedResult(ApiModels.RunUrl(accepted.Run.RunId), new ReimportAcceptedModel(
            accepted.Run.RunId, accepted.Run.Status.ToString(), accepted.Run.StatusText, accepted.Joined, accepted.Replayed,
            ApiModels.RunUrl(accepted.Run.RunId), ApiModels.RunUrl(accepted.Run.RunId) + "/lines")),
        ReimportRequestOutcome.Unavailable unavailable => Unavailable(unavailable),
        ReimportRequestOutcome.UnknownJob unknown => Problems.NotFound(unknown.Reason, "job"),
        ReimportRequestOutcome.KeyReused reused => Problems.Create(StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused",
            $"This Idempotency-Key was already used to re-import job {reused.Job}; use a new key for a new request.", "Idempotency-Key"),
        ReimportRequestOutcome.Invalid invalid => Problems.BadRequest(invalid.Field, invalid.Detail),
        _ => throw new InvalidOperationException(),
    };

    private static ObjectResult Unavailable(ReimportRequestOutcome.Unavailable unavailable)
    {
        var failed = unavailable.Prerequisites.Failing();
        return Problems.Create(StatusCodes.Status409Conflict, "Re-import unavailable",
            string.Join(" ", failed.Select(p => p.Sentence.TrimEnd('.') + ".")), "job",
            extensions: new Dictionary<string, object?>
            {
                ["code"] = failed[0].Code.ToString(),
                ["codes"] = failed.Select(p => p.Code.ToString()).ToList(),
                ["prerequisites"] = ApiModels.Prerequisites(unavailable.Prerequisites),
            });
    }
}
