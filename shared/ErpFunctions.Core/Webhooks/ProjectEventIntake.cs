using ErpFunctions.Companies;
using ErpFunctions.Diagnostics;
using ErpFunctions.Domain.Runs;
using ErpFunctions.Links;
using ErpFunctions.Queueing;
using ErpFunctions.Requests;
using Microsoft.Extensions.Logging;

namespace ErpFunctions.Webhooks;

/// <summary>Takes in a configured Procore event on a project (<c>Webhooks:ReimportTriggers</c>): the project's job is re-imported.</summary>
public sealed partial class ProjectEventIntake(ICompanies companies, JobLinks links, ReimportRequests requests, RateLimitWaits waits,
    ILogger<ProjectEventIntake> logger) : IWorkHandler
{
    public async Task HandleAsync(ReimportMessage message, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginCorrelationScope(message.CorrelationId);
        var calls = CallContext.For(companies.Of(message));
        await waits.DoOrWaitAsync(message, () => TakeInAsync(calls, message, cancellationToken), cancellationToken);
    }

    private async Task TakeInAsync(CallContext calls, ReimportMessage message, CancellationToken cancellationToken)
    {
        var projectId = message.ProjectId!.Value;
        if (await links.FindJobAsync(calls, projectId, cancellationToken) is not { } job)
        {
            LogUnlinkedProject(projectId, message.Event ?? "");
            return;
        }

        await requests.RequestAsync(new ReimportRequest(calls.Company, job, RunTrigger.Webhook, $"procore:webhook:{message.Event}", message.CorrelationId,
            OperatorAccess: null, IdempotencyKey: message.DeliveryId is { } delivery ? $"delivery:{delivery}" : null,
            CheckPrerequisites: false), cancellationToken);
    }

    /// <summary>Nothing was started for the event, so there is nothing to fail: the give-up is only logged.</summary>
    public Task GiveUpAsync(ReimportMessage message, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginCorrelationScope(message.CorrelationId);
        LogGaveUp(message.ProjectId!.Value, message.Event ?? "");
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Project {ProjectId} ({Event}) is linked to no Spectrum job; nothing queued")]
    private partial void LogUnlinkedProject(long projectId, string @event);

    [LoggerMessage(Level = LogLevel.Error, Message = "The queue gave up on event {Event} of project {ProjectId}")]
    private partial void LogGaveUp(long projectId, string @event);
}
