using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using System.Globalization;
using System.IO.Compression;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ErpFunctions.Domain.Planning;
using ErpFunctions.Domain.Prerequisites;
using ErpFunctions.Domain.Runs;
using ErpFunctions.Storage;

namespace ErpFunctions.Runs;

/// <summary>
/// Run rows and an index of each job's runs, in one table, and each run's lines as one document: the run row
/// (PartitionKey = run id, RowKey <c>run</c>) is found in one point read; each job has an index partition
/// (<c>job|company|job</c>, newest first) so that its latest runs are read without a table scan; a run's lines, plan and
/// outcomes, are one gzipped JSON blob (<c>&lt;run id&gt;.json.gz</c>), written once planned and once written, whatever
/// their number: 10,000 lines are one upload, not 100 table transactions. Each job's latest run is kept for the budgets
/// list (<see cref="LastRuns"/>) as runs are created and change status.
/// </summary>
public sealed class RunStore(StorageTables tables, StorageBlobs blobs, LastRuns lastRuns, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>Writes a new run; when its row already exists (written from its message, or by a retried request), answers that row.</summary>
    public async Task<RunRecord> CreateAsync(RunRecord run, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        try
        {
            var response = await table.AddEntityAsync(RunRow.From(run), cancellationToken);
            run = run with { Version = response.Headers.ETag?.ToString() };
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            run = await FindAsync(run.RunId, cancellationToken) ?? throw new StaleRunUpdateException(run.RunId);
        }

        await table.UpsertEntityAsync(IndexEntity(run), TableUpdateMode.Replace, cancellationToken);
        await lastRuns.RecordAsync(run, cancellationToken);
        return run;
    }

    public async Task<RunRecord?> FindAsync(string runId, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        return (await table.FindAsync<RunRow>(TableKeys.Encode(runId), RunRow.Key, cancellationToken))?.ToRecord();
    }

    /// <summary>Re-reads the run and applies <paramref name="change"/> until no other writer is in the way.</summary>
    public async Task<RunRecord?> ChangeAsync(string runId, Func<RunRecord, RunRecord?> change, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        RunStatus? changedFrom = null;
        var row = await table.ChangeAsync<RunRow>(TableKeys.Encode(runId), RunRow.Key, current =>
        {
            changedFrom = null;
            if (current?.ToRecord() is not { } run || change(run) is not { } next)
            {
                return null;
            }

            if (run.Status != next.Status && !run.Status.CanMoveTo(next.Status))
            {
                throw new RunTransitionException(run.RunId, run.Status, next.Status);
            }

            changedFrom = run.Status;
            return RunRow.From(next);
        }, cancellationToken);
        var changed = row?.ToRecord();
        if (changed is not null && changedFrom is { } from)
        {
            await StatusChangedAsync(table, from, changed, cancellationToken);
        }

        return changed;
    }

    /// <summary>Where the run's status moved, the job's index of runs and its latest run follow.</summary>
    private async Task StatusChangedAsync(TableClient table, RunStatus from, RunRecord run, CancellationToken cancellationToken)
    {
        if (from != run.Status)
        {
            await table.UpsertEntityAsync(IndexEntity(run), TableUpdateMode.Replace, cancellationToken);
            await lastRuns.RecordAsync(run, cancellationToken);
        }
    }

    /// <summary>The job's runs, newest first, with their last known status.</summary>
    public async Task<IReadOnlyList<RunSummary>> ListForJobAsync(string company, string job, int max, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var runs = new List<RunSummary>();
        await foreach (var entity in table.QueryAsync<TableEntity>(e => e.PartitionKey == IndexPartition(company, job),
                           maxPerPage: max, cancellationToken: cancellationToken))
        {
            runs.Add(new RunSummary(entity.GetString("RunId"), Enum.Parse<RunStatus>(entity.GetString("Status")),
                Enum.Parse<RunTrigger>(entity.GetString("Trigger")), entity.GetDateTimeOffset("CreatedAt")!.Value));
            if (runs.Count == max)
            {
                break;
            }
        }

        return runs;
    }

    /// <summary>
    /// The job's queued run, if any: a new request joins it instead of starting another. A running run is not joined,
    /// since it may have read Spectrum before the change the request is about.
    /// </summary>
    public async Task<RunRecord?> FindQueuedRunAsync(string company, string job, CancellationToken cancellationToken)
    {
        foreach (var summary in await ListForJobAsync(company, job, 5, cancellationToken))
        {
            if (summary.Status == RunStatus.Queued && await FindAsync(summary.RunId, cancellationToken) is { Status: RunStatus.Queued } run)
            {
                return run;
            }
        }

        return null;
    }

    public async Task SaveLinesAsync(string runId, IEnumerable<RunLine> lines, CancellationToken cancellationToken)
    {
        var blob = await LinesBlobAsync(runId, cancellationToken);
        var options = new BlobOpenWriteOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json", ContentEncoding = "gzip" } };
        await using var upload = await blob.OpenWriteAsync(overwrite: true, options, cancellationToken);
        await using var gzip = new GZipStream(upload, CompressionLevel.Fastest);
        await JsonSerializer.SerializeAsync(gzip, lines, Json, cancellationToken);
    }

    /// <summary>The run's lines in plan order; none for a run that planned nothing (or has no document yet).</summary>
    public async Task<IReadOnlyList<RunLine>> GetLinesAsync(string runId, CancellationToken cancellationToken)
    {
        var blob = await LinesBlobAsync(runId, cancellationToken);
        try
        {
            await using var download = await blob.OpenReadAsync(cancellationToken: cancellationToken);
            await using var gzip = new GZipStream(download, CompressionMode.Decompress);
            return await JsonSerializer.DeserializeAsync<List<RunLine>>(gzip, Json, cancellationToken) ?? [];
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return [];
        }
    }

    /// <summary>One page of the run's lines; null when the page starts beyond its last line.</summary>
    public async Task<LinesPage?> GetLinesPageAsync(string runId, LinePage page, CancellationToken cancellationToken)
    {
        var lines = await GetLinesAsync(runId, cancellationToken);
        if (page.Offset > lines.Count)
        {
            return null;
        }

        var end = page.Offset + page.Size;
        return new LinesPage([.. lines.Skip(page.Offset).Take(page.Size)], lines.Count,
            end < lines.Count ? end.ToString(CultureInfo.InvariantCulture) : null);
    }

    public RunRecord NewRun(string company, string job, RunTrigger trigger, string requestedBy, string correlationId) =>
        new(NewRunId(), company, job, trigger, requestedBy, correlationId, RunStatus.Queued, time.GetUtcNow());

    private string NewRunId() => time.GetUtcNow().ToString("yyyyMMddHHmmss") + "-" + Guid.NewGuid().ToString("N")[..12];

    private Task<TableClient> Table(CancellationToken cancellationToken) => tables.GetAsync(StorageTables.Runs, cancellationToken);

    private static string IndexPartition(string company, string job) => TableKeys.Encode($"job|{company}|{job}");

    private static TableEntity IndexEntity(RunRecord run) => new(IndexPartition(run.Company, run.Job), TableKeys.NewestFirst(run.CreatedAt) + "-" + run.RunId)
    {
        ["RunId"] = run.RunId,
        ["Status"] = run.Status.ToString(),
        ["Trigger"] = run.Trigger.ToString(),
        ["CreatedAt"] = run.CreatedAt,
    };

    private async Task<BlobClient> LinesBlobAsync(string runId, CancellationToken cancellationToken) =>
        (await blobs.GetAsync(StorageBlobs.RunLines, cancellationToken)).GetBlobClient(TableKeys.Encode(runId) + ".json.gz");
}

public sealed record RunSummary(string RunId, RunStatus Status, RunTrigger Trigger, DateTimeOffset CreatedAt);

/// <summary>A run's row (PartitionKey = run id, RowKey <c>run</c>): lists as JSON, amounts as invariant text.</summary>
internal sealed class RunRow : TableRow
{
    public const string Key = "run";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public string RunId { get; set; } = "";
    public string Company { get; set; } = "";
    public string Job { get; set; } = "";
    public long? ProjectId { get; set; }
    public string Trigger { get; set; } = "";
    public string RequestedBy { get; set; } = "";
    public string CorrelationId { get; set; } = "";
    public string Status { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public string? OperatorAccess { get; set; }
    public string? IdempotencyKey { get; set; }
    public string ErpRequestDetailIds { get; set; } = "[]";
    public bool ErpClosedOut { get; set; }
    public DateTimeOffset? WaitingUntil { get; set; }
    public string? WaitingFor { get; set; }
    public string Prerequisites { get; set; } = "[]";
    public string? SpectrumTotal { get; set; }
    public string? ProcoreTotal { get; set; }
    public string? NewProcoreTotal { get; set; }
    public int? LeftOutLines { get; set; }
    public string? LeftOutTotal { get; set; }
    public string? ProcoreTotalAfter { get; set; }
    public string Counts { get; set; } = "{}";
    public int FailedLines { get; set; }
    public int NewCostCodes { get; set; }
    public int NewBudgetCodes { get; set; }
    public int CostCodesCreated { get; set; }
    public int BudgetCodesCreated { get; set; }
    public int ProcoreReads { get; set; }
    public int ProcoreWrites { get; set; }
    public int SpectrumCalls { get; set; }
    public int Attempts { get; set; }
    public string? Error { get; set; }
    public string Messages { get; set; } = "[]";

    public static RunRow From(RunRecord run) => new()
    {
        PartitionKey = TableKeys.Encode(run.RunId), RowKey = Key,
        RunId = run.RunId, Company = run.Company, Job = run.Job, ProjectId = run.ProjectId, Trigger = run.Trigger.ToString(),
        RequestedBy = run.RequestedBy, CorrelationId = run.CorrelationId, Status = run.Status.ToString(), CreatedAt = run.CreatedAt,
        StartedAt = run.StartedAt, CompletedAt = run.CompletedAt, OperatorAccess = run.OperatorAccess?.ToString(), IdempotencyKey = run.IdempotencyKey,
        ErpRequestDetailIds = JsonSerializer.Serialize(run.ErpRequestDetailIds, Json), ErpClosedOut = run.ErpClosedOut,
        WaitingUntil = run.WaitingUntil, WaitingFor = run.WaitingFor, Prerequisites = JsonSerializer.Serialize(run.Prerequisites, Json),
        SpectrumTotal = TableKeys.Amount(run.TotalsBefore?.SpectrumTotal), ProcoreTotal = TableKeys.Amount(run.TotalsBefore?.ProcoreTotal),
        NewProcoreTotal = TableKeys.Amount(run.TotalsBefore?.NewProcoreTotal), LeftOutLines = run.TotalsBefore?.LeftOut.Lines,
        LeftOutTotal = TableKeys.Amount(run.TotalsBefore?.LeftOut.Amount), ProcoreTotalAfter = TableKeys.Amount(run.ProcoreTotalAfter),
        Counts = JsonSerializer.Serialize(run.Counts, Json), FailedLines = run.FailedLines, NewCostCodes = run.NewCostCodes,
        NewBudgetCodes = run.NewBudgetCodes, CostCodesCreated = run.CostCodesCreated, BudgetCodesCreated = run.BudgetCodesCreated,
        ProcoreReads = run.ProcoreReads, ProcoreWrites = run.ProcoreWrites, SpectrumCalls = run.SpectrumCalls, Attempts = run.Attempts,
        Error = run.Error, Messages = JsonSerializer.Serialize(run.Messages, Json),
    };

    public RunRecord ToRecord() => new(RunId, Company, Job, Enum.Parse<RunTrigger>(Trigger), RequestedBy, CorrelationId,
        Enum.Parse<RunStatus>(Status), CreatedAt)
    {
        ProjectId = ProjectId,
        StartedAt = StartedAt,
        CompletedAt = CompletedAt,
        OperatorAccess = OperatorAccess is { } access ? Enum.Parse<AccessLevel>(access) : null,
        IdempotencyKey = IdempotencyKey,
        ErpRequestDetailIds = JsonSerializer.Deserialize<List<long>>(ErpRequestDetailIds, Json)!,
        ErpClosedOut = ErpClosedOut,
        WaitingUntil = WaitingUntil,
        WaitingFor = WaitingFor,
        Prerequisites = JsonSerializer.Deserialize<List<PrerequisiteResult>>(Prerequisites, Json)!,
        TotalsBefore = TableKeys.Amount(SpectrumTotal) is { } spectrum
            ? new BudgetTotals(spectrum, TableKeys.Amount(ProcoreTotal) ?? 0m, TableKeys.Amount(NewProcoreTotal) ?? 0m,
                new LeftOutMoney(LeftOutLines ?? 0, TableKeys.Amount(LeftOutTotal) ?? 0m))
            : null,
        ProcoreTotalAfter = TableKeys.Amount(ProcoreTotalAfter),
        Counts = JsonSerializer.Deserialize<Dictionary<PlanKind, int>>(Counts, Json)!,
        FailedLines = FailedLines,
        NewCostCodes = NewCostCodes,
        NewBudgetCodes = NewBudgetCodes,
        CostCodesCreated = CostCodesCreated,
        BudgetCodesCreated = BudgetCodesCreated,
        ProcoreReads = ProcoreReads,
        ProcoreWrites = ProcoreWrites,
        SpectrumCalls = SpectrumCalls,
        Attempts = Attempts,
        Error = Error,
        Messages = JsonSerializer.Deserialize<List<string>>(Messages, Json)!,
        Version = ETag.ToString(),
    };
}
