using ErpFunctions.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Procore;

/// <summary>What the last answers said of the rate limit window that will run out first.</summary>
public sealed record RateLimitSnapshot(int? Limit, int? Remaining, DateTimeOffset? ResetAt);

/// <summary>
/// Follows Procore's <c>X-Rate-Limit-*</c> headers for the whole process and holds calls back when the window is
/// nearly spent, so that the client slows down before being refused: refused calls count against the limit too.
/// </summary>
public sealed class ProcoreRateLimitGate(TimeProvider time, IOptions<ProcoreOptions> options)
{
    private static readonly TimeSpan ResetMargin = TimeSpan.FromMilliseconds(50);
    private readonly Lock gate = new();
    private int? limit;
    private int? remaining;
    private DateTimeOffset? resetAt;

    public RateLimitSnapshot Snapshot
    {
        get { lock (gate) { return new RateLimitSnapshot(limit, remaining, resetAt); } }
    }

    /// <summary>Waits while the window is at the floor, then takes one call out of what remains.</summary>
    public async Task WaitForCapacityAsync(string operation, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            DateTimeOffset until;
            lock (gate)
            {
                var now = time.GetUtcNow();
                if (remaining is null || resetAt is null || remaining > options.Value.RateLimitFloor || resetAt <= now)
                {
                    if (resetAt <= now)
                    {
                        remaining = null;
                    }

                    remaining--;
                    return;
                }

                until = resetAt.Value;
                wait = until - now + ResetMargin;
            }

            if (wait > options.Value.MaxRateLimitWait)
            {
                throw new ProcoreRateLimitedException(operation, Capped(until, time.GetUtcNow()));
            }

            Telemetry.ProcoreRateLimitWaited();
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    public void Observe(HttpResponseMessage response)
    {
        var headerLimit = IntHeader(response, "X-Rate-Limit-Limit");
        var headerRemaining = IntHeader(response, "X-Rate-Limit-Remaining");
        var headerReset = IntHeader(response, "X-Rate-Limit-Reset");
        if (headerRemaining is null)
        {
            return;
        }

        lock (gate)
        {
            var reset = headerReset is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : resetAt;
            var sameWindow = reset == resetAt && remaining is not null;
            limit = headerLimit ?? limit;
            // Answers arrive out of order under concurrency: within one window the lowest count is the truest.
            remaining = sameWindow ? Math.Min(remaining!.Value, headerRemaining.Value) : headerRemaining;
            resetAt = reset;
        }
    }

    /// <summary>
    /// When a 429 says the call may be repeated: <c>Retry-After</c>, else <c>X-Rate-Limit-Reset</c>; never later than
    /// <c>MaxRetryAfter</c> from now, whatever the answer says.
    /// </summary>
    public DateTimeOffset RetryAt(HttpResponseMessage response)
    {
        var now = time.GetUtcNow();
        var at = RetryAfter(response, now) is { } delay ? now + delay
            : IntHeader(response, "X-Rate-Limit-Reset") is { } reset ? DateTimeOffset.FromUnixTimeSeconds(reset)
            : now + TimeSpan.FromSeconds(1);
        return Capped(at, now);
    }

    /// <summary>Never later than <c>MaxRetryAfter</c> from now, whatever Procore said.</summary>
    private DateTimeOffset Capped(DateTimeOffset at, DateTimeOffset now) =>
        at > now + options.Value.MaxRetryAfter ? now + options.Value.MaxRetryAfter : at;

    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        return header?.Date is { } date ? date - now : null;
    }

    private static int? IntHeader(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values)
        && int.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
