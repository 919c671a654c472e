namespace ErpFunctions.Simulators;

/// <summary>
/// Faults every simulator can inject, switched per test: added latency, HTTP failures for the next N calls (before
/// or after the call takes effect), dropped connections, answers cut off inside their body, and slow answers; each may target calls to one path only,
/// after letting a number of them through. A test can also act the moment a given call has been served.
/// </summary>
public sealed class FaultPlan
{
    private readonly Lock gate = new();
    private Rule? failure;
    private Rule? drop;
    private Rule? cutBody;
    private Rule? delay;
    private TimeSpan delayBy;
    private (Rule Rule, Action Action)? afterServed;

    public TimeSpan Latency { get; set; }

    /// <summary>
    /// The next <paramref name="count"/> calls (to <paramref name="path"/>, if given, once <paramref name="skip"/> of them
    /// have passed) fail with <paramref name="status"/>. With <paramref name="afterProcessing"/> each call first takes
    /// effect and only its answer is lost.
    /// </summary>
    public void FailNext(int count, int status = 500, bool afterProcessing = false, string? path = null, int skip = 0)
    {
        if (FaultSwitches.IsDisarmed("fail"))
        {
            return;
        }

        lock (gate)
        {
            failure = new Rule(count, path, skip, status, afterProcessing);
        }
    }

    /// <summary>The next <paramref name="count"/> calls (optionally to one path, after <paramref name="skip"/>) are dropped.</summary>
    public void DropNext(int count, string? path = null, int skip = 0)
    {
        if (FaultSwitches.IsDisarmed("drop"))
        {
            return;
        }

        lock (gate)
        {
            drop = new Rule(count, path, skip, 0, false);
        }
    }

    /// <summary>
    /// The next <paramref name="count"/> calls (optionally to one path, after <paramref name="skip"/>) take effect and are
    /// answered, but the connection ends halfway through the body, its headers having announced the whole of it.
    /// </summary>
    public void CutBodyNext(int count, string? path = null, int skip = 0)
    {
        if (FaultSwitches.IsDisarmed("cut-body"))
        {
            return;
        }

        lock (gate)
        {
            cutBody = new Rule(count, path, skip, 0, false);
        }
    }

    /// <summary>The next <paramref name="count"/> calls (optionally to one path, after <paramref name="skip"/>) are answered only after <paramref name="by"/>.</summary>
    public void DelayNext(int count, TimeSpan by, string? path = null, int skip = 0)
    {
        if (FaultSwitches.IsDisarmed("delay"))
        {
            return;
        }

        lock (gate)
        {
            delay = new Rule(count, path, skip, 0, false);
            delayBy = by;
        }
    }

    /// <summary>Runs <paramref name="action"/> once a call to <paramref name="path"/> has been served, after <paramref name="skip"/> such calls.</summary>
    public void AfterServed(string path, Action action, int skip = 0)
    {
        lock (gate)
        {
            afterServed = (new Rule(1, path, skip, 0, false), action);
        }
    }

    public void Reset()
    {
        lock (gate)
        {
            failure = null;
            drop = null;
            cutBody = null;
            delay = null;
            afterServed = null;
            Latency = TimeSpan.Zero;
        }
    }

    internal TimeSpan TakeDelay(string path)
    {
        lock (gate)
        {
            return delay?.Take(path) == true ? delayBy : TimeSpan.Zero;
        }
    }

    internal void Served(string path)
    {
        Action? action = null;
        lock (gate)
        {
            if (afterServed is { } hook && hook.Rule.Take(path))
            {
                action = hook.Action;
                afterServed = null;
            }
        }

        action?.Invoke();
    }

    internal bool TryTakeDrop(string path)
    {
        lock (gate)
        {
            return drop?.Take(path) == true;
        }
    }

    internal bool TryTakeCutBody(string path)
    {
        lock (gate)
        {
            return cutBody?.Take(path) == true;
        }
    }

    internal bool TryTakeFailure(string path, out int status, out bool afterProcessing)
    {
        lock (gate)
        {
            status = failure?.Status ?? 500;
            afterProcessing = failure?.AfterProcessing ?? false;
            return failure?.Take(path) == true;
        }
    }

    private sealed class Rule(int count, string? path, int skip, int status, bool afterProcessing)
    {
        private int remaining = count;
        private int toSkip = skip;

        public int Status { get; } = status;
        public bool AfterProcessing { get; } = afterProcessing;

        public bool Take(string requestPath)
        {
            if (remaining <= 0 || (path is not null && !requestPath.StartsWith(path, StringComparison.Ordinal)))
            {
                return false;
            }

            if (toSkip > 0)
            {
                toSkip--;
                return false;
            }

            remaining--;
            return true;
        }
    }
}
