using ErpFunctions.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace ErpFunctions.Procore;

/// <summary>
/// Retry around a per-attempt timeout, registered once for the process. Whether a failure is retried depends on the
/// call (carried in the resilience context): a 429 always (the call was refused, not applied), a 5xx or a lost answer
/// only when repeating the call is harmless.
/// </summary>
public static partial class ProcoreResilience
{
    public const string PipelineName = "procore-rest";

    internal static readonly ResiliencePropertyKey<ProcoreCall> CallKey = new("procore.call");

    internal static void Configure(ResiliencePipelineBuilder builder, IServiceProvider services)
    {
        var settings = services.GetRequiredService<IOptions<ProcoreOptions>>().Value;
        var time = services.GetRequiredService<TimeProvider>();
        builder.TimeProvider = time;
        var retry = Retries.Exponential(settings.MaxAttempts, settings.RetryBaseDelay, args => ValueTask.FromResult(
            ShouldRetry(args.Outcome.Exception, args.Context.Properties.GetValue(CallKey, null!), settings, time)));
        retry.DelayGenerator = args => ValueTask.FromResult(RetryDelay(args.Outcome.Exception, time));
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ProcoreResilience));
        retry.OnRetry = args =>
        {
            LogRetrying(logger, args.Context.Properties.GetValue(CallKey, null!).Operation, args.AttemptNumber + 2, args.RetryDelay,
                args.Outcome.Exception?.GetType().Name ?? "no answer");
            return ValueTask.CompletedTask;
        };
        builder
            .AddRetry(retry)
            .AddTimeout(settings.AttemptTimeout);
    }

    private static bool ShouldRetry(Exception? exception, ProcoreCall call, ProcoreOptions settings, TimeProvider time) =>
        exception switch
        {
            ProcoreRateLimitedException limited => limited.RetryAt - time.GetUtcNow() <= settings.MaxRateLimitWait,
            ProcoreServiceTokenRefusedException => true,
            ProcoreServerException or HttpRequestException or TimeoutRejectedException => call.Repeatable,
            _ => false,
        };

    private static TimeSpan? RetryDelay(Exception? exception, TimeProvider time)
    {
        if (exception is ProcoreRateLimitedException)
        {
            Telemetry.ProcoreRateLimitWaited();
        }

        return Delay(exception, time);
    }

    private static TimeSpan? Delay(Exception? exception, TimeProvider time) => exception switch
    {
        ProcoreRateLimitedException limited => Max(limited.RetryAt - time.GetUtcNow(), TimeSpan.Zero) + TimeSpan.FromMilliseconds(50),
        ProcoreServerException { RetryAfter: { } retryAfter } => Max(retryAfter, TimeSpan.Zero),
        ProcoreServiceTokenRefusedException => TimeSpan.Zero,
        _ => null,
    };

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    [LoggerMessage(Level = LogLevel.Information, Message = "{Operation}: attempt {Attempt} in {Delay} after {Failure}")]
    private static partial void LogRetrying(ILogger logger, string operation, int attempt, TimeSpan delay, string failure);
}
