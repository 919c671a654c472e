using Azure.Data.Tables;
using ErpFunctions.Storage;

namespace ErpFunctions.Budgets;

/// <summary>A job as Spectrum's list describes it, and the Procore project it is linked to, or why it has none.</summary>
/// <param name="LinkProblem">Why the job has no Procore project (none claims it, or several do), when it has none.</param>
/// <param name="LinkSource">How the link was found: the link table, <c>origin_id</c> or project number.</param>
public sealed record JobListing(
    string Company,
    string Job,
    string? JobName = null,
    string? JobStatus = null,
    long? ProjectId = null,
    string? ProjectName = null,
    string? LinkSource = null,
    string? LinkProblem = null);

/// <summary>
/// Each company's jobs and their links (PartitionKey = company, RowKey = job). Written by the Links area alone: the job
/// catalog, link resolution and discovery.
/// </summary>
public sealed class JobListings(StorageTables tables)
{
    public Task<JobListing?> FindAsync(string company, string job, CancellationToken cancellationToken) =>
        ConcernRows.FindAsync<JobListingRow, JobListing>(Table(cancellationToken), company, job, r => r.ToListing(), cancellationToken);

    /// <summary>Records the job as <paramref name="change"/> makes it from what is stored (null: nothing stored yet).</summary>
    public async Task<JobListing?> ChangeAsync(string company, string job, Func<JobListing?, JobListing?> change,
        CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var row = await table.ChangeAsync<JobListingRow>(TableKeys.Encode(company), TableKeys.Encode(job),
            current => change(current?.ToListing()) is { } next ? JobListingRow.From(next) : null, cancellationToken);
        return row?.ToListing();
    }

    /// <summary>The company's jobs in job order, after <paramref name="afterJob"/>; <paramref name="linked"/> narrows to linked (or unlinked) ones.</summary>
    public async IAsyncEnumerable<JobListing> ListAsync(string company, bool? linked, string? afterJob,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableKeys.Encode(company)} and RowKey gt {TableKeys.Encode(afterJob ?? "")}")
            + (linked is { } value ? TableClient.CreateQueryFilter($" and Linked eq {value}") : "");
        await foreach (var row in table.QueryAsync<JobListingRow>(filter, cancellationToken: cancellationToken))
        {
            yield return row.ToListing();
        }
    }

    /// <summary>The job linked to a Procore project, found within the company's partition.</summary>
    public async Task<JobListing?> FindByProjectAsync(string company, long projectId, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableKeys.Encode(company)} and ProjectId eq {projectId}");
        await foreach (var row in table.QueryAsync<JobListingRow>(filter, cancellationToken: cancellationToken))
        {
            return row.ToListing();
        }

        return null;
    }

    private Task<TableClient> Table(CancellationToken cancellationToken) => tables.GetAsync(StorageTables.Jobs, cancellationToken);
}

/// <summary>A job listing as Table Storage holds it.</summary>
internal sealed class JobListingRow : TableRow
{
    public string Company { get; set; } = "";
    public string Job { get; set; } = "";
    public string? JobName { get; set; }
    public string? JobStatus { get; set; }
    public long? ProjectId { get; set; }
    public string? ProjectName { get; set; }
    public string? LinkSource { get; set; }
    public string? LinkProblem { get; set; }

    /// <summary>Kept beside <see cref="ProjectId"/> so that the list can ask for linked or unlinked jobs alone.</summary>
    public bool Linked { get; set; }

    public static JobListingRow From(JobListing listing) => new()
    {
        Company = listing.Company, Job = listing.Job, JobName = listing.JobName, JobStatus = listing.JobStatus, ProjectId = listing.ProjectId,
        ProjectName = listing.ProjectName, LinkSource = listing.LinkSource, LinkProblem = listing.ProjectId is null ? listing.LinkProblem : null,
        Linked = listing.ProjectId is not null,
    };

    public JobListing ToListing() => new(Company, Job, JobName, JobStatus, ProjectId, ProjectName, LinkSource, LinkProblem);
}
