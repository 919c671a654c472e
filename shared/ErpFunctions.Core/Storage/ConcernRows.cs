using Azure.Data.Tables;

namespace ErpFunctions.Storage;

/// <summary>Rows keyed by company (PartitionKey) and job (RowKey), read a company at a time to be joined by job.</summary>
public static class ConcernRows
{
    /// <summary>
    /// The company's rows after <paramref name="afterJob"/> (from the first when null) up to <paramref name="lastJob"/>
    /// (to the last when null), by job.
    /// </summary>
    public static async Task<Dictionary<string, TValue>> ListAsync<TRow, TValue>(Task<TableClient> table, string company, string? afterJob,
        string? lastJob, Func<TRow, TValue> read, CancellationToken cancellationToken)
        where TRow : class, ITableEntity
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableKeys.Encode(company)} and RowKey gt {TableKeys.Encode(afterJob ?? "")}")
            + (lastJob is null ? "" : TableClient.CreateQueryFilter($" and RowKey le {TableKeys.Encode(lastJob)}"));
        var rows = new Dictionary<string, TValue>(StringComparer.OrdinalIgnoreCase);
        await foreach (var row in (await table).QueryAsync<TRow>(filter, cancellationToken: cancellationToken))
        {
            rows[TableKeys.Decode(row.RowKey)] = read(row);
        }

        return rows;
    }

    /// <summary>The company's row for the job, read as a value, or null.</summary>
    public static async Task<TValue?> FindAsync<TRow, TValue>(Task<TableClient> table, string company, string job, Func<TRow, TValue> read,
        CancellationToken cancellationToken)
        where TRow : class, ITableEntity
        where TValue : class =>
        await (await table).FindAsync<TRow>(TableKeys.Encode(company), TableKeys.Encode(job), cancellationToken) is { } row ? read(row) : null;
}
