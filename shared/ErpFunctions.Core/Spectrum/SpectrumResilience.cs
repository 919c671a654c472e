using System.Threading.RateLimiting;
using ErpFunctions.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace ErpFunctions.Spectrum;

/// <summary>
/// Retry (server faults, transport errors, cut responses) around a process-wide limit on calls in flight, around a
/// per-attempt timeout. The limit sits inside the retry so that a call waiting to retry gives its slot back.
/// </summary>
public static class SpectrumResilience
{
    public const string PipelineName = "spectrum-sde";

    internal static void Configure(ResiliencePipelineBuilder builder, IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<SpectrumOptions>>().Value;

        builder
            .AddRetry(Retries.Exponential(options.MaxAttempts, options.RetryBaseDelay, new PredicateBuilder().Handle<Exception>(IsTransient)))
            .AddConcurrencyLimiter(new ConcurrencyLimiterOptions
            {
                PermitLimit = options.MaxConcurrentCalls,
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            })
            .AddTimeout(options.AttemptTimeout);
    }

    /// <summary>A failure of a Data Exchange call that the same call may not meet again.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        SpectrumException spectrum => spectrum.IsRetryable,
        HttpRequestException or TimeoutRejectedException => true,
        _ => false,
    };
}
