using ErpFunctions.Domain.Planning;
using ErpFunctions.Domain.Prerequisites;
using ErpFunctions.Domain.Runs;
using ErpFunctions.Runs;

namespace ErpFunctions.Budgets;

/// <summary>
/// Everything the budgets list shows for one job, kept in Table Storage so that listing costs no Procore or Spectrum
/// call: the job as Spectrum lists it, its link to its Procore project (or why it has none), its latest totals (with
/// their as-of time), whether the job itself allows a re-import (never whose asking: that is each viewer's own), and its
/// last run. Written by the job catalog, preview, re-import, the preflight and the nightly re-sync.
/// </summary>
public sealed record BudgetEntry(string Company, string Job)
{
    /// <summary>The job's description in Spectrum.</summary>
    public string? JobName { get; init; }

    /// <summary>The job's status in Spectrum: <c>A</c>ctive, <c>I</c>nactive or <c>C</c>omplete.</summary>
    public string? JobStatus { get; init; }

    /// <summary>Why the job has no Procore project (none claims it, or several do), when it has none.</summary>
    public string? LinkProblem { get; init; }

    /// <summary>When the job's totals and availability were last worked out (or tried), and why that failed if it did.</summary>
    public DateTimeOffset? RefreshedAt { get; init; }
    public string? RefreshProblem { get; init; }

    public long? ProjectId { get; init; }
    public string? ProjectName { get; init; }
    public string? LinkSource { get; init; }
    public long? BudgetViewId { get; init; }
    public decimal? SpectrumTotal { get; init; }
    public decimal? ProcoreTotal { get; init; }
    public decimal? NewProcoreTotal { get; init; }

    /// <summary>The Spectrum lines with a positive estimate that a re-import would leave out of Procore, and their sum.</summary>
    public LeftOutMoney? LeftOut { get; init; }
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

    /// <summary>The stored row says whether the job is linked, as the list's filters read it (rows from before the catalog may not).</summary>
    public bool IsListed { get; init; }

    /// <summary>This entry with <paramref name="run"/> as the job's last run.</summary>
    public BudgetEntry WithLastRun(RunRecord run) => this with
    {
        LastRunId = run.RunId, LastRunStatus = run.Status, LastRunAt = run.CompletedAt ?? run.CreatedAt,
    };
    public bool IsSynced => LastImportedAt is not null;

    public bool IsCompleted => string.Equals(JobStatus, "C", StringComparison.OrdinalIgnoreCase);
}
