using Microsoft.Extensions.Logging;

namespace ErpFunctions.Diagnostics;

/// <summary>The scope that puts a correlation id (and, where there is one, the run and job) on every log line.</summary>
public static class Correlation
{
    public static IDisposable? BeginCorrelationScope(this ILogger logger, string correlationId, string? runId = null, string? job = null)
    {
        var scope = new Dictionary<string, object> { ["CorrelationId"] = correlationId };
        if (runId is not null)
        {
            scope["RunId"] = runId;
        }

        if (job is not null)
        {
            scope["Job"] = job;
        }

        return logger.BeginScope(scope);
    }

    /// <summary>A new correlation id for work that no request started (the nightly sweep).</summary>
    public static string New(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N");
}
