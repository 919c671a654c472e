using ErpFunctions.Domain.Prerequisites;
using ErpFunctions.Domain.Runs;
using ErpFunctions.Queueing;
using ErpFunctions.Runs;

namespace ErpFunctions.Reimport;

/// <summary>A run's message carries its request, so that the worker can write the run's row when the request could not.</summary>
public static class RunMessages
{
    public static ReimportMessage For(RunRecord run) => new(ReimportMessageKind.Run, run.CorrelationId, run.RunId, Company: run.Company,
        Run: new QueuedRun(run.Company, run.Job, run.Trigger.ToString(), run.RequestedBy, run.CreatedAt, run.OperatorAccess?.ToString(),
            run.IdempotencyKey, run.ErpRequestDetailIds));

    /// <summary>The queued run a message stands for, as the request that sent it meant to write it.</summary>
    public static RunRecord? RunOf(ReimportMessage message) => message is { RunId: { } runId, Run: { } run }
        ? new RunRecord(runId, run.Company, run.Job, Enum.Parse<RunTrigger>(run.Trigger), run.RequestedBy, message.CorrelationId,
            RunStatus.Queued, run.CreatedAt)
        {
            OperatorAccess = run.OperatorAccess is { } access ? Enum.Parse<AccessLevel>(access) : null,
            IdempotencyKey = run.IdempotencyKey,
            ErpRequestDetailIds = run.ErpRequestDetailIds ?? [],
        }
        : null;
}
