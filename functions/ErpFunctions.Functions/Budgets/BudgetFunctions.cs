using System.Text.Json;
using ErpFunctions.Budgets;
using ErpFunctions.Functions.Http;
using ErpFunctions.Operators;
using ErpFunctions.Procore;
using ErpFunctions.Reimport;
using ErpFunctions.Runs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace ErpFunctions.Functions.Budgets;

/// <summary>The operator's budgets: list with totals, preview, refresh, and re-import.</summary>
public sealed class BudgetFunctions(
    OperatorAuthorizer operators,
    BudgetEntries budgets,
    ReimportEngine engine,
    ReimportRequests requests,
    ReimportContextReader reader,
    IProcoreBudget procore,
    ILogger<BudgetFunctions> logger)
{
    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 200;

    [Function("ListBudgets")]
    public Task<IActionResult> List([HttpTrigger(AuthorizationLevel.Function, "get", Route = "budgets")] HttpRequest request) =>
        HttpEndpoint.RunAsync(request, logger, async _ =>
        {
            var (_, refusal) = await HttpEndpoint.AuthorizeAsync(operators, request, ProcoreAccessLevel.ReadOnly, "see budgets");
            if (refusal is not null)
            {
                return refusal;
            }

            var filterText = request.Query["filter"].ToString();
            if (!Enum.TryParse<BudgetFilter>(filterText.Length == 0 ? "all" : filterText, ignoreCase: true, out var filter) || filterText.Any(char.IsDigit))
            {
                return Problems.BadRequest("filter", $"filter is '{filterText}'; use synced, ready or all.");
            }

            var sizeText = request.Query["pageSize"].ToString();
            var pageSize = DefaultPageSize;
            if (sizeText.Length > 0 && (!int.TryParse(sizeText, out pageSize) || pageSize is < 1 or > MaxPageSize))
            {
                return Problems.BadRequest("pageSize", $"pageSize must be a whole number from 1 to {MaxPageSize}.");
            }

            var token = request.Query["pageToken"].ToString();
            var page = await budgets.ListAsync(reader.Company, filter, pageSize, token.Length == 0 ? null : token, request.HttpContext.RequestAborted);
            var items = page.Entries.Select(e => ApiModels.Budget(e, e.ProjectId is { } id ? procore.BudgetPageUrl(id) : null)).ToList();
            return new OkObjectResult(new BudgetListModel(filter.ToString().ToLowerInvariant(), items, page.ContinuationToken));
        });

    [Function("PreviewBudget")]
    public Task<IActionResult> Preview(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "budgets/{job}/preview")] HttpRequest request, string job) =>
        HttpEndpoint.RunAsync(request, logger, async _ =>
        {
            var (preview, refusal) = await PreviewAsync(request, job, "preview a re-import");
            return refusal ?? new OkObjectResult(ApiModels.Preview(preview!));
        });

    [Function("RefreshBudget")]
    public Task<IActionResult> Refresh(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "budgets/{job}/refresh")] HttpRequest request, string job) =>
        HttpEndpoint.RunAsync(request, logger, async _ =>
        {
            var (preview, refusal) = await PreviewAsync(request, job, "refresh a budget's totals");
            if (refusal is not null)
            {
                return refusal;
            }

            var entry = await budgets.FindAsync(preview!.Company, job, request.HttpContext.RequestAborted);
            return new OkObjectResult(ApiModels.Budget(entry!, preview.BudgetUrl));
        });

    [Function("ReimportBudget")]
    public Task<IActionResult> Reimport(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "budgets/{job}/reimport")] HttpRequest request, string job) =>
        HttpEndpoint.RunAsync(request, logger, async correlationId =>
        {
            var (caller, refusal) = await AuthorizeForJobAsync(request, job, ProcoreAccessLevel.Standard, "re-import a budget");
            if (refusal is not null)
            {
                return refusal;
            }

            var (body, problem) = await RequestReader.ReadJsonObjectAsync(request, request.HttpContext.RequestAborted);
            if (problem is not null)
            {
                return problem;
            }

            if (!body!.Value.TryGetProperty("confirm", out var confirm))
            {
                return Problems.BadRequest("confirm", "Send {\"confirm\": true} to confirm the re-import.");
            }

            if (confirm.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return Problems.BadRequest("confirm", $"confirm must be a boolean, not a {confirm.ValueKind.ToString().ToLowerInvariant()}.");
            }

            if (confirm.ValueKind == JsonValueKind.False)
            {
                return Problems.BadRequest("confirm", "confirm is false: nothing was re-imported.");
            }

            var key = request.Headers["Idempotency-Key"].ToString();
            if (key.Length > 200)
            {
                return Problems.BadRequest("Idempotency-Key", "The Idempotency-Key header may hold at most 200 characters.");
            }

            var outcome = await requests.RequestAsync(new ReimportRequest(job, RunTrigger.Operator, caller!.DisplayName, correlationId,
                caller.Access, key.Length == 0 ? null : key), request.HttpContext.RequestAborted);
            return Map(outcome);
        });

    /// <summary>The operator, once their level and the job number are checked; else the problem that refuses them.</summary>
    private async Task<(Operator? Operator, IActionResult? Refusal)> AuthorizeForJobAsync(HttpRequest request, string job,
        ProcoreAccessLevel required, string action)
    {
        var (caller, refusal) = await HttpEndpoint.AuthorizeAsync(operators, request, required, action);
        return (caller, refusal ?? RequestReader.InvalidJob(job));
    }

    /// <summary>A dry run of the job's re-import (it also refreshes the job's snapshot), or the problem that prevents it.</summary>
    private async Task<(PreviewResult? Preview, IActionResult? Refusal)> PreviewAsync(HttpRequest request, string job, string action)
    {
        var (caller, refusal) = await AuthorizeForJobAsync(request, job, ProcoreAccessLevel.ReadOnly, action);
        if (refusal is not null)
        {
            return (null, refusal);
        }

        var preview = await engine.PreviewAsync(job, caller!.Access, request.HttpContext.RequestAborted);
        return preview.JobFound
            ? (preview, null)
            : (null, Problems.NotFound($"Spectrum company {preview.Company} has no job {job}.", "job"));
    }

    private static IActionResult Map(ReimportRequestOutcome outcome) => outcome switch
    {
        ReimportRequestOutcome.Accepted accepted => new AcceptedResult(ApiModels.RunUrl(accepted.Run.RunId), new ReimportAcceptedModel(
            accepted.Run.RunId, accepted.Run.Status.ToString(), accepted.Run.StatusText, accepted.Joined, accepted.Replayed,
            ApiModels.RunUrl(accepted.Run.RunId), ApiModels.RunUrl(accepted.Run.RunId) + "/lines")),
        ReimportRequestOutcome.Unavailable unavailable => Unavailable(unavailable),
        ReimportRequestOutcome.UnknownJob unknown => Problems.NotFound(unknown.Reason, "job"),
        ReimportRequestOutcome.KeyReused reused => Problems.Create(StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused",
            $"This Idempotency-Key was already used to re-import job {reused.Job}; use a new key for a new request.", "Idempotency-Key"),
        _ => throw new InvalidOperationException(),
    };

    private static ObjectResult Unavailable(ReimportRequestOutcome.Unavailable unavailable)
    {
        var failed = unavailable.Prerequisites.Where(p => p.State == Prerequisites.PrerequisiteState.Failed).ToList();
        return Problems.Create(StatusCodes.Status409Conflict, "Re-import unavailable",
            string.Join(" ", failed.Select(p => p.Sentence.TrimEnd('.') + ".")),
            extensions: new Dictionary<string, object?>
            {
                ["code"] = failed[0].Code.ToString(),
                ["codes"] = failed.Select(p => p.Code.ToString()).ToList(),
                ["prerequisites"] = ApiModels.Prerequisites(unavailable.Prerequisites),
            });
    }
}
