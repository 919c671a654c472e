using ErpFunctions.Budgets;
using ErpFunctions.Diagnostics;
using ErpFunctions.Domain.Jobs;
using ErpFunctions.Domain.Prerequisites;
using ErpFunctions.Procore;
using ErpFunctions.Spectrum;

namespace ErpFunctions.Links;

/// <summary>A job's project, or why it has none; with the job's budget entry as it was read.</summary>
public sealed record LinkResolution(ProjectLink? Link, string? Problem, BudgetEntry? Entry);

/// <summary>
/// The one place that links Spectrum jobs and Procore projects, both ways: the link recorded in the budgets table,
/// else the project whose <c>origin_id</c> (then, if enabled, project number) is the job. A link found in Procore is
/// recorded, so the next run costs no call. Operators' requests, the worker and the nightly sweep all ask here, each for
/// the company of its <see cref="CallContext"/>.
/// </summary>
public sealed class JobLinks(BudgetEntries entries, IProcoreProjects projects)
{
    public async Task<LinkResolution> ResolveAsync(CallContext calls, JobNumber job, CancellationToken cancellationToken)
    {
        var company = calls.Company.Code;
        var entry = await entries.FindAsync(company, job.Value, cancellationToken);
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
        var linked = (entry ?? new BudgetEntry(company, job.Value)) with { ProjectId = project.Id, ProjectName = project.Name, LinkSource = source };
        await entries.SaveLinkAsync(linked, cancellationToken);
        return new(new ProjectLink(project.Id, project.Name, source), null, linked);
    }

    /// <summary>The job a Procore project belongs to: the recorded link, else the project's origin id (or project number).</summary>
    public async Task<JobNumber?> FindJobAsync(CallContext calls, long projectId, CancellationToken cancellationToken)
    {
        if (await entries.FindByProjectAsync(calls.Company.Code, projectId, cancellationToken) is { } linked && JobNumber.TryParse(linked.Job, out var job))
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
        var company = calls.Company.Code;
        foreach (var project in await projects.ListProjectsAsync(calls, cancellationToken))
        {
            if (JobNumber.TryParse(project.OriginId, out var job) && (await entries.FindAsync(company, job.Value, cancellationToken))?.ProjectId is null)
            {
                await entries.SaveLinkAsync(new BudgetEntry(company, job.Value)
                {
                    ProjectId = project.Id, ProjectName = project.Name, LinkSource = "origin_id",
                }, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Records the company's jobs as Spectrum lists them, each with the one project whose origin id (then, if enabled,
    /// project number) is the job, or why it has none: one list of the company's projects and one read of the budgets
    /// table serve every job, and only what changed is written, the catalog's own fields alone (so that a run finishing
    /// meanwhile keeps what it wrote).
    /// </summary>
    public async Task CatalogAsync(CallContext calls, IReadOnlyList<SpectrumJob> jobs, CancellationToken cancellationToken)
    {
        var company = calls.Company.Code;
        var projectList = await projects.ListProjectsAsync(calls, cancellationToken);
        var known = new Dictionary<string, BudgetEntry>(StringComparer.OrdinalIgnoreCase);
        await foreach (var entry in entries.ListAllAsync(company, cancellationToken))
        {
            known[entry.Job] = entry;
        }

        foreach (var listed in jobs)
        {
            if (!JobNumber.TryParse(listed.JobNumber, out var job))
            {
                continue;
            }

            var existing = known.GetValueOrDefault(job.Value);
            var described = new BudgetEntry(company, job.Value) { JobName = listed.Description, JobStatus = listed.StatusCode };
            if (existing?.ProjectId is { } projectId)
            {
                if (existing.JobName != described.JobName || existing.JobStatus != described.JobStatus || existing.LinkProblem is not null || !existing.IsListed)
                {
                    await entries.SaveAsync(described with { ProjectId = projectId }, cancellationToken);
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

            var catalogued = candidates is [var project]
                ? described with { ProjectId = project.Id, ProjectName = project.Name, LinkSource = source }
                : described with { LinkProblem = Problem(job, candidates) };
            if (existing is null || catalogued.ProjectId is not null || existing.LinkProblem != catalogued.LinkProblem
                || existing.JobName != catalogued.JobName || existing.JobStatus != catalogued.JobStatus)
            {
                await entries.SaveLinkAsync(catalogued, existing, cancellationToken);
            }
        }
    }

    private static string Problem(JobNumber job, IReadOnlyList<ProcoreProject> candidates) => candidates.Count == 0
        ? $"No Procore project has job {job} as its origin id or project number: add and sync the job with its project"
        : $"{candidates.Count} Procore projects claim job {job} ({string.Join(", ", candidates.Select(p => p.Id))}); only one may";

    private static bool IsJob(string? text, JobNumber job) =>
        JobNumber.TryParse(text, out var number) && string.Equals(number.Value, job.Value, StringComparison.OrdinalIgnoreCase);
}
