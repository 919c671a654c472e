using ErpFunctions.Budgets;
using ErpFunctions.Domain.Planning;
using ErpFunctions.Domain.Prerequisites;
using ErpFunctions.Domain.Runs;
using ErpFunctions.Reimport;
using ErpFunctions.Operators;
using ErpFunctions.Overview;
using ErpFunctions.Runs;

namespace ErpFunctions.Functions.Http;

// The API's JSON contracts (serialized camelCase); enums travel as their names.

/// <param name="LeftOut">The Spectrum lines with a positive estimate that a re-import would leave out of Procore; null where not worked out.</param>
public sealed record TotalsModel(decimal? CurrentSpectrum, decimal? CurrentProcore, decimal? NewProcoreOnReimport, LeftOutModel? LeftOut,
    DateTimeOffset? AsOf);

/// <summary>How many lines with a positive Spectrum estimate are left out of Procore, and their sum.</summary>
public sealed record LeftOutModel(int Lines, decimal Amount)
{
    public static LeftOutModel? From(LeftOutMoney? money) => money is null ? null : new(money.Lines, money.Amount);
}

public sealed record ReasonModel(string Code, string Message);

public sealed record LastRunModel(string Id, string Status, string StatusText, DateTimeOffset? At, string Url);

/// <param name="State">"Synced" (imported at least once), "Ready to import" (linked, never imported) or "Not linked".</param>
/// <param name="ReimportAvailable">For this viewer; null while the job's totals were never worked out.</param>
public sealed record BudgetModel(
    string Job,
    string? JobName,
    string? JobStatus,
    string State,
    string? NotLinkedReason,
    long? ProjectId,
    string? ProjectName,
    string? ProcoreBudgetUrl,
    TotalsModel Totals,
    bool Synced,
    bool? ReimportAvailable,
    ReasonModel? Unavailable,
    string? RefreshProblem,
    LastRunModel? LastRun,
    string PreviewUrl,
    string ReimportUrl,
    string HistoryUrl);

public sealed record PreflightModel(
    string Id, string Status, string StatusText, int Total, int Done, int Failed, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt,
    DateTimeOffset? WaitingUntil);

public sealed record BudgetListModel(string Filter, IReadOnlyList<BudgetModel> Items, string? NextPageToken, PreflightModel? Preflight);

public sealed record MeModel(long UserId, string Login, string Name, string Access, bool CanReimport);

public sealed record JobHistoryModel(string Job, IReadOnlyList<RunModel> Runs);

public sealed record PrerequisiteModel(string Code, string State, string Message);

public sealed record SourceRowModel(string Phase, string CostType, decimal Estimate, decimal JobToDate);

/// <param name="Sources">The Spectrum rows the line is made of; its estimate is their sum.</param>
public sealed record PlanLineModel(
    int Index, string Kind, string Phase, string CostType, string? CostCode, string? ProcoreCostType, string Description,
    decimal Estimate, decimal JobToDate, decimal? From, decimal? To, string? Rule, string Reason, IReadOnlyList<SourceRowModel> Sources,
    string? Warning, string? Outcome = null, string? ProcoreMessage = null);

public sealed record PreviewModel(
    string Job,
    long? ProjectId,
    string? ProjectName,
    string? ProcoreBudgetUrl,
    bool ReimportAvailable,
    IReadOnlyList<PrerequisiteModel> Prerequisites,
    TotalsModel Totals,
    IReadOnlyDictionary<string, int> Counts,
    IReadOnlyList<string> NewCostCodes,
    int NewBudgetCodes,
    IReadOnlyList<string> Notes,
    IReadOnlyList<PlanLineModel> Lines);

public sealed record ReimportAcceptedModel(string RunId, string Status, string StatusText, bool Joined, bool Replayed, string StatusUrl, string LinesUrl);

public sealed record RunTotalsModel(decimal? CurrentSpectrum, decimal? ProcoreBefore, decimal? NewProcoreOnReimport, LeftOutModel? LeftOut,
    decimal? ProcoreAfter);

public sealed record RunModel(
    string Id,
    string Job,
    long? ProjectId,
    string Trigger,
    string RequestedBy,
    string CorrelationId,
    string Status,
    string StatusText,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    IReadOnlyList<PrerequisiteModel> Prerequisites,
    RunTotalsModel Totals,
    IReadOnlyDictionary<string, int> Counts,
    int FailedLines,
    int NewCostCodes,
    int NewBudgetCodes,
    int CostCodesCreated,
    int BudgetCodesCreated,
    int ProcoreReads,
    int ProcoreWrites,
    int SpectrumCalls,
    int Attempts,
    string? Error,
    IReadOnlyList<string> Messages,
    string LinesUrl);

public sealed record RunLinesModel(string RunId, int Total, IReadOnlyList<PlanLineModel> Lines, string? NextPageToken);

public static class ApiModels
{
    public static string RunUrl(string runId) => $"/api/reimports/{Uri.EscapeDataString(runId)}";

    public static BudgetModel Budget(ListedBudget budget)
    {
        var entry = budget.Entry;
        var job = Uri.EscapeDataString(entry.Job);
        return new BudgetModel(
            entry.Job, entry.JobName, JobStatus(entry.JobStatus),
            entry.IsSynced ? "Synced" : entry.IsLinked ? "Ready to import" : "Not linked",
            entry.IsLinked ? null : entry.LinkProblem,
            entry.ProjectId, entry.ProjectName, budget.BudgetUrl,
            new TotalsModel(entry.SpectrumTotal, entry.ProcoreTotal, entry.NewProcoreTotal, LeftOutModel.From(entry.LeftOut), entry.TotalsAsOf),
            entry.IsSynced,
            budget.Available,
            budget.BlockedBy is { } code ? new ReasonModel(code.ToString(), budget.BlockedReason ?? "") : null,
            entry.RefreshProblem,
            entry.LastRunId is { } runId && entry.LastRunStatus is { } status
                ? new LastRunModel(runId, status.ToString(), status.Describe(), entry.LastRunAt, RunUrl(runId))
                : null,
            $"/api/budgets/{job}/preview",
            $"/api/budgets/{job}/reimport",
            $"/api/budgets/{job}/runs");
    }

    public static PreflightModel? Preflight(PreflightState? state) => state is null ? null : new(
        state.Id, state.Status.ToString(), state.StatusText, state.Total, state.Done, state.Failed, state.StartedAt, state.FinishedAt,
        state.WaitingUntil);

    public static MeModel Me(Operator caller) => new(caller.UserId, caller.Login, caller.Name, caller.Access.Describe(),
        caller.Access >= AccessLevel.Standard);

    private static string? JobStatus(string? code) => code?.ToUpperInvariant() switch
    {
        "A" => "Active",
        "I" => "Inactive",
        "C" => "Complete",
        _ => code,
    };

    public static IReadOnlyList<PrerequisiteModel> Prerequisites(IEnumerable<PrerequisiteResult> results) =>
        [.. results.Select(p => new PrerequisiteModel(p.Code.ToString(), p.State.ToString(), p.Sentence))];

    public static PreviewModel Preview(PreviewResult preview) => new(
        preview.Job.Value, preview.Link?.ProjectId, preview.Link?.ProjectName, preview.BudgetUrl, preview.Available,
        Prerequisites(preview.Prerequisites),
        new TotalsModel(preview.Plan?.Totals.SpectrumTotal, preview.Plan?.Totals.ProcoreTotal, preview.Plan?.Totals.NewProcoreTotal,
            LeftOutModel.From(preview.Plan?.Totals.LeftOut), preview.AsOf),
        Counts(preview.Plan?.Counts),
        preview.Plan?.NewCostCodes ?? [],
        preview.Plan?.NewBudgetCodes ?? 0,
        [.. preview.Notes, .. preview.Plan?.DuplicateNotes ?? [], .. preview.Plan?.Warnings ?? []],
        [.. (preview.Plan?.Lines ?? []).Select((l, i) => Line(i + 1, l))]);

    public static RunModel Run(RunRecord run) => new(
        run.RunId, run.Job, run.ProjectId, run.Trigger.ToString(), run.RequestedBy, run.CorrelationId, run.Status.ToString(),
        run.StatusText, run.CreatedAt, run.StartedAt, run.CompletedAt, Prerequisites(run.Prerequisites),
        new RunTotalsModel(run.TotalsBefore?.SpectrumTotal, run.TotalsBefore?.ProcoreTotal, run.TotalsBefore?.NewProcoreTotal,
            LeftOutModel.From(run.TotalsBefore?.LeftOut), run.ProcoreTotalAfter),
        Counts(run.Counts), run.FailedLines, run.NewCostCodes, run.NewBudgetCodes, run.CostCodesCreated, run.BudgetCodesCreated, run.ProcoreReads, run.ProcoreWrites, run.SpectrumCalls, run.Attempts, run.Error,
        run.Messages, RunUrl(run.RunId) + "/lines");

    public static PlanLineModel Line(int index, PlanLine line, LineOutcome? outcome = null, string? procoreMessage = null) => new(
        index, line.Kind.ToString(), line.Phase, line.CostType, line.CostCode, line.ProcoreCostType, line.Description, line.Estimate,
        line.JobToDate, line.From, line.To, line.Rule, line.Reason,
        [.. line.Sources.Select(r => new SourceRowModel(r.Phase, r.CostType, r.Estimate, r.JobToDate))], line.Warning,
        outcome?.ToString(), procoreMessage);

    private static IReadOnlyDictionary<string, int> Counts(IReadOnlyDictionary<PlanKind, int>? counts) =>
        Enum.GetValues<PlanKind>().ToDictionary(k => k.ToString(), k => counts?.GetValueOrDefault(k) ?? 0);
}
