using Azure.Data.Tables;
using ErpFunctions.Domain.Runs;
using ErpFunctions.Storage;

namespace ErpFunctions.Runs;

/// <summary>A job's latest run as the budgets list shows it: which, how it stands, and when it last moved.</summary>
/// <param name="At">When it finished, or when it was asked for while it has not.</param>
public sealed record LastRun(string RunId, RunStatus Status, DateTimeOffset At, DateTimeOffset CreatedAt);

/// <summary>
/// Each job's latest run (PartitionKey = company, RowKey = job). Written by the run store alone, whenever a run is
/// created or changes status, and only by the job's newest run (an older run finishing late leaves it alone); a run
/// recorded finished is never shown unfinished again by a late write of an earlier state.
/// </summary>
public sealed class LastRuns(StorageTables tables)
{
    public Task<LastRun?> FindAsync(string company, string job, CancellationToken cancellationToken) =>
        ConcernRows.FindAsync<LastRunRow, LastRun>(Table(cancellationToken), company, job, r => r.ToLastRun(), cancellationToken);

    /// <summary>Every job's latest run of the company after <paramref name="afterJob"/> up to <paramref name="lastJob"/>, by job.</summary>
    public Task<Dictionary<string, LastRun>> ListAsync(string company, string? afterJob, string? lastJob, CancellationToken cancellationToken) =>
        ConcernRows.ListAsync<LastRunRow, LastRun>(Table(cancellationToken), company, afterJob, lastJob, r => r.ToLastRun(), cancellationToken);

    internal async Task RecordAsync(RunRecord run, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        await table.ChangeAsync<LastRunRow>(TableKeys.Encode(run.Company), TableKeys.Encode(run.Job), current =>
            current is not null && (current.RunId == run.RunId
                ? current.ToLastRun().Status.IsFinished() && !run.Status.IsFinished()
                : current.CreatedAt > run.CreatedAt)
                ? null
                : new LastRunRow
                {
                    RunId = run.RunId, Status = run.Status.ToString(), At = run.CompletedAt ?? run.CreatedAt, CreatedAt = run.CreatedAt,
                }, cancellationToken);
    }

    private Task<TableClient> Table(CancellationToken cancellationToken) => tables.GetAsync(StorageTables.LastRuns, cancellationToken);
}

internal sealed class LastRunRow : TableRow
{
    public string RunId { get; set; } = "";
    public string Status { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public LastRun ToLastRun() => new(RunId, Enum.Parse<RunStatus>(Status), At, CreatedAt);
}
