namespace ErpFunctions.Domain.Runs;

public enum RunStatus
{
    Queued,
    Running,
    Succeeded,
    PartiallySucceeded,
    Blocked,
    Failed,
}

/// <summary>What asked for a run.</summary>
public enum RunTrigger
{
    Operator,
    Webhook,
    Timer,
}

public static class RunStatuses
{
    public static bool IsFinished(this RunStatus status) => status is not (RunStatus.Queued or RunStatus.Running);

    /// <summary>
    /// Queued → Running → finished, back to Queued only to wait or retry, and Running again when a new attempt takes over
    /// one whose worker stopped; a finished run never changes.
    /// </summary>
    public static bool CanMoveTo(this RunStatus from, RunStatus to) => from switch
    {
        RunStatus.Queued => to is not RunStatus.Queued,
        RunStatus.Running => true,
        _ => false,
    };

    /// <summary>What the operator sees, as Procore's own ERP tool words it where it can.</summary>
    public static string Describe(this RunStatus status) => status switch
    {
        RunStatus.Queued => "Queued for re-import",
        RunStatus.Running => "Re-import in progress",
        RunStatus.Succeeded => "Successfully re-imported to Procore",
        RunStatus.PartiallySucceeded => "Re-imported to Procore with errors: some lines are not as planned",
        RunStatus.Blocked => "Re-import unavailable: a prerequisite is not met",
        _ => "Re-import failed",
    };
}
