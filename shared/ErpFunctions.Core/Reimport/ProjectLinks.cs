using ErpFunctions.Budgets;
using ErpFunctions.Prerequisites;
using ErpFunctions.Procore;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Reimport;

public sealed record LinkResolution(ProjectLink? Link, string? Problem, BudgetEntry? Entry);

/// <summary>
/// Finds a job's Procore project: the link recorded in the budgets table, else the project whose <c>origin_id</c>
/// (then, if enabled, project number) is the job; a link found in Procore is recorded so the next run costs no call.
/// </summary>
public sealed class ProjectLinks(BudgetEntries entries, IProcoreProjects projects, IOptions<ReimportOptions> options)
{
    public async Task<LinkResolution> ResolveAsync(string company, string job, CancellationToken cancellationToken)
    {
        var entry = await entries.FindAsync(company, job, cancellationToken);
        if (entry is { ProjectId: { } projectId })
        {
            return new(new ProjectLink(projectId, entry.ProjectName ?? "", entry.LinkSource ?? "link table"), null, entry);
        }

        var candidates = await projects.FindProjectsByOriginIdAsync(job, cancellationToken);
        var source = "origin_id";
        if (candidates.Count == 0 && options.Value.LinkByProjectNumber)
        {
            candidates = [.. (await projects.ListProjectsAsync(cancellationToken))
                .Where(p => string.Equals(p.ProjectNumber?.Trim(), job, StringComparison.OrdinalIgnoreCase))];
            source = "project number";
        }

        if (candidates.Count != 1)
        {
            var problem = candidates.Count == 0
                ? $"No Procore project has job {job} as its origin id or project number: add and sync the job with its project"
                : $"{candidates.Count} Procore projects claim job {job} ({string.Join(", ", candidates.Select(p => p.Id))}); only one may";
            return new(null, problem, entry);
        }

        var project = candidates[0];
        var linked = (entry ?? new BudgetEntry(company, job)) with { ProjectId = project.Id, ProjectName = project.Name, LinkSource = source };
        await entries.SaveLinkAsync(linked, cancellationToken);
        return new(new ProjectLink(project.Id, project.Name, source), null, linked);
    }
}
