using Azure;
using Azure.Data.Tables;
using ErpFunctions.Domain.Planning;
using ErpFunctions.Domain.Prerequisites;
using ErpFunctions.Runs;
using ErpFunctions.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Budgets;

/// <summary>
/// Earlier versions kept each job's listing, snapshot, import baseline, last read and last run in one merged row of the
/// <c>budgets</c> table. When the app starts, what that table holds is copied once into the concerns' own rows (never
/// over a row a writer has made since), so that a deployment loses no link, no totals and no import baseline: a job
/// synced before is still synced, and the nightly sweep still checks it.
/// </summary>
public sealed partial class LegacyBudgetsMigration(
    StorageTables tables,
    IOptions<StorageOptions> options,
    JobListings listings,
    BudgetSnapshots snapshots,
    ImportBaselines imports,
    JobReads reads,
    RunStore runs,
    LastRuns lastRuns,
    ILogger<LegacyBudgetsMigration> logger) : BackgroundService
{
    public const string LegacyTable = "budgets";

    private const string MarkerPartition = "migration";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await MigrateAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Tried again at the next start: nothing is marked done until every row is copied.
            LogFailed(e, e.Message);
        }
    }

    /// <summary>Copies the legacy rows, once; answers how many jobs it copied (0 when there was nothing to copy).</summary>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        var state = await tables.GetAsync(StorageTables.Sweeps, cancellationToken);
        if (await state.FindAsync<TableEntity>(MarkerPartition, LegacyTable, cancellationToken) is not null)
        {
            return 0;
        }

        var legacy = tables.Service.GetTableClient(options.Value.TablePrefix + LegacyTable);
        var copied = 0;
        try
        {
            await foreach (var row in legacy.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
            {
                await CopyAsync(row, cancellationToken);
                copied++;
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No legacy table: a deployment that started with this version.
        }

        await state.UpsertEntityAsync(new TableEntity(MarkerPartition, LegacyTable) { ["Copied"] = copied }, TableUpdateMode.Replace,
            cancellationToken);
        LogMigrated(copied);
        return copied;
    }

    private async Task CopyAsync(TableEntity e, CancellationToken cancellationToken)
    {
        var (company, job) = (e.GetString("Company"), e.GetString("Job"));
        string? Text(string name) => e.GetString(name) is { Length: > 0 } value ? value : null;
        if (e.ContainsKey("Linked") || e.GetInt64("ProjectId") is not null)
        {
            await listings.ChangeAsync(company, job, current => current ?? new JobListing(company, job, Text("JobName"), Text("JobStatus"),
                e.GetInt64("ProjectId"), Text("ProjectName"), Text("LinkSource"), Text("LinkProblem")), cancellationToken);
        }

        if (e.GetDateTimeOffset("RefreshedAt") is not null || e.GetDateTimeOffset("TotalsAsOf") is not null)
        {
            await snapshots.ChangeAsync(company, job, current => current ?? new BudgetSnapshot(
                TableKeys.Amount(Text("SpectrumTotal")), TableKeys.Amount(Text("ProcoreTotal")), TableKeys.Amount(Text("NewProcoreTotal")),
                e.GetInt32("LeftOutLines") is { } lines ? new LeftOutMoney(lines, TableKeys.Amount(Text("LeftOutTotal")) ?? 0m) : null,
                e.GetDateTimeOffset("TotalsAsOf"), e.GetBoolean("Available"),
                Text("BlockedBy") is { } code ? Enum.Parse<PrerequisiteCode>(code) : null, Text("BlockedReason"),
                e.GetDateTimeOffset("RefreshedAt"), Text("RefreshProblem")), cancellationToken);
        }

        if (e.GetDateTimeOffset("LastImportedAt") is { } importedAt && await imports.FindAsync(company, job, cancellationToken) is null)
        {
            // An import from before fingerprints were kept has none: the sweep finds it drifted once, and re-imports it.
            await imports.SaveAsync(company, job, new ImportBaseline(importedAt, TableKeys.Amount(Text("ImportedSpectrumTotal")) ?? 0m,
                TableKeys.Amount(Text("ImportedProcoreTotal")) ?? 0m, Text("ImportedSpectrumFingerprint") ?? "",
                Text("ImportedProcoreFingerprint") ?? ""), cancellationToken);
        }

        if ((Text("EstimateShape") is not null || e.GetInt64("BudgetViewId") is not null) && await reads.FindAsync(company, job, cancellationToken) is null)
        {
            await reads.SaveAsync(company, job, new JobRead(Text("EstimateShape"), e.GetInt64("BudgetViewId")), cancellationToken);
        }

        if (Text("LastRunId") is { } runId && await runs.FindAsync(runId, cancellationToken) is { } run)
        {
            await lastRuns.RecordAsync(run, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Copied {Count} jobs from the budgets table of earlier versions into their concerns' rows")]
    private partial void LogMigrated(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Copying the budgets table of earlier versions failed; it is tried again at the next start: {Reason}")]
    private partial void LogFailed(Exception exception, string reason);
}
