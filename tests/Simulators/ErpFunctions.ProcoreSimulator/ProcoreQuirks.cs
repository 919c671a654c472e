namespace ErpFunctions.Simulators.Procore;

/// <summary>Procore-specific behaviour switched per test, beside the common <see cref="FaultPlan"/>.</summary>
public sealed class ProcoreQuirks
{
    /// <summary><c>Retry-After</c> seconds sent with injected 503s.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>Budget codes (flat code) whose lines the budget sync refuses, with the message it gives.</summary>
    public Dictionary<string, string> RefusedBudgetCodes { get; } = [];

    public void Reset()
    {
        RetryAfterSeconds = 1;
        RefusedBudgetCodes.Clear();
    }
}
