using ErpFunctions.Functions.Http;
using ErpFunctions.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace ErpFunctions.Functions.Webhooks;

/// <summary>
/// Procore's webhook deliveries. Anonymous at the Functions level: Procore cannot send a function key, so the
/// delivery's own <c>Authorization</c> header (the hook's <c>destination_headers</c>) is what is checked.
/// </summary>
public sealed class ProcoreWebhookFunction(ProcoreWebhookHandler handler, ILogger<ProcoreWebhookFunction> logger)
{
    [Function("ProcoreWebhook")]
    public Task<IActionResult> Receive([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/webhooks/procore")] HttpRequest request) =>
        HttpEndpoint.RunAsync(request, logger, async correlationId =>
        {
            var (bytes, tooLarge) = await RequestReader.ReadBodyAsync(request, request.HttpContext.RequestAborted);
            if (tooLarge is not null)
            {
                return tooLarge;
            }

            var body = System.Text.Encoding.UTF8.GetString(bytes.Span);
            var result = await handler.HandleAsync(request.Headers.Authorization.ToString(), body, correlationId, request.HttpContext.RequestAborted);
            return result.Outcome switch
            {
                WebhookOutcome.Unauthorized => Problems.Unauthorized(result.Reason),
                WebhookOutcome.Invalid => Problems.BadRequest(result.Field ?? "body", result.Reason),
                _ => new OkObjectResult(new { outcome = result.Outcome.ToString(), detail = result.Reason }),
            };
        });
}
