using Azure.Data.Tables;
using ErpFunctions.Domain.Planning;
using ErpFunctions.Domain.Prerequisites;
using ErpFunctions.Storage;

namespace ErpFunctions.Budgets;

/// <summary>
/// A job's totals as last read, with the time they were read, and whether the job itself allows a re-import (never whose
/// asking: that is each viewer's own), as last worked out, or why that could not be.
/// </summary>
/// <param name="LeftOut">The Spectrum lines with a positive estimate that a re-import would leave out of Procore, and their sum.</param>
/// <param name="RefreshedAt">When the totals and availability were last worked out (or tried).</param>
public sealed record BudgetSnapshot(
    decimal? SpectrumTotal = null,
    decimal? ProcoreTotal = null,
    decimal? NewProcoreTotal = null,
    LeftOutMoney? LeftOut = null,
    DateTimeOffset? TotalsAsOf = null,
    bool? Available = null,
    PrerequisiteCode? BlockedBy = null,
    string? BlockedReason = null,
    DateTimeOffset? RefreshedAt = null,
    string? RefreshProblem = null);

/// <summary>
/// Each job's snapshot (PartitionKey = company, RowKey = job), changed under its ETag. Written by the re-import's reads
/// (previews, runs, the preflight) and the nightly sweep when it finds a job in sync.
/// </summary>
public sealed class BudgetSnapshots(StorageTables tables)
{
    public Task<BudgetSnapshot?> FindAsync(string company, string job, CancellationToken cancellationToken) =>
        ConcernRows.FindAsync<BudgetSnapshotRow, BudgetSnapshot>(Table(cancellationToken), company, job, r => r.ToSnapshot(), cancellationToken);

    /// <summary>Records the snapshot as <paramref name="change"/> makes it from the one stored (null: none yet).</summary>
    public async Task ChangeAsync(string company, string job, Func<BudgetSnapshot?, BudgetSnapshot> change, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        await table.ChangeAsync<BudgetSnapshotRow>(TableKeys.Encode(company), TableKeys.Encode(job),
            current => BudgetSnapshotRow.From(change(current?.ToSnapshot())), cancellationToken);
    }

    /// <summary>Every snapshot of the company after <paramref name="afterJob"/> up to <paramref name="lastJob"/>, by job.</summary>
    public Task<Dictionary<string, BudgetSnapshot>> ListAsync(string company, string? afterJob, string? lastJob,
        CancellationToken cancellationToken) =>
        ConcernRows.ListAsync<BudgetSnapshotRow, BudgetSnapshot>(Table(cancellationToken), company, afterJob, lastJob, r => r.ToSnapshot(), cancellationToken);

    private Task<TableClient> Table(CancellationToken cancellationToken) => tables.GetAsync(StorageTables.Snapshots, cancellationToken);
}

/// <summary>A snapshot as Table Storage holds it: amounts as invariant text (Table Storage has no decimal).</summary>
internal sealed class BudgetSnapshotRow : TableRow
{
    public string? SpectrumTotal { get; set; }
    public string? ProcoreTotal { get; set; }
    public string? NewProcoreTotal { get; set; }
    public int? LeftOutLines { get; set; }
    public string? LeftOutTotal { get; set; }
    public DateTimeOffset? TotalsAsOf { get; set; }
    public bool? Available { get; set; }
    public string? BlockedBy { get; set; }
    public string? BlockedReason { get; set; }
    public DateTimeOffset? RefreshedAt { get; set; }
    public string? RefreshProblem { get; set; }

    public static BudgetSnapshotRow From(BudgetSnapshot s) => new()
    {
        SpectrumTotal = TableKeys.Amount(s.SpectrumTotal), ProcoreTotal = TableKeys.Amount(s.ProcoreTotal),
        NewProcoreTotal = TableKeys.Amount(s.NewProcoreTotal), LeftOutLines = s.LeftOut?.Lines, LeftOutTotal = TableKeys.Amount(s.LeftOut?.Amount),
        TotalsAsOf = s.TotalsAsOf, Available = s.Available, BlockedBy = s.BlockedBy?.ToString(), BlockedReason = s.BlockedReason,
        RefreshedAt = s.RefreshedAt, RefreshProblem = s.RefreshProblem,
    };

    public BudgetSnapshot ToSnapshot() => new(
        TableKeys.Amount(SpectrumTotal), TableKeys.Amount(ProcoreTotal), TableKeys.Amount(NewProcoreTotal),
        LeftOutLines is { } lines ? new LeftOutMoney(lines, TableKeys.Amount(LeftOutTotal) ?? 0m) : null,
        TotalsAsOf, Available, BlockedBy is { } code ? Enum.Parse<PrerequisiteCode>(code) : null, BlockedReason, RefreshedAt, RefreshProblem);
}
