using ErpFunctions.Domain.Planning;
using ErpFunctions.Domain.Prerequisites;
using ErpFunctions.Domain.Runs;
using ErpFunctions.Runs;

namespace ErpFunctions.Budgets;

/// <summary>
/// Everything the budgets list shows for one job, joined when it is read from the concerns that are stored apart, each
/// by its one writer: the job as Spectrum lists it and its link (<see cref="Listing"/>), its latest totals and
/// availability (<see cref="Snapshot"/>), the baseline of its last import (<see cref="Import"/>), how it was last read
/// (<see cref="Read"/>) and its latest run (<see cref="LastRun"/>). Listing costs no Procore or Spectrum call.
/// </summary>
public sealed record BudgetEntry(
    string Company,
    string Job,
    JobListing? Listing = null,
    BudgetSnapshot? Snapshot = null,
    ImportBaseline? Import = null,
    JobRead? Read = null,
    LastRun? LastRun = null)
{
    /// <summary>The job's description in Spectrum.</summary>
    public string? JobName => Listing?.JobName;

    /// <summary>The job's status in Spectrum: <c>A</c>ctive, <c>I</c>nactive or <c>C</c>omplete.</summary>
    public string? JobStatus => Listing?.JobStatus;

    public string? LinkProblem => Listing?.LinkProblem;
    public long? ProjectId => Listing?.ProjectId;
    public string? ProjectName => Listing?.ProjectName;
    public string? LinkSource => Listing?.LinkSource;

    public DateTimeOffset? RefreshedAt => Snapshot?.RefreshedAt;
    public string? RefreshProblem => Snapshot?.RefreshProblem;
    public decimal? SpectrumTotal => Snapshot?.SpectrumTotal;
    public decimal? ProcoreTotal => Snapshot?.ProcoreTotal;
    public decimal? NewProcoreTotal => Snapshot?.NewProcoreTotal;
    public LeftOutMoney? LeftOut => Snapshot?.LeftOut;
    public DateTimeOffset? TotalsAsOf => Snapshot?.TotalsAsOf;
    public bool? Available => Snapshot?.Available;
    public PrerequisiteCode? BlockedBy => Snapshot?.BlockedBy;
    public string? BlockedReason => Snapshot?.BlockedReason;

    public string? LastRunId => LastRun?.RunId;
    public RunStatus? LastRunStatus => LastRun?.Status;
    public DateTimeOffset? LastRunAt => LastRun?.At;

    /// <summary>When a re-import last wrote the budget: a job is "synced" once imported at least once.</summary>
    public DateTimeOffset? LastImportedAt => Import?.ImportedAt;

    public long? BudgetViewId => Read?.BudgetViewId;
    public string? EstimateShape => Read?.EstimateShape;

    public bool IsLinked => ProjectId is not null;

    public bool IsSynced => Import is not null;

    public bool IsCompleted => string.Equals(JobStatus, "C", StringComparison.OrdinalIgnoreCase);
}
