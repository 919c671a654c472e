using Azure;
using Azure.Data.Tables;
using ErpFunctions.Budgets;
using ErpFunctions.Diagnostics;
using ErpFunctions.Spectrum;
using ErpFunctions.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Links;

/// <summary>
/// The company's Spectrum jobs, each linked to its Procore project or marked with why it has none, kept as the job
/// listings and read again from Spectrum (two <c>GetJob</c> calls) and Procore (the project list) once older than
/// <see cref="BudgetsOptions.CatalogMaxAge"/>: the budgets list shows every job from its first call. One caller at a
/// time reads them again (it claims the refresh under the row's ETag); the others, and everyone while Spectrum or
/// Procore cannot answer, are served the list as it was last read.
/// </summary>
public sealed partial class JobCatalog(
    ISpectrumJobReader spectrum,
    JobLinks links,
    StorageTables tables,
    IOptions<BudgetsOptions> options,
    TimeProvider time,
    ILogger<JobCatalog> logger)
{
    private const string Partition = "catalog";

    /// <summary>How long a claimed refresh keeps others from starting one.</summary>
    private static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(2);

    public async Task EnsureFreshAsync(CallContext calls, CancellationToken cancellationToken)
    {
        var company = calls.Company.Code;
        var table = await tables.GetAsync(StorageTables.Sweeps, cancellationToken);
        var row = await table.FindAsync<CatalogRow>(Partition, TableKeys.Encode(company), cancellationToken);
        var listedAt = row?.ListedAt;
        var now = time.GetUtcNow();
        if ((listedAt is { } at && now - at < options.Value.CatalogMaxAge)
            || (listedAt is not null && row?.RefreshingUntil is { } claimed && claimed > now))
        {
            return;
        }

        if (!await TryClaimAsync(table, company, row, listedAt, now, cancellationToken) && listedAt is not null)
        {
            return;
        }

        try
        {
            await links.CatalogAsync(calls, await spectrum.ListJobsAsync(calls, cancellationToken), cancellationToken);
        }
        catch (Exception e) when (listedAt is not null && e is not OperationCanceledException)
        {
            LogServedStale(e, listedAt.Value, e.Message);
            return;
        }

        await table.UpsertEntityAsync(new CatalogRow { PartitionKey = Partition, RowKey = TableKeys.Encode(company), ListedAt = time.GetUtcNow() },
            TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Claims the refresh; false when another caller claimed it first.</summary>
    private static async Task<bool> TryClaimAsync(TableClient table, string company, CatalogRow? row, DateTimeOffset? listedAt, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var claim = new CatalogRow { PartitionKey = Partition, RowKey = TableKeys.Encode(company), ListedAt = listedAt, RefreshingUntil = now + ClaimFor };
        try
        {
            _ = row is null
                ? await table.AddEntityAsync(claim, cancellationToken)
                : await table.UpdateEntityAsync(claim, row.ETag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The list of Spectrum jobs could not be read again; serving the one read at {ListedAt:u}: {Reason}")]
    private partial void LogServedStale(Exception exception, DateTimeOffset listedAt, string reason);
}

/// <summary>When the company's jobs were last listed, and until when a caller reading them again holds the refresh.</summary>
internal sealed class CatalogRow : TableRow
{
    public DateTimeOffset? ListedAt { get; set; }
    public DateTimeOffset? RefreshingUntil { get; set; }
}
