namespace ErpFunctions.Simulators.Procore;

/// <summary>What the rate-limit headers of one answer say.</summary>
public readonly record struct RateLimitVerdict(bool Allowed, int Limit, int Remaining, long ResetUnixSeconds);

/// <summary>
/// Procore's two windows per company: an hourly one and a short "spike" one (10 s by default). Every call counts,
/// refused ones too; the headers report the window closer to running out. Windows start on whole seconds, so that
/// <c>X-Rate-Limit-Reset</c> (Unix seconds) is exact.
/// </summary>
public sealed class ProcoreRateLimiter(TimeProvider time)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Counters> counters = [];
    private int stormCalls;
    private TimeSpan stormReset = TimeSpan.FromSeconds(1);

    public int Hourly { get; set; } = 3600;
    public int Spike { get; set; } = 1000;
    public int SpikeWindowSeconds { get; set; } = 10;

    public void Configure(SeedRateLimits limits)
    {
        lock (gate)
        {
            Hourly = limits.Hourly;
            Spike = limits.Spike;
            SpikeWindowSeconds = Math.Max(1, limits.SpikeWindowSeconds);
            counters.Clear();
            stormCalls = 0;
        }
    }

    /// <summary>The next <paramref name="calls"/> calls are refused with 429, the window resetting in <paramref name="resetIn"/>.</summary>
    public void Storm(int calls, TimeSpan resetIn)
    {
        if (FaultSwitches.IsDisarmed("storm"))
        {
            return;
        }

        lock (gate)
        {
            stormCalls = calls;
            stormReset = resetIn;
        }
    }

    public RateLimitVerdict Take(string company)
    {
        lock (gate)
        {
            var now = time.GetUtcNow().ToUnixTimeSeconds();
            var spikeStart = now - now % SpikeWindowSeconds;
            var hourStart = now - now % 3600;
            if (!counters.TryGetValue(company, out var c) || c.HourStart != hourStart)
            {
                c = new Counters(hourStart, 0, spikeStart, 0);
            }

            c = c.SpikeStart == spikeStart ? c : c with { SpikeStart = spikeStart, SpikeCount = 0 };
            c = c with { HourCount = c.HourCount + 1, SpikeCount = c.SpikeCount + 1 };
            counters[company] = c;

            if (stormCalls > 0)
            {
                stormCalls--;
                var reset = (long)Math.Ceiling((time.GetUtcNow() + stormReset).ToUnixTimeMilliseconds() / 1000.0);
                return new RateLimitVerdict(false, Spike, 0, reset);
            }

            var hourRemaining = Hourly - c.HourCount;
            var spikeRemaining = Spike - c.SpikeCount;
            var allowed = hourRemaining >= 0 && spikeRemaining >= 0;
            return hourRemaining < spikeRemaining
                ? new RateLimitVerdict(allowed, Hourly, Math.Max(0, hourRemaining), hourStart + 3600)
                : new RateLimitVerdict(allowed, Spike, Math.Max(0, spikeRemaining), spikeStart + SpikeWindowSeconds);
        }
    }

    private sealed record Counters(long HourStart, int HourCount, long SpikeStart, int SpikeCount);
}
