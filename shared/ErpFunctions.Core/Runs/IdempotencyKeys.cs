using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using ErpFunctions.Storage;

namespace ErpFunctions.Runs;

/// <summary>The run an idempotency key started, and the job it was for.</summary>
public sealed record KeyedRun(string Job, string RunId);

/// <summary>
/// Idempotency keys, scoped to the company and to whoever sent them (only their hash is stored): the first request with
/// a key claims it for its run; every later one finds that run.
/// </summary>
public sealed class IdempotencyKeys(StorageTables tables)
{
    private const string Partition = "idempotency";

    public async Task<KeyedRun?> FindAsync(string company, string requestedBy, string key, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        return await table.FindAsync<KeyRow>(Partition, Row(company, requestedBy, key), cancellationToken) is { } row ? new KeyedRun(row.Job, row.RunId) : null;
    }

    /// <summary>Claims the key for <paramref name="claim"/>; when another request claimed it first, answers with its run.</summary>
    public async Task<KeyedRun?> TryClaimAsync(string company, string requestedBy, string key, KeyedRun claim,
        CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        try
        {
            await table.AddEntityAsync(new KeyRow { PartitionKey = Partition, RowKey = Row(company, requestedBy, key), RunId = claim.RunId, Job = claim.Job },
                cancellationToken);
            return null;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return await FindAsync(company, requestedBy, key, cancellationToken);
        }
    }

    private Task<TableClient> Table(CancellationToken cancellationToken) => tables.GetAsync(StorageTables.Requests, cancellationToken);

    private static string Row(string company, string requestedBy, string key) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(company + "\n" + requestedBy + "\n" + key)));
}

internal sealed class KeyRow : TableRow
{
    public string RunId { get; set; } = "";
    public string Job { get; set; } = "";
}
