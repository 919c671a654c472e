namespace ErpFunctions.Diagnostics;

/// <summary>
/// Counts the external calls of one piece of work (a re-import, a sweep tick, a preview), so that it can record what it
/// spent. It is handed to the clients with the work's <see cref="CallContext"/>; every call is also counted in the
/// app's metrics (<see cref="Telemetry"/>).
/// </summary>
public sealed class ApiCallMeter
{
    private int spectrumCalls;
    private int procoreReads;
    private int procoreWrites;

    public int SpectrumCalls => Volatile.Read(ref spectrumCalls);
    public int ProcoreReads => Volatile.Read(ref procoreReads);
    public int ProcoreWrites => Volatile.Read(ref procoreWrites);
    public int ProcoreCalls => ProcoreReads + ProcoreWrites;

    public void CountSpectrumCall(string service)
    {
        Telemetry.SpectrumCalled(service);
        Interlocked.Increment(ref spectrumCalls);
    }

    public void CountProcoreCall(bool isWrite)
    {
        Telemetry.ProcoreCalled(isWrite);
        Interlocked.Increment(ref isWrite ? ref procoreWrites : ref procoreReads);
    }
}
