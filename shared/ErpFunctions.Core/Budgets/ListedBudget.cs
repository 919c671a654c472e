using ErpFunctions.Domain.Prerequisites;

namespace ErpFunctions.Budgets;

/// <summary>
/// One job of the budgets list as one viewer sees it: the job's own availability, with the viewer's permission laid
/// over it (never stored: what one operator may do is no one else's answer).
/// </summary>
public sealed record ListedBudget(BudgetEntry Entry, string? BudgetUrl, bool? Available, PrerequisiteCode? BlockedBy, string? BlockedReason)
{
    public static ListedBudget For(BudgetEntry entry, string? budgetUrl, AccessLevel? viewer)
    {
        if (!entry.IsLinked)
        {
            return new(entry, budgetUrl, false, PrerequisiteCode.JobNotLinked,
                entry.LinkProblem ?? $"Job {entry.Job} is not linked to a Procore project");
        }

        // An entry written before availability was kept apart from the viewer may still carry a viewer's refusal.
        var jobBlocked = entry is { Available: false, BlockedBy: not PrerequisiteCode.PermissionDenied };
        if (jobBlocked)
        {
            return new(entry, budgetUrl, false, entry.BlockedBy, entry.BlockedReason);
        }

        var permission = PrerequisiteEvaluator.Permission(viewer);
        if (permission.State == PrerequisiteState.Failed)
        {
            return new(entry, budgetUrl, false, PrerequisiteCode.PermissionDenied, permission.Sentence);
        }

        return new(entry, budgetUrl, entry.Available is null || entry.BlockedBy == PrerequisiteCode.PermissionDenied ? null : true, null, null);
    }
}
