using System.ComponentModel.DataAnnotations;
using Azure;
using Azure.Data.Tables;
using ErpFunctions.Spectrum;
using ErpFunctions.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Links;

/// <summary>How fresh the list of Spectrum jobs must be. Bound from <c>Budgets</c>.</summary>
public sealed class CatalogOptions
{
    public const string Section = "Budgets";

    /// <summary>The budgets list reads Spectrum's jobs and Procore's projects again once its copy is older than this.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan CatalogMaxAge { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>
/// The company's Spectrum jobs, each linked to its Procore project or marked with why it has none, kept in the budgets
/// table and read again from Spectrum (two <c>GetJob</c> calls) and Procore (the project list) once older than
/// <see cref="CatalogOptions.CatalogMaxAge"/>: the budgets list shows every job from its first call. One caller at a
/// time reads them again (it claims the refresh under the row's ETag); the others, and everyone while Spectrum or
/// Procore cannot answer, are served the list as it was last read.
/// </summary>
public sealed partial class JobCatalog(
    ISpectrumJobReader spectrum,
    JobLinks links,
    StorageTables tables,
    IOptions<CatalogOptions> options,
    IOptions<SpectrumOptions> spectrumOptions,
    TimeProvider time,
    ILogger<JobCatalog> logger)
{
    private const string Partition = "catalog";

    /// <summary>How long a claimed refresh keeps others from starting one.</summary>
    private static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(2);

    private string Company => spectrumOptions.Value.CompanyCode;

    public async Task EnsureFreshAsync(CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageTables.Sweeps, cancellationToken);
        var saved = await table.GetEntityIfExistsAsync<TableEntity>(Partition, TableKeys.Encode(Company), cancellationToken: cancellationToken);
        var row = saved.HasValue ? saved.Value : null;
        var listedAt = row?.GetDateTimeOffset("ListedAt");
        var now = time.GetUtcNow();
        if ((listedAt is { } at && now - at < options.Value.CatalogMaxAge)
            || (listedAt is not null && row?.GetDateTimeOffset("RefreshingUntil") is { } claimed && claimed > now))
        {
            return;
        }

        if (!await TryClaimAsync(table, row, listedAt, now, cancellationToken) && listedAt is not null)
        {
            return;
        }

        try
        {
            await links.CatalogAsync(await spectrum.ListJobsAsync(cancellationToken), cancellationToken);
        }
        catch (Exception e) when (listedAt is not null && e is not OperationCanceledException)
        {
            LogServedStale(e, listedAt.Value, e.Message);
            return;
        }

        await table.UpsertEntityAsync(new TableEntity(Partition, TableKeys.Encode(Company)) { ["ListedAt"] = time.GetUtcNow() },
            TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Claims the refresh; false when another caller claimed it first.</summary>
    private async Task<bool> TryClaimAsync(TableClient table, TableEntity? row, DateTimeOffset? listedAt, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var claim = new TableEntity(Partition, TableKeys.Encode(Company)) { ["ListedAt"] = listedAt, ["RefreshingUntil"] = now + ClaimFor };
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
