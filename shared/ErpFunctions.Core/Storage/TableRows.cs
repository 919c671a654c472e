using Azure;
using Azure.Data.Tables;

namespace ErpFunctions.Storage;

/// <summary>
/// The one optimistic-concurrency loop of the app's read-modify-write rows: read the row, work out its next state, write
/// it whole under the ETag that was read (or add it when there was none), and start again when another writer got in
/// between. A row is written whole, so clearing a value is leaving it out, never an empty-string sentinel.
/// </summary>
public static class TableRows
{
    /// <summary>How often a write is tried again after another writer got in first, before the conflict is let through.</summary>
    private const int MaxAttempts = 20;

    /// <summary>
    /// Applies <paramref name="change"/> to the row (null when there is none) until it is written without a conflict;
    /// a change that answers null leaves the row as it is. Answers the row as it is now. <paramref name="known"/>, the
    /// row as this caller last wrote it, saves the first read: when another writer changed it since, the write is
    /// refused and the row read.
    /// </summary>
    public static async Task<T?> ChangeAsync<T>(this TableClient table, string partitionKey, string rowKey, Func<T?, T?> change,
        CancellationToken cancellationToken, T? known = null)
        where T : class, ITableEntity
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = attempt == 1 && known is not null ? known : await table.FindAsync<T>(partitionKey, rowKey, cancellationToken);
            var version = current?.ETag;
            if (change(current) is not { } next)
            {
                return current;
            }

            (next.PartitionKey, next.RowKey) = (partitionKey, rowKey);
            try
            {
                var response = version is { } etag
                    ? await table.UpdateEntityAsync(next, etag, TableUpdateMode.Replace, cancellationToken)
                    : await table.AddEntityAsync(next, cancellationToken);
                next.ETag = response.Headers.ETag ?? default;
                return next;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < MaxAttempts)
            {
                // Another writer changed (or added) the row since it was read: read it again and apply the change to that.
            }
        }
    }

    /// <summary>The row, or null.</summary>
    public static async Task<T?> FindAsync<T>(this TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        var found = await table.GetEntityIfExistsAsync<T>(partitionKey, rowKey, cancellationToken: cancellationToken);
        return found.HasValue ? found.Value : null;
    }
}

/// <summary>What every typed row has: its keys, its time and its ETag.</summary>
public abstract class TableRow : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }
}
