using Azure;
using ErpFunctions.Prerequisites;
using ErpFunctions.Procore;
using ErpFunctions.Reimport;

namespace ErpFunctions.Runs;

public enum RunStatus
{
    Queued,
    Running,
    Succeeded,
    PartiallySucceeded,
    Blocked,
    Failed,
}

public enum RunTrigger
{
    Operator,
    Webhook,
    Timer,
}

public static class RunStatuses
{
    public static bool IsFinished(this RunStatus status) => status is not (RunStatus.Queued or RunStatus.Running);

    /// <summary>Queued → Running → finished, and back to Queued only to wait or retry; a finished run never changes.</summary>
    public static bool CanMoveTo(this RunStatus from, RunStatus to) => from switch
    {
        RunStatus.Queued => to is not RunStatus.Queued,
        RunStatus.Running => to is not RunStatus.Running,
        _ => false,
    };

    /// <summary>What the operator sees, as Procore's own ERP tool words it where it can.</summary>
    public static string Describe(this RunStatus status) => status switch
    {
        RunStatus.Queued => "Queued for re-import",
        RunStatus.Running => "Re-import in progress",
        RunStatus.Succeeded => "Successfully re-imported to Procore",
        RunStatus.PartiallySucceeded => "Re-imported to Procore with errors: some lines were refused",
        RunStatus.Blocked => "Re-import unavailable: a prerequisite is not met",
        _ => "Re-import failed",
    };
}

/// <summary>
/// One re-import, as Table Storage keeps it (design.md; issue 4 §5). Updates carry <see cref="ETag"/>: a writer whose
/// copy is stale loses instead of overwriting a newer state.
/// </summary>
public sealed record RunRecord(
    string RunId,
    string Company,
    string Job,
    RunTrigger Trigger,
    string RequestedBy,
    string CorrelationId,
    RunStatus Status,
    DateTimeOffset CreatedAt)
{
    public long? ProjectId { get; init; }
    public ProcoreAccessLevel? OperatorAccess { get; init; }
    public string? IdempotencyKey { get; init; }
    public long? ErpRequestDetailId { get; init; }

    /// <summary>The ERP request detail that asked for this run has been closed out with its outcome.</summary>
    public bool ErpClosedOut { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public IReadOnlyList<PrerequisiteResult> Prerequisites { get; init; } = [];
    public BudgetTotals? TotalsBefore { get; init; }
    public decimal? ProcoreTotalAfter { get; init; }
    public IReadOnlyDictionary<PlanKind, int> Counts { get; init; } = new Dictionary<PlanKind, int>();
    public int FailedLines { get; init; }
    public int ProcoreReads { get; init; }
    public int ProcoreWrites { get; init; }
    public int SpectrumCalls { get; init; }
    public int Attempts { get; init; }
    public string? Error { get; init; }
    public IReadOnlyList<string> Messages { get; init; } = [];
    public ETag ETag { get; init; }

    public string StatusText => Status.Describe();
}

public enum LineOutcome
{
    /// <summary>Recorded before the write; still so after a crash, until a retry finishes.</summary>
    Planned,

    /// <summary>Procore holds the planned amount (checked by reading it back).</summary>
    Written,

    /// <summary>Procore refused the line or does not hold the planned amount.</summary>
    Failed,

    /// <summary>Nothing to write: unchanged, skipped or unmapped.</summary>
    NoWrite,
}

/// <summary>One plan line of a run, with what happened to it.</summary>
public sealed record RunLine(int Index, PlanLine Plan, LineOutcome Outcome, string? ProcoreMessage);

/// <summary>A newer state was written since this copy was read.</summary>
public sealed class StaleRunUpdateException(string runId)
    : Exception($"Run {runId} was changed by another writer since it was read; the update was not applied.")
{
    public string RunId { get; } = runId;
}

public sealed class RunTransitionException(string runId, RunStatus from, RunStatus to)
    : Exception($"Run {runId} cannot move from {from} to {to}.");
