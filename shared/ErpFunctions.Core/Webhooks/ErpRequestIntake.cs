using ErpFunctions.Companies;
using ErpFunctions.Diagnostics;
using ErpFunctions.Domain.Jobs;
using ErpFunctions.Domain.Runs;
using ErpFunctions.Links;
using ErpFunctions.Procore;
using ErpFunctions.Queueing;
using ErpFunctions.Requests;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Webhooks;

/// <summary>
/// Takes in an ERP request that Procore's ERP Integrations tool created: a budget re-import request (by its name)
/// becomes a queued run for the job it names, which closes the request out when it ends; any other is left alone.
/// </summary>
public sealed partial class ErpRequestIntake(
    ICompanies companies,
    IProcoreErpRequests erpRequests,
    JobLinks links,
    ReimportRequests requests,
    WebhookDeliveries deliveries,
    RateLimitWaits waits,
    IOptions<WebhookOptions> options,
    ILogger<ErpRequestIntake> logger) : IWorkHandler
{
    public async Task HandleAsync(ReimportMessage message, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginCorrelationScope(message.CorrelationId);
        var calls = CallContext.For(companies.Of(message));
        await waits.DoOrWaitAsync(message, () => TakeInAsync(calls, message, cancellationToken), cancellationToken);
    }

    private async Task TakeInAsync(CallContext calls, ReimportMessage message, CancellationToken cancellationToken)
    {
        ErpRequest request;
        try
        {
            request = await erpRequests.GetErpRequestAsync(calls, message.ErpRequestId!.Value, cancellationToken);
        }
        catch (ProcoreApiException missing) when (missing.IsNotFound)
        {
            // Procore would only answer the same again: the delivery is recorded as failed instead of retried.
            LogUnknownRequest(message.ErpRequestId!.Value, message.DeliveryId);
            if (message.DeliveryId is { } delivery)
            {
                await deliveries.MarkFailedAsync(delivery,
                    $"Procore has no ERP request {message.ErpRequestId} (it answered 404); nothing was queued.", cancellationToken);
            }

            return;
        }

        if (!options.Value.RequestNames.Contains(request.Name ?? "", StringComparer.OrdinalIgnoreCase))
        {
            LogIgnored(request.Id, request.Name ?? "");
            return;
        }

        if (request.Job is { } named && !JobNumber.TryParse(named, out _))
        {
            await FailAsync(calls, request, $"The request names job '{named}', which is not a Spectrum job number ({JobNumber.Rule}).", cancellationToken);
            return;
        }

        var job = await JobOfAsync(calls, request, cancellationToken);
        if (job is null)
        {
            await FailAsync(calls, request, "ErpFunctions could not tell which Spectrum job this request is for.", cancellationToken);
            return;
        }

        await requests.RequestAsync(new ReimportRequest(calls.Company, job, RunTrigger.Webhook, $"procore:erp-request:{request.Id}", message.CorrelationId,
            OperatorAccess: null, IdempotencyKey: $"erp-request:{request.Id}", ErpRequestDetailId: request.DetailId,
            CheckPrerequisites: false), cancellationToken);
    }

    /// <summary>The queue gave up on starting the request: it is closed out as failed.</summary>
    public async Task GiveUpAsync(ReimportMessage message, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginCorrelationScope(message.CorrelationId);
        LogGaveUp(message.ErpRequestId!.Value);
        var calls = CallContext.For(companies.Of(message));
        var request = await erpRequests.GetErpRequestAsync(calls, message.ErpRequestId.Value, cancellationToken);
        await FailAsync(calls, request, "ErpFunctions could not start the re-import after repeated failures.", cancellationToken);
    }

    /// <summary>The job the request names, else the job of the project it is about.</summary>
    private async Task<JobNumber?> JobOfAsync(CallContext calls, ErpRequest request, CancellationToken cancellationToken) =>
        JobNumber.TryParse(request.Job, out var job) ? job
        : request.ProjectId is { } projectId ? await links.FindJobAsync(calls, projectId, cancellationToken)
        : null;

    private async Task FailAsync(CallContext calls, ErpRequest request, string message, CancellationToken cancellationToken)
    {
        if (request.DetailId is { } detail)
        {
            await erpRequests.CloseErpRequestDetailAsync(calls, detail, ErpRequestOutcome.Failed, [message], cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "ERP request {RequestId} ({RequestName}) is not a budget re-import; left for others")]
    private partial void LogIgnored(long requestId, string requestName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Procore has no ERP request {RequestId} (delivery {DeliveryId}); recorded as failed")]
    private partial void LogUnknownRequest(long requestId, string? deliveryId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The queue gave up on ERP request {RequestId}")]
    private partial void LogGaveUp(long requestId);
}
