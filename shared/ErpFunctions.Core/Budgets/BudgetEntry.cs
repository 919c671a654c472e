using ErpFunctions.Domain.Prerequisites;
using ErpFunctions.Domain.Runs;
using ErpFunctions.Runs;

namespace ErpFunctions.Budgets;

/// <summary>
/// Everything the budgets list shows for one job, kept in Table Storage so that listing costs no Procore or Spectrum
/// call: the job's link to its Procore project, its latest totals (with their as-of time), whether a re-import is
/// available, and its last run. Written by preview, re-import and the nightly re-sync.
/// </summary>
public sealed record BudgetEntry(string Company, string Job)
{
    public long? ProjectId { get; init; }
    public string? ProjectName { get; init; }
    public string? LinkSource { get; init; }
    public long? BudgetViewId { get; init; }
    public decimal? SpectrumTotal { get; init; }
    public decimal? ProcoreTotal { get; init; }
    public decimal? NewProcoreTotal { get; init; }
    public DateTimeOffset? TotalsAsOf { get; init; }
    public bool? Available { get; init; }
    public PrerequisiteCode? BlockedBy { get; init; }
    public string? BlockedReason { get; init; }
    public string? LastRunId { get; init; }
    public RunStatus? LastRunStatus { get; init; }
    public DateTimeOffset? LastRunAt { get; init; }

    /// <summary>When a re-import last wrote the budget: a job is "synced" once imported at least once.</summary>
    public DateTimeOffset? LastImportedAt { get; init; }

    /// <summary>Spectrum's and Procore's totals right after the last import.</summary>
    public decimal? ImportedSpectrumTotal { get; init; }
    public decimal? ImportedProcoreTotal { get; init; }

    /// <summary>
    /// Every Spectrum estimate and every Procore line's amount right after the last import, each as one fingerprint: the
    /// nightly sweep tells drift line by line, so that offsetting changes, which leave the totals alone, are seen.
    /// </summary>
    public string? ImportedSpectrumFingerprint { get; init; }
    public string? ImportedProcoreFingerprint { get; init; }

    /// <summary>How the job's Spectrum rows fell per cost type at its last read (opaque here): it cuts the next read's calls.</summary>
    public string? EstimateShape { get; init; }

    public bool IsLinked => ProjectId is not null;

    /// <summary>This entry with <paramref name="run"/> as the job's last run.</summary>
    public BudgetEntry WithLastRun(RunRecord run) => this with
    {
        LastRunId = run.RunId, LastRunStatus = run.Status, LastRunAt = run.CompletedAt ?? run.CreatedAt,
    };
    public bool IsSynced => LastImportedAt is not null;
}
