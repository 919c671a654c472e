using ErpFunctions.Domain.Planning;
using ErpFunctions.Domain.Prerequisites;
using ErpFunctions.Domain.Runs;

namespace ErpFunctions.Runs;

/// <summary>
/// One re-import, as Table Storage keeps it. Updates carry <see cref="Version"/> (the row's ETag): a writer whose copy
/// is stale loses instead of overwriting a newer state.
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
    public AccessLevel? OperatorAccess { get; init; }
    public string? IdempotencyKey { get; init; }
    /// <summary>The ERP request details that asked for this run (the first one, and those that joined it while it was queued).</summary>
    public IReadOnlyList<long> ErpRequestDetailIds { get; init; } = [];

    /// <summary>Every ERP request detail that asked for this run has been closed out with its outcome.</summary>
    public bool ErpClosedOut { get; init; }

    /// <summary>While queued: the run waits for <see cref="WaitingFor"/> to reset at this time.</summary>
    public DateTimeOffset? WaitingUntil { get; init; }

    /// <summary>What the run waits for: Procore's rate limit (the default) or Spectrum's daily call budget.</summary>
    public string? WaitingFor { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public IReadOnlyList<PrerequisiteResult> Prerequisites { get; init; } = [];
    public BudgetTotals? TotalsBefore { get; init; }
    public decimal? ProcoreTotalAfter { get; init; }
    public IReadOnlyDictionary<PlanKind, int> Counts { get; init; } = new Dictionary<PlanKind, int>();
    public int FailedLines { get; init; }

    /// <summary>Cost codes (with their parent tiers) and budget codes the plan needed to create.</summary>
    public int NewCostCodes { get; init; }
    public int NewBudgetCodes { get; init; }

    /// <summary>Cost codes and budget codes Procore created during the run.</summary>
    public int CostCodesCreated { get; init; }
    public int BudgetCodesCreated { get; init; }
    public int ProcoreReads { get; init; }
    public int ProcoreWrites { get; init; }
    public int SpectrumCalls { get; init; }
    public int Attempts { get; init; }
    public string? Error { get; init; }
    public IReadOnlyList<string> Messages { get; init; } = [];
    public string? Version { get; init; }

    public const string ProcoreRateLimit = "Procore's rate limit";
    public const string SpectrumCallBudget = "Spectrum's daily call budget";

    public string StatusText => Status == RunStatus.Queued && WaitingUntil is { } until
        ? $"Waiting for {WaitingFor ?? ProcoreRateLimit} until {until.UtcDateTime:HH:mm} UTC"
        : Status.Describe();
}

/// <summary>A newer state was written since this copy was read.</summary>
public sealed class StaleRunUpdateException(string runId)
    : Exception($"Run {runId} was changed by another writer since it was read; the update was not applied.")
{
    public string RunId { get; } = runId;
}

public sealed class RunTransitionException(string runId, RunStatus from, RunStatus to)
    : Exception($"Run {runId} cannot move from {from} to {to}.");
