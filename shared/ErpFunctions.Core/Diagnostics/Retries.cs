using Polly;
using Polly.Retry;

namespace ErpFunctions.Diagnostics;

/// <summary>The retry both external systems get: exponential back-off with jitter, within a number of attempts.</summary>
public static class Retries
{
    /// <param name="maxAttempts">Attempts in all, the first included.</param>
    public static RetryStrategyOptions Exponential(int maxAttempts, TimeSpan baseDelay,
        Func<RetryPredicateArguments<object>, ValueTask<bool>> shouldHandle) => new()
    {
        MaxRetryAttempts = maxAttempts - 1,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = baseDelay,
        ShouldHandle = shouldHandle,
    };
}
