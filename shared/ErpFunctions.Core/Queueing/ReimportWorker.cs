using System.Text.Json.Nodes;
using ErpFunctions.Budgets;
using ErpFunctions.Procore;
using ErpFunctions.Reimport;
using ErpFunctions.Runs;
using ErpFunctions.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Queueing;

/// <summary>
/// What the queue trigger does with each message: runs a queued re-import (closing out the ERP request that asked for
/// it), turns an ERP request or a project event into a queued run, and gives up on a message the queue could not
/// process (poison).
/// </summary>
public sealed partial class ReimportWorker(
    ReimportEngine engine,
    ReimportRequests requests,
    ReimportQueue queue,
    RunStore runs,
    BudgetEntries entries,
    IProcoreErpRequests erpRequests,
    IProcoreProjects projects,
    ReimportContextReader reader,
    IOptions<ReimportOptions> options,
    IOptions<WebhookOptions> webhookOptions,
    ILogger<ReimportWorker> logger)
{
    public async Task HandleAsync(ReimportMessage message, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = message.CorrelationId });
        switch (message.Kind)
        {
            case ReimportMessageKind.Run:
                await RunAsync(message, cancellationToken);
                break;
            case ReimportMessageKind.ErpRequest:
                await StartErpRequestAsync(message, cancellationToken);
                break;
            default:
                await StartProjectEventAsync(message, cancellationToken);
                break;
        }
    }

    /// <summary>The queue gave up on the message after its dequeue limit: the run is failed with its last error.</summary>
    public async Task GiveUpAsync(ReimportMessage message, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = message.CorrelationId });
        LogGaveUp(message.Kind, message.RunId ?? message.ErpRequestId?.ToString() ?? message.ProjectId?.ToString() ?? "");
        if (message is { Kind: ReimportMessageKind.Run, RunId: { } runId })
        {
            var run = await engine.GiveUpAsync(runId, "The re-import queue gave up on this run after repeated failures.", cancellationToken);
            await CloseOutAsync(run, cancellationToken);
        }
        else if (message is { Kind: ReimportMessageKind.ErpRequest, ErpRequestId: { } requestId })
        {
            var request = await erpRequests.GetErpRequestAsync(requestId, cancellationToken);
            if (request.RequestDetailId is { } detail)
            {
                await erpRequests.CloseErpRequestDetailAsync(detail, ErpRequestOutcome.Failed,
                    ["ErpFunctions could not start the re-import after repeated failures."], cancellationToken);
            }
        }
    }

    private async Task RunAsync(ReimportMessage message, CancellationToken cancellationToken)
    {
        var outcome = await engine.RunAsync(message.RunId!, cancellationToken);
        if (outcome == RunOutcome.Deferred)
        {
            await queue.SendAsync(message, options.Value.DeferDelay, cancellationToken);
            return;
        }

        await CloseOutAsync(await runs.FindAsync(message.RunId!, cancellationToken), cancellationToken);
    }

    /// <summary>Tells Procore's ERP tool how the run it asked for ended (once, even if the message comes again).</summary>
    private async Task CloseOutAsync(RunRecord? run, CancellationToken cancellationToken)
    {
        if (run is not { ErpRequestDetailId: { } detail, ErpClosedOut: false } || !run.Status.IsFinished())
        {
            return;
        }

        var outcome = run.Status is RunStatus.Succeeded ? ErpRequestOutcome.Success : ErpRequestOutcome.Failed;
        IReadOnlyList<string> messages = [run.StatusText, .. run.Messages.Where(m => m != run.StatusText), .. run.Error is { } e ? [e] : Array.Empty<string>()];
        await erpRequests.CloseErpRequestDetailAsync(detail, outcome, messages, cancellationToken);
        await runs.ChangeAsync(run.RunId, r => r with { ErpClosedOut = true }, cancellationToken);
        LogClosedOut(detail, run.RunId, outcome);
    }

    private async Task StartErpRequestAsync(ReimportMessage message, CancellationToken cancellationToken)
    {
        var request = await erpRequests.GetErpRequestAsync(message.ErpRequestId!.Value, cancellationToken);
        if (!webhookOptions.Value.RequestNames.Contains(request.RequestName ?? "", StringComparer.OrdinalIgnoreCase))
        {
            LogIgnoredErpRequest(request.Id, request.RequestName ?? "");
            return;
        }

        var job = await JobOfErpRequestAsync(request, cancellationToken);
        if (job is null)
        {
            if (request.RequestDetailId is { } detail)
            {
                await erpRequests.CloseErpRequestDetailAsync(detail, ErpRequestOutcome.Failed,
                    ["ErpFunctions could not tell which Spectrum job this request is for."], cancellationToken);
            }

            return;
        }

        await requests.RequestAsync(new ReimportRequest(job, RunTrigger.Webhook, $"procore:erp-request:{request.Id}", message.CorrelationId,
            OperatorAccess: null, IdempotencyKey: $"erp-request:{request.Id}", ErpRequestDetailId: request.RequestDetailId,
            CheckPrerequisites: false), cancellationToken);
    }

    private async Task StartProjectEventAsync(ReimportMessage message, CancellationToken cancellationToken)
    {
        var projectId = message.ProjectId!.Value;
        var job = (await entries.FindByProjectAsync(reader.Company, projectId, cancellationToken))?.Job
            ?? (await projects.FindProjectAsync(projectId, cancellationToken))?.OriginId;
        if (job is null)
        {
            LogUnlinkedProject(projectId, message.Event ?? "");
            return;
        }

        await requests.RequestAsync(new ReimportRequest(job, RunTrigger.Webhook, $"procore:webhook:{message.Event}", message.CorrelationId,
            OperatorAccess: null, CheckPrerequisites: false), cancellationToken);
    }

    /// <summary>The job an ERP request names: its project origin id, job id or id, else the origin id of its project.</summary>
    private async Task<string?> JobOfErpRequestAsync(ProcoreErpRequest request, CancellationToken cancellationToken)
    {
        var data = request.RequestData ?? [];
        foreach (var name in new[] { "project_origin_id", "job_origin_id", "job_id", "id" })
        {
            if (data[name] is JsonValue value && value.ToString() is { Length: > 0 } text)
            {
                return text;
            }
        }

        var projectId = data["project_id"] ?? data["budget"]?["project_id"] ?? data["additional_job_data"]?["procore_project_id"];
        return projectId is JsonValue id && long.TryParse(id.ToString(), out var project)
            ? (await projects.FindProjectAsync(project, cancellationToken))?.OriginId
            : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed out ERP request detail {DetailId} for run {RunId}: {Outcome}")]
    private partial void LogClosedOut(long detailId, string runId, ErpRequestOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "ERP request {RequestId} ({RequestName}) is not a budget re-import; left for others")]
    private partial void LogIgnoredErpRequest(long requestId, string requestName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Project {ProjectId} ({Event}) is linked to no Spectrum job; nothing queued")]
    private partial void LogUnlinkedProject(long projectId, string @event);

    [LoggerMessage(Level = LogLevel.Error, Message = "The queue gave up on a {Kind} message ({Id})")]
    private partial void LogGaveUp(ReimportMessageKind kind, string id);
}
