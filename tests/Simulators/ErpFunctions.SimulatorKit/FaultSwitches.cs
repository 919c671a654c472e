namespace ErpFunctions.Simulators;

/// <summary>
/// The mutation check of the fault suite: an injector named in <c>ERPFUNCTIONS_DISARM_FAULTS</c> (comma-separated)
/// arms nothing, so the scenarios that rely on it must fail their "the fault fired" assertion. Off unless set.
/// </summary>
public static class FaultSwitches
{
    public const string Variable = "ERPFUNCTIONS_DISARM_FAULTS";

    public static bool IsDisarmed(string injector) =>
        (Environment.GetEnvironmentVariable(Variable) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Contains(injector, StringComparer.OrdinalIgnoreCase);
}
