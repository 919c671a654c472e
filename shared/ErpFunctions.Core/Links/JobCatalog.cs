using System.ComponentModel.DataAnnotations;
using Azure.Data.Tables;
using ErpFunctions.Spectrum;
using ErpFunctions.Storage;
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
/// <see cref="CatalogOptions.CatalogMaxAge"/>: the budgets list shows every job from its first call.
/// </summary>
public sealed class JobCatalog(
    ISpectrumJobReader spectrum,
    JobLinks links,
    StorageTables tables,
    IOptions<CatalogOptions> options,
    IOptions<SpectrumOptions> spectrumOptions,
    TimeProvider time)
{
    private const string Partition = "catalog";

    private string Company => spectrumOptions.Value.CompanyCode;

    public async Task EnsureFreshAsync(CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageTables.Sweeps, cancellationToken);
        var saved = await table.GetEntityIfExistsAsync<TableEntity>(Partition, TableKeys.Encode(Company), cancellationToken: cancellationToken);
        if (saved.HasValue && saved.Value!.GetDateTimeOffset("ListedAt") is { } listedAt && time.GetUtcNow() - listedAt < options.Value.CatalogMaxAge)
        {
            return;
        }

        await links.CatalogAsync(await spectrum.ListJobsAsync(cancellationToken), cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(Partition, TableKeys.Encode(Company)) { ["ListedAt"] = time.GetUtcNow() },
            TableUpdateMode.Replace, cancellationToken);
    }
}
