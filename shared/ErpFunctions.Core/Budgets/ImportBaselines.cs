using Azure.Data.Tables;
using ErpFunctions.Storage;

namespace ErpFunctions.Budgets;

/// <summary>
/// What a job looked like right after its last import: when, both totals, and every Spectrum estimate and every Procore
/// line's amount as one fingerprint each, so that the nightly sweep tells drift line by line (offsetting changes leave
/// the totals alone). A job with a baseline is "synced".
/// </summary>
public sealed record ImportBaseline(
    DateTimeOffset ImportedAt, decimal SpectrumTotal, decimal ProcoreTotal, string SpectrumFingerprint, string ProcoreFingerprint);

/// <summary>Each job's import baseline (PartitionKey = company, RowKey = job). Written by the re-import engine alone, whole.</summary>
public sealed class ImportBaselines(StorageTables tables)
{
    public Task<ImportBaseline?> FindAsync(string company, string job, CancellationToken cancellationToken) =>
        ConcernRows.FindAsync<ImportBaselineRow, ImportBaseline>(Table(cancellationToken), company, job, r => r.ToBaseline(), cancellationToken);

    public async Task SaveAsync(string company, string job, ImportBaseline baseline, CancellationToken cancellationToken)
    {
        var row = ImportBaselineRow.From(baseline);
        (row.PartitionKey, row.RowKey) = (TableKeys.Encode(company), TableKeys.Encode(job));
        await (await Table(cancellationToken)).UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Every baseline of the company after <paramref name="afterJob"/> up to <paramref name="lastJob"/>, by job.</summary>
    public Task<Dictionary<string, ImportBaseline>> ListAsync(string company, string? afterJob, string? lastJob,
        CancellationToken cancellationToken) =>
        ConcernRows.ListAsync<ImportBaselineRow, ImportBaseline>(Table(cancellationToken), company, afterJob, lastJob, r => r.ToBaseline(), cancellationToken);

    private Task<TableClient> Table(CancellationToken cancellationToken) => tables.GetAsync(StorageTables.Imports, cancellationToken);
}

internal sealed class ImportBaselineRow : TableRow
{
    public DateTimeOffset ImportedAt { get; set; }
    public string SpectrumTotal { get; set; } = "0";
    public string ProcoreTotal { get; set; } = "0";
    public string SpectrumFingerprint { get; set; } = "";
    public string ProcoreFingerprint { get; set; } = "";

    public static ImportBaselineRow From(ImportBaseline b) => new()
    {
        ImportedAt = b.ImportedAt, SpectrumTotal = TableKeys.Amount(b.SpectrumTotal)!, ProcoreTotal = TableKeys.Amount(b.ProcoreTotal)!,
        SpectrumFingerprint = b.SpectrumFingerprint, ProcoreFingerprint = b.ProcoreFingerprint,
    };

    public ImportBaseline ToBaseline() =>
        new(ImportedAt, TableKeys.Amount(SpectrumTotal) ?? 0m, TableKeys.Amount(ProcoreTotal) ?? 0m, SpectrumFingerprint, ProcoreFingerprint);
}
