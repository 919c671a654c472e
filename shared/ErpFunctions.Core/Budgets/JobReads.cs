using Azure.Data.Tables;
using ErpFunctions.Storage;

namespace ErpFunctions.Budgets;

/// <summary>
/// How a job was last read: the shape of its Spectrum rows per cost type (opaque here; it cuts the next read's calls)
/// and the Procore budget view its budget was read from (so that the next read needs no view list).
/// </summary>
public sealed record JobRead(string? EstimateShape, long? BudgetViewId);

/// <summary>Each job's last read (PartitionKey = company, RowKey = job), written by whatever reads the job (runs, previews, the sweep).</summary>
public sealed class JobReads(StorageTables tables)
{
    public Task<JobRead?> FindAsync(string company, string job, CancellationToken cancellationToken) =>
        ConcernRows.FindAsync<JobReadRow, JobRead>(Table(cancellationToken), company, job, r => r.ToRead(), cancellationToken);

    /// <summary>Records what this read learnt; what it did not learn (null) is kept as it was.</summary>
    public async Task SaveAsync(string company, string job, JobRead read, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        await table.ChangeAsync<JobReadRow>(TableKeys.Encode(company), TableKeys.Encode(job), current => new JobReadRow
        {
            EstimateShape = read.EstimateShape ?? current?.EstimateShape,
            BudgetViewId = read.BudgetViewId ?? current?.BudgetViewId,
        }, cancellationToken);
    }

    /// <summary>Every job's last read of the company after <paramref name="afterJob"/> up to <paramref name="lastJob"/>, by job.</summary>
    public Task<Dictionary<string, JobRead>> ListAsync(string company, string? afterJob, string? lastJob,
        CancellationToken cancellationToken) =>
        ConcernRows.ListAsync<JobReadRow, JobRead>(Table(cancellationToken), company, afterJob, lastJob, r => r.ToRead(), cancellationToken);

    private Task<TableClient> Table(CancellationToken cancellationToken) => tables.GetAsync(StorageTables.JobReads, cancellationToken);
}

internal sealed class JobReadRow : TableRow
{
    public string? EstimateShape { get; set; }
    public long? BudgetViewId { get; set; }

    public JobRead ToRead() => new(EstimateShape, BudgetViewId);
}
