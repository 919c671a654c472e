namespace ErpFunctions.Simulators;

/// <summary>
/// Faults every simulator can inject, switched per test: added latency, HTTP failures for the next N calls (before
/// or after the call takes effect) and dropped connections.
/// </summary>
public sealed class FaultPlan
{
    private readonly Lock gate = new();
    private int failNext;
    private int failStatus = 500;
    private bool failAfterProcessing;
    private int dropNext;

    public TimeSpan Latency { get; set; }

    /// <summary>
    /// The next <paramref name="count"/> calls fail with <paramref name="status"/>. With
    /// <paramref name="afterProcessing"/> the call first takes effect and only its answer is lost.
    /// </summary>
    public void FailNext(int count, int status = 500, bool afterProcessing = false)
    {
        lock (gate)
        {
            failNext = count;
            failStatus = status;
            failAfterProcessing = afterProcessing;
        }
    }

    /// <summary>The next <paramref name="count"/> calls have their connection aborted without an answer.</summary>
    public void DropNext(int count)
    {
        lock (gate)
        {
            dropNext = count;
        }
    }

    public void Reset()
    {
        lock (gate)
        {
            failNext = 0;
            dropNext = 0;
            failStatus = 500;
            failAfterProcessing = false;
            Latency = TimeSpan.Zero;
        }
    }

    internal bool TryTakeDrop()
    {
        lock (gate)
        {
            if (dropNext <= 0)
            {
                return false;
            }

            dropNext--;
            return true;
        }
    }

    internal bool TryTakeFailure(out int status, out bool afterProcessing)
    {
        lock (gate)
        {
            status = failStatus;
            afterProcessing = failAfterProcessing;
            if (failNext <= 0)
            {
                return false;
            }

            failNext--;
            return true;
        }
    }
}
