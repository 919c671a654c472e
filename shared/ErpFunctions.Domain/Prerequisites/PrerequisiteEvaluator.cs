using ErpFunctions.Domain.Jobs;

namespace ErpFunctions.Domain.Prerequisites;

/// <summary>An operator's level on Procore's ERP Integrations tool: re-importing needs Standard or higher.</summary>
public enum AccessLevel
{
    None = 0,
    ReadOnly = 1,
    Standard = 2,
    Admin = 3,
}

public static class AccessLevels
{
    /// <summary>The level as Procore names it ("Read Only").</summary>
    public static string Describe(this AccessLevel level) => level switch
    {
        AccessLevel.ReadOnly => "Read Only",
        _ => level.ToString(),
    };
}

/// <summary>A job's user-defined fields <c>UDF1</c>…<c>UDF20</c> as Spectrum holds them (it has no native lock flag).</summary>
public sealed record JobUdfs(IReadOnlyDictionary<int, string> Values)
{
    public const int Count = 20;

    public string this[int number] => Values.GetValueOrDefault(number, "");
}

/// <summary>The named reasons a re-import is unavailable, as the API and the run record report them.</summary>
public enum PrerequisiteCode
{
    PermissionDenied,
    JobNotLinked,
    BudgetToolInactive,
    ProcoreBudgetLocked,
    SpectrumBudgetNotLocked,
    EstimatesNotPosted,
}

public enum PrerequisiteState
{
    Passed,
    Failed,

    /// <summary>Not configured or not applicable; recorded, never silently counted as passed.</summary>
    NotVerified,
}

public sealed record PrerequisiteResult(PrerequisiteCode Code, PrerequisiteState State, string Sentence);

/// <summary>A Spectrum job UDF that must hold a value for a prerequisite to pass (Spectrum has no native flag).</summary>
public sealed record UdfCheck(int Number, string ExpectedValue);

/// <summary>Where the job's Procore project was found.</summary>
public sealed record ProjectLink(long ProjectId, string ProjectName, string Source);

/// <summary>What was read to decide the prerequisites; null means it could not be read or does not apply.</summary>
/// <param name="OperatorAccess">The operator's level on ERP Integrations; null when no operator asked (webhook, timer).</param>
/// <param name="LinkProblem">Why no project could be linked (not found, found twice), when <see cref="Link"/> is null.</param>
public sealed record PrerequisiteFacts(
    JobNumber Job,
    AccessLevel? OperatorAccess,
    bool SpectrumJobFound,
    ProjectLink? Link,
    string? LinkProblem,
    bool? BudgetToolActive,
    bool? ProcoreBudgetLocked,
    JobUdfs? Udfs);

public static class PrerequisiteEvaluator
{
    /// <summary>Every check is evaluated, so that an operator fixes every failure in one go.</summary>
    public static IReadOnlyList<PrerequisiteResult> Evaluate(PrerequisiteFacts facts, UdfCheck? budgetLocked, UdfCheck? estimatesPosted) =>
    [
        Permission(facts.OperatorAccess),
        Link(facts),
        Project(facts, PrerequisiteCode.BudgetToolInactive, facts.BudgetToolActive, passWhen: true,
            "The Budget tool is active on the project", "The Budget tool is not an active tool on the Procore project"),
        Project(facts, PrerequisiteCode.ProcoreBudgetLocked, facts.ProcoreBudgetLocked, passWhen: false,
            "The Procore project's budget is unlocked", "The Procore project's budget is locked; unlock it in Procore to re-import"),
        Udf(facts, PrerequisiteCode.SpectrumBudgetNotLocked, budgetLocked, "the budget is", "finalized and locked in Spectrum"),
        Udf(facts, PrerequisiteCode.EstimatesNotPosted, estimatesPosted, "the estimate entries are", "posted in Spectrum"),
    ];

    public static bool AllowsReimport(this IEnumerable<PrerequisiteResult> results) => !results.Failing().Any();

    /// <summary>The checks that block a re-import, in the order they were evaluated.</summary>
    public static IReadOnlyList<PrerequisiteResult> Failing(this IEnumerable<PrerequisiteResult> results) =>
        [.. results.Where(r => r.State == PrerequisiteState.Failed)];

    /// <summary>Whether the one asking may re-import: each viewer's own, never part of what is recorded about a job.</summary>
    public static PrerequisiteResult Permission(AccessLevel? access) => access switch
    {
        null => new(PrerequisiteCode.PermissionDenied, PrerequisiteState.NotVerified, "No operator asked; the service account runs it"),
        >= AccessLevel.Standard => new(PrerequisiteCode.PermissionDenied, PrerequisiteState.Passed,
            $"The operator has {access.Value.Describe()} on ERP Integrations"),
        _ => new(PrerequisiteCode.PermissionDenied, PrerequisiteState.Failed,
            $"The operator has {access.Value.Describe()} on ERP Integrations; Standard or higher is needed"),
    };

    private static PrerequisiteResult Link(PrerequisiteFacts facts)
    {
        if (!facts.SpectrumJobFound)
        {
            return new(PrerequisiteCode.JobNotLinked, PrerequisiteState.Failed, $"Spectrum has no job {facts.Job}");
        }

        return facts.Link is { } link
            ? new(PrerequisiteCode.JobNotLinked, PrerequisiteState.Passed,
                $"Job {facts.Job} is synced with Procore project {link.ProjectName} ({link.ProjectId})")
            : new(PrerequisiteCode.JobNotLinked, PrerequisiteState.Failed,
                facts.LinkProblem ?? $"Job {facts.Job} is not added and synced with a Procore project");
    }

    private static PrerequisiteResult Project(PrerequisiteFacts facts, PrerequisiteCode code, bool? value, bool passWhen,
        string passed, string failed) =>
        value switch
        {
            null => new(code, PrerequisiteState.NotVerified, "Not checked: the job has no linked Procore project"),
            _ when value == passWhen => new(code, PrerequisiteState.Passed, passed),
            _ => new(code, PrerequisiteState.Failed, failed),
        };

    /// <param name="subject">What the check is about, with its verb: "the budget is".</param>
    private static PrerequisiteResult Udf(PrerequisiteFacts facts, PrerequisiteCode code, UdfCheck? check, string subject, string state)
    {
        if (check is null)
        {
            return new(code, PrerequisiteState.NotVerified, $"Not configured: nothing tells whether {subject} {state}");
        }

        if (facts.Udfs is null)
        {
            return new(code, PrerequisiteState.NotVerified, $"Not checked: Spectrum has no UDFs for job {facts.Job}");
        }

        var value = facts.Udfs[check.Number];
        var sentence = char.ToUpperInvariant(subject[0]) + subject[1..];
        return string.Equals(value.Trim(), check.ExpectedValue.Trim(), StringComparison.OrdinalIgnoreCase)
            ? new(code, PrerequisiteState.Passed, $"{sentence} {state} (UDF{check.Number} is '{value}')")
            : new(code, PrerequisiteState.Failed, $"{sentence} not {state}: UDF{check.Number} is '{value}', not '{check.ExpectedValue}'");
    }
}
