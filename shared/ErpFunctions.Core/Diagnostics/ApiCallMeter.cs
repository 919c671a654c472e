namespace ErpFunctions.Diagnostics;

/// <summary>
/// Counts the external calls made in the current logical flow (one re-import, one sweep), so that a run can record
/// what it spent. The count follows the async flow into the HTTP handlers; meters nest and every enclosing meter
/// counts too. Every call is also counted in the app's metrics (<see cref="Telemetry"/>).
/// </summary>
public sealed class ApiCallMeter
{
    private static readonly AsyncLocal<ApiCallMeter?> CurrentMeter = new();

    private readonly ApiCallMeter? parent;
    private int spectrumCalls;
    private int procoreReads;
    private int procoreWrites;

    private ApiCallMeter(ApiCallMeter? parent) => this.parent = parent;

    public static ApiCallMeter? Current => CurrentMeter.Value;

    public int SpectrumCalls => Volatile.Read(ref spectrumCalls);
    public int ProcoreReads => Volatile.Read(ref procoreReads);
    public int ProcoreWrites => Volatile.Read(ref procoreWrites);
    public int ProcoreCalls => ProcoreReads + ProcoreWrites;

    /// <summary>Starts counting in the calling flow; dispose the scope to stop.</summary>
    public static Scope Start()
    {
        var meter = new ApiCallMeter(CurrentMeter.Value);
        CurrentMeter.Value = meter;
        return new Scope(meter);
    }

    public static void CountSpectrumCall(string service)
    {
        Telemetry.SpectrumCalled(service);
        Current?.Add(m => Interlocked.Increment(ref m.spectrumCalls));
    }

    public static void CountProcoreCall(bool isWrite)
    {
        Telemetry.ProcoreCalled(isWrite);
        Current?.Add(m => Interlocked.Increment(ref isWrite ? ref m.procoreWrites : ref m.procoreReads));
    }

    private void Add(Action<ApiCallMeter> increment)
    {
        for (var meter = this; meter is not null; meter = meter.parent)
        {
            increment(meter);
        }
    }

    public sealed class Scope(ApiCallMeter meter) : IDisposable
    {
        public ApiCallMeter Meter { get; } = meter;

        public void Dispose() => CurrentMeter.Value = Meter.parent;
    }
}
