using Azure;
using Azure.Data.Tables;
using ErpFunctions.Storage;

namespace ErpFunctions.Runs;

/// <summary>A held lease on a job: only its holder writes the job's budget until it is released or expires.</summary>
public sealed record JobLease(string Company, string Job, string Owner, DateTimeOffset ExpiresAt, string Version);

/// <summary>Someone else holds the job's lease.</summary>
public sealed record LeaseHolder(string Owner, DateTimeOffset ExpiresAt);

/// <summary>
/// One run at a time per company × job: a row per job, claimed by insert (409 when taken), taken over with the row's
/// ETag once expired (so that a crashed worker blocks no one for long), renewed and released with the ETag.
/// </summary>
public sealed class JobLeases(StorageTables tables, TimeProvider time)
{
    private const string Partition = "lease";

    /// <summary>Takes the job's lease for <paramref name="owner"/>, or tells who holds it.</summary>
    public async Task<(JobLease? Lease, LeaseHolder? Holder)> TryAcquireAsync(
        string company, string job, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var key = RowKey(company, job);
        var expires = time.GetUtcNow() + duration;
        var entity = new LeaseRow { PartitionKey = Partition, RowKey = key, Owner = owner, ExpiresAt = expires };
        try
        {
            var added = await table.AddEntityAsync(entity, cancellationToken);
            return (new JobLease(company, job, owner, expires, added.Headers.ETag?.ToString() ?? ""), null);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
        }

        if (await table.FindAsync<LeaseRow>(Partition, key, cancellationToken) is not { } current)
        {
            return await TryAcquireAsync(company, job, owner, duration, cancellationToken);
        }

        var (holder, holderExpiry) = (current.Owner, current.ExpiresAt);
        // Even its own owner takes a lease over only once it expired: a message of the same run delivered again must
        // not run beside the attempt still holding it.
        if (holderExpiry > time.GetUtcNow())
        {
            return (null, new LeaseHolder(holder, holderExpiry));
        }

        try
        {
            var taken = await table.UpdateEntityAsync(entity, current.ETag, TableUpdateMode.Replace, cancellationToken);
            return (new JobLease(company, job, owner, expires, taken.Headers.ETag?.ToString() ?? ""), null);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return (null, new LeaseHolder("(another run)", holderExpiry));
        }
    }

    /// <summary>Extends a held lease; fails if it was lost (taken over after expiring).</summary>
    public async Task<JobLease> RenewAsync(JobLease lease, TimeSpan duration, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var expires = time.GetUtcNow() + duration;
        var entity = new LeaseRow { PartitionKey = Partition, RowKey = RowKey(lease.Company, lease.Job), Owner = lease.Owner, ExpiresAt = expires };
        try
        {
            var renewed = await table.UpdateEntityAsync(entity, new ETag(lease.Version), TableUpdateMode.Replace, cancellationToken);
            return lease with { ExpiresAt = expires, Version = renewed.Headers.ETag?.ToString() ?? "" };
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            throw new LeaseLostException(lease.Job, e);
        }
    }

    public async Task ReleaseAsync(JobLease lease, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        try
        {
            await table.DeleteEntityAsync(Partition, RowKey(lease.Company, lease.Job), new ETag(lease.Version), cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            // Already taken over or gone: nothing of ours to release.
        }
    }

    private Task<TableClient> Table(CancellationToken cancellationToken) => tables.GetAsync(StorageTables.Leases, cancellationToken);

    private static string RowKey(string company, string job) => TableKeys.Encode($"{company}|{job}");
}

internal sealed class LeaseRow : TableRow
{
    public string Owner { get; set; } = "";
    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>The run's lease expired and was taken over (or removed) before the run finished.</summary>
public sealed class LeaseLostException(string job, Exception inner)
    : Exception($"The lease on job {job} was lost before the run finished.", inner);
