using ErpFunctions.Runs;

namespace ErpFunctions.Budgets;

public enum BudgetFilter
{
    All,

    /// <summary>Imported at least once.</summary>
    Synced,

    /// <summary>Linked, never imported.</summary>
    Ready,

    /// <summary>Spectrum has the job, and no single Procore project is linked to it.</summary>
    NotLinked,
}

/// <param name="LastJob">The last job of the page when more follow: the next page starts after it.</param>
public sealed record BudgetPage(IReadOnlyList<BudgetEntry> Entries, string? LastJob);

/// <summary>
/// Reads the budgets list's entries, joining by job the concerns stored apart (listing, snapshot, import baseline, last
/// read, last run). Each concern is written by its own store; nothing here writes.
/// </summary>
public sealed class BudgetEntries(JobListings listings, BudgetSnapshots snapshots, ImportBaselines imports, JobReads reads, LastRuns lastRuns)
{
    /// <summary>The job's entry, or null when nothing of it is stored.</summary>
    public async Task<BudgetEntry?> FindAsync(string company, string job, CancellationToken cancellationToken)
    {
        var listing = listings.FindAsync(company, job, cancellationToken);
        var snapshot = snapshots.FindAsync(company, job, cancellationToken);
        var import = imports.FindAsync(company, job, cancellationToken);
        var read = reads.FindAsync(company, job, cancellationToken);
        var lastRun = lastRuns.FindAsync(company, job, cancellationToken);
        await Task.WhenAll(listing, snapshot, import, read, lastRun);
        var entry = new BudgetEntry(company, job, listing.Result, snapshot.Result, import.Result, read.Result, lastRun.Result);
        return entry is { Listing: null, Snapshot: null, Import: null, Read: null, LastRun: null } ? null : entry;
    }

    /// <summary>
    /// Up to <paramref name="pageSize"/> listed jobs after <paramref name="afterJob"/>, in job order, completed jobs only
    /// when asked for; <see cref="BudgetPage.LastJob"/> when more follow.
    /// </summary>
    public async Task<BudgetPage> ListAsync(string company, BudgetFilter filter, bool includeCompleted, int pageSize, string? afterJob,
        CancellationToken cancellationToken)
    {
        var imported = filter is BudgetFilter.Synced or BudgetFilter.Ready ? await imports.ListAsync(company, afterJob, null, cancellationToken) : null;
        bool? linked = filter switch { BudgetFilter.Ready => true, BudgetFilter.NotLinked => false, _ => null };
        var page = new List<JobListing>();
        await foreach (var listing in listings.ListAsync(company, linked, afterJob, cancellationToken))
        {
            var wanted = filter switch
            {
                BudgetFilter.Synced => imported!.ContainsKey(listing.Job),
                BudgetFilter.Ready => !imported!.ContainsKey(listing.Job),
                _ => true,
            };
            if (!wanted || (!includeCompleted && string.Equals(listing.JobStatus, "C", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            page.Add(listing);
            if (page.Count > pageSize)
            {
                var entries = await JoinAsync(company, afterJob, page[pageSize - 1].Job, page[..pageSize], imported, cancellationToken);
                return new BudgetPage(entries, page[pageSize - 1].Job);
            }
        }

        return new BudgetPage(await JoinAsync(company, afterJob, null, page, imported, cancellationToken), null);
    }

    /// <summary>Every linked job of the company, in job order, from <paramref name="afterJob"/> on (the sweep's and the preflight's cursor).</summary>
    public async Task<IReadOnlyList<BudgetEntry>> ListLinkedAsync(string company, string? afterJob, CancellationToken cancellationToken)
    {
        var linked = new List<JobListing>();
        await foreach (var listing in listings.ListAsync(company, linked: true, afterJob, cancellationToken))
        {
            linked.Add(listing);
        }

        return await JoinAsync(company, afterJob, null, linked, imported: null, cancellationToken);
    }

    /// <summary>
    /// The listings with the rest of each job's concerns, read for the range of jobs they cover; <paramref name="imported"/>,
    /// when the caller has read the baselines of that range already, is used rather than read again.
    /// </summary>
    private async Task<IReadOnlyList<BudgetEntry>> JoinAsync(string company, string? afterJob, string? lastJob, IReadOnlyList<JobListing> page,
        Dictionary<string, ImportBaseline>? imported, CancellationToken cancellationToken)
    {
        if (page.Count == 0)
        {
            return [];
        }

        var snapshot = snapshots.ListAsync(company, afterJob, lastJob, cancellationToken);
        var import = imported is null ? imports.ListAsync(company, afterJob, lastJob, cancellationToken) : Task.FromResult(imported);
        var read = reads.ListAsync(company, afterJob, lastJob, cancellationToken);
        var lastRun = lastRuns.ListAsync(company, afterJob, lastJob, cancellationToken);
        await Task.WhenAll(snapshot, import, read, lastRun);
        return [.. page.Select(l => new BudgetEntry(company, l.Job, l, snapshot.Result.GetValueOrDefault(l.Job), import.Result.GetValueOrDefault(l.Job),
            read.Result.GetValueOrDefault(l.Job), lastRun.Result.GetValueOrDefault(l.Job)))];
    }
}
