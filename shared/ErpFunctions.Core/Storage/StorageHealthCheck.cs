using Azure;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace ErpFunctions.Storage;

/// <summary>The storage account answers: the runs table and the run-lines container can be reached (and are created if missing).</summary>
public sealed partial class StorageHealthCheck(StorageTables tables, StorageBlobs blobs, ILogger<StorageHealthCheck> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await tables.GetAsync(StorageTables.Runs, cancellationToken);
            await blobs.GetAsync(StorageBlobs.RunLines, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is RequestFailedException or InvalidOperationException or FormatException or ArgumentException)
        {
            LogUnreachable(e);
            return HealthCheckResult.Unhealthy("unreachable: the storage account did not answer (see the log)");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage health check failed")]
    private partial void LogUnreachable(Exception exception);
}
