using ErpFunctions.Budgets;
using ErpFunctions.Diagnostics;
using ErpFunctions.Domain.Jobs;
using ErpFunctions.Domain.Prerequisites;
using ErpFunctions.Procore;
using ErpFunctions.Spectrum;

namespace ErpFunctions.Links;

/// <summary>A job's project, or why it has none; with what is stored of the job's listing and last read.</summary>
public sealed record LinkResolution(ProjectLink? Link, string? Problem, BudgetEntry? Entry);

/// <summary>
/// The one place that links Spectrum jobs and Procore projects, both ways, and the one writer of the job listings: the
/// link recorded there, else the project whose <c>origin_id</c> (then, if enabled, project number) is the job. A link
/// found in Procore is recorded, so the next run costs no call. Operators' requests, the worker and the nightly sweep
/// all ask here, each for the company of its <see cref="CallContext"/>.
/// </summary>
public sealed class JobLinks(JobListings listings, JobReads reads, IProcoreProjects projects)
{
    public async Task<LinkResolution> ResolveAsync(CallContext calls, JobNumber job, CancellationToken cancellationToken)
    {
        var company = calls.Company.Code;
        var found = listings.FindAsync(company, job.Value, cancellationToken);
        var read = reads.FindAsync(company, job.Value, cancellationToken);
        var entry = new BudgetEntry(company, job.Value, await found, Read: await read);
        if (entry is { ProjectId: { } projectId })
        {
            return new(new ProjectLink(projectId, entry.ProjectName ?? "", entry.LinkSource ?? "link table"), null, entry);
        }

        var candidates = await projects.FindProjectsByOriginIdAsync(calls, job.Value, cancellationToken);
        var source = "origin_id";
        if (candidates.Count == 0 && calls.Company.Rules.LinkByProjectNumber)
        {
            candidates = [.. (await projects.ListProjectsAsync(calls, cancellationToken)).Where(p => IsJob(p.ProjectNumber, job))];
            source = "project number";
        }

        if (candidates.Count != 1)
        {
            return new(null, Problem(job, candidates), entry);
        }

        var project = candidates[0];
        var listing = await LinkAsync(company, job, project, source, cancellationToken);
        var link = listing!.ProjectId == project.Id
            ? new ProjectLink(project.Id, project.Name, source)
            : new ProjectLink(listing.ProjectId!.Value, listing.ProjectName ?? "", listing.LinkSource ?? "link table");
        return new(link, null, entry with { Listing = listing });
    }

    /// <summary>The job a Procore project belongs to: the recorded link, else the project's origin id (or project number).</summary>
    public async Task<JobNumber?> FindJobAsync(CallContext calls, long projectId, CancellationToken cancellationToken)
    {
        if (await listings.FindByProjectAsync(calls.Company.Code, projectId, cancellationToken) is { } linked && JobNumber.TryParse(linked.Job, out var job))
        {
            return job;
        }

        var project = await projects.FindProjectAsync(calls, projectId, cancellationToken);
        if (JobNumber.TryParse(project?.OriginId, out var byOrigin))
        {
            return byOrigin;
        }

        return calls.Company.Rules.LinkByProjectNumber && JobNumber.TryParse(project?.ProjectNumber, out var byNumber) ? byNumber : null;
    }

    /// <summary>Records every project whose origin id names a job, so that linked jobs are listed before their first run.</summary>
    public async Task DiscoverAsync(CallContext calls, CancellationToken cancellationToken)
    {
        foreach (var project in await projects.ListProjectsAsync(calls, cancellationToken))
        {
            if (JobNumber.TryParse(project.OriginId, out var job))
            {
                await LinkAsync(calls.Company.Code, job, project, "origin_id", cancellationToken);
            }
        }
    }

    /// <summary>
    /// Records the company's jobs as Spectrum lists them, each with the one project whose origin id (then, if enabled,
    /// project number) is the job, or why it has none: one list of the company's projects and one read of the listings
    /// serve every job, and only what changed is written. A link recorded meanwhile is kept.
    /// </summary>
    public async Task CatalogAsync(CallContext calls, IReadOnlyList<SpectrumJob> jobs, CancellationToken cancellationToken)
    {
        var company = calls.Company.Code;
        var projectList = await projects.ListProjectsAsync(calls, cancellationToken);
        var known = new Dictionary<string, JobListing>(StringComparer.OrdinalIgnoreCase);
        await foreach (var listing in listings.ListAsync(company, linked: null, afterJob: null, cancellationToken))
        {
            known[listing.Job] = listing;
        }

        foreach (var listed in jobs)
        {
            if (!JobNumber.TryParse(listed.JobNumber, out var job))
            {
                continue;
            }

            var existing = known.GetValueOrDefault(job.Value);
            JobListing Described(JobListing? current) =>
                (current ?? new JobListing(company, job.Value)) with { JobName = listed.Description, JobStatus = listed.StatusCode };
            if (existing?.ProjectId is not null)
            {
                if (existing != Described(existing))
                {
                    await listings.ChangeAsync(company, job.Value, current => Described(current), cancellationToken);
                }

                continue;
            }

            List<ProcoreProject> candidates = [.. projectList.Where(p => IsJob(p.OriginId, job))];
            var source = "origin_id";
            if (candidates.Count == 0 && calls.Company.Rules.LinkByProjectNumber)
            {
                candidates = [.. projectList.Where(p => IsJob(p.ProjectNumber, job))];
                source = "project number";
            }

            JobListing Catalogued(JobListing? current) => current?.ProjectId is not null
                ? Described(current)
                : candidates is [var project]
                    ? Described(current) with { ProjectId = project.Id, ProjectName = project.Name, LinkSource = source, LinkProblem = null }
                    : Described(current) with { LinkProblem = Problem(job, candidates) };
            if (existing is null || existing != Catalogued(existing))
            {
                await listings.ChangeAsync(company, job.Value, current => Catalogued(current), cancellationToken);
            }
        }
    }

    /// <summary>Records the job's link to <paramref name="project"/>, unless it is linked already; answers the listing as it is.</summary>
    private Task<JobListing?> LinkAsync(string company, JobNumber job, ProcoreProject project, string source, CancellationToken cancellationToken) =>
        listings.ChangeAsync(company, job.Value, current => current?.ProjectId is not null
            ? null
            : (current ?? new JobListing(company, job.Value)) with
            {
                ProjectId = project.Id, ProjectName = project.Name, LinkSource = source, LinkProblem = null,
            }, cancellationToken);

    private static string Problem(JobNumber job, IReadOnlyList<ProcoreProject> candidates) => candidates.Count == 0
        ? $"No Procore project has job {job} as its origin id or project number: add and sync the job with its project"
        : $"{candidates.Count} Procore projects claim job {job} ({string.Join(", ", candidates.Select(p => p.Id))}); only one may";

    private static bool IsJob(string? text, JobNumber job) =>
        JobNumber.TryParse(text, out var number) && string.Equals(number.Value, job.Value, StringComparison.OrdinalIgnoreCase);
}
