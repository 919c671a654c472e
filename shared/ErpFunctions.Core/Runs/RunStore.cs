using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using ErpFunctions.Domain.Planning;
using ErpFunctions.Domain.Prerequisites;
using ErpFunctions.Domain.Runs;
using ErpFunctions.Storage;

namespace ErpFunctions.Runs;

/// <summary>
/// Run rows, their lines, and an index of each job's runs, in one table:
/// the run row (PartitionKey = run id, RowKey <c>run</c>) is found in one point read; its lines share its partition
/// (<c>line-000001</c>…, written 100 per transaction); each job has an index partition
/// (<c>job|company|job</c>, newest first) so that its latest runs are read without a table scan.
/// </summary>
public sealed class RunStore(StorageTables tables, TimeProvider time)
{
    private const string RunRow = "run";
    private const string LinePrefix = "line-";
    private const int BatchSize = 100;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>Writes a new run; when its row already exists (written from its message, or by a retried request), answers that row.</summary>
    public async Task<RunRecord> CreateAsync(RunRecord run, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        try
        {
            var response = await table.AddEntityAsync(ToEntity(run), cancellationToken);
            run = run with { Version = response.Headers.ETag?.ToString() };
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            run = await FindAsync(run.RunId, cancellationToken) ?? throw new StaleRunUpdateException(run.RunId);
        }

        await table.UpsertEntityAsync(IndexEntity(run), TableUpdateMode.Replace, cancellationToken);
        return run;
    }

    public async Task<RunRecord?> FindAsync(string runId, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Encode(runId), RunRow, cancellationToken: cancellationToken);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    /// <summary>Writes a new state of a run read earlier; throws <see cref="StaleRunUpdateException"/> if it changed since.</summary>
    public async Task<RunRecord> UpdateAsync(RunRecord previous, RunRecord next, CancellationToken cancellationToken)
    {
        if (previous.Status != next.Status && !previous.Status.CanMoveTo(next.Status))
        {
            throw new RunTransitionException(previous.RunId, previous.Status, next.Status);
        }

        var table = await Table(cancellationToken);
        try
        {
            var response = await table.UpdateEntityAsync(ToEntity(next), VersionOf(previous), TableUpdateMode.Replace, cancellationToken);
            if (previous.Status != next.Status)
            {
                await table.UpsertEntityAsync(IndexEntity(next), TableUpdateMode.Replace, cancellationToken);
            }

            return next with { Version = response.Headers.ETag?.ToString() };
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            throw new StaleRunUpdateException(previous.RunId);
        }
    }

    /// <summary>Re-reads the run and applies <paramref name="change"/> until no other writer is in the way.</summary>
    public async Task<RunRecord?> ChangeAsync(string runId, Func<RunRecord, RunRecord?> change, CancellationToken cancellationToken)
    {
        while (true)
        {
            var current = await FindAsync(runId, cancellationToken);
            if (current is null || change(current) is not { } next)
            {
                return current;
            }

            try
            {
                return await UpdateAsync(current, next, cancellationToken);
            }
            catch (StaleRunUpdateException)
            {
            }
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
        var table = await Table(cancellationToken);
        await Parallel.ForEachAsync(lines.Select(l => LineEntity(runId, l)).Chunk(BatchSize),
            new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (batch, token) => await table.SubmitTransactionAsync(
                batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), token));
    }

    public async Task<IReadOnlyList<RunLine>> GetLinesAsync(string runId, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var partition = TableKeys.Encode(runId);
        var lines = new List<RunLine>();
        await foreach (var entity in table.QueryAsync<TableEntity>(
                           e => e.PartitionKey == partition && e.RowKey.CompareTo(LinePrefix) >= 0 && e.RowKey.CompareTo("line.") < 0,
                           cancellationToken: cancellationToken))
        {
            lines.Add(FromLineEntity(entity));
        }

        return lines;
    }

    public RunRecord NewRun(string company, string job, RunTrigger trigger, string requestedBy, string correlationId) =>
        new(NewRunId(), company, job, trigger, requestedBy, correlationId, RunStatus.Queued, time.GetUtcNow());

    private string NewRunId() => time.GetUtcNow().ToString("yyyyMMddHHmmss") + "-" + Guid.NewGuid().ToString("N")[..12];

    private Task<TableClient> Table(CancellationToken cancellationToken) => tables.GetAsync(StorageTables.Runs, cancellationToken);

    private static ETag VersionOf(RunRecord run) =>
        new(run.Version ?? throw new InvalidOperationException($"Run {run.RunId} was not read from storage, so it has no version to update."));

    private static string IndexPartition(string company, string job) => TableKeys.Encode($"job|{company}|{job}");

    private static TableEntity IndexEntity(RunRecord run) => new(IndexPartition(run.Company, run.Job), TableKeys.NewestFirst(run.CreatedAt) + "-" + run.RunId)
    {
        ["RunId"] = run.RunId,
        ["Status"] = run.Status.ToString(),
        ["Trigger"] = run.Trigger.ToString(),
        ["CreatedAt"] = run.CreatedAt,
    };

    private static TableEntity ToEntity(RunRecord run) => new(TableKeys.Encode(run.RunId), RunRow)
    {
        ["RunId"] = run.RunId,
        ["Company"] = run.Company,
        ["Job"] = run.Job,
        ["ProjectId"] = run.ProjectId,
        ["Trigger"] = run.Trigger.ToString(),
        ["RequestedBy"] = run.RequestedBy,
        ["CorrelationId"] = run.CorrelationId,
        ["Status"] = run.Status.ToString(),
        ["CreatedAt"] = run.CreatedAt,
        ["StartedAt"] = run.StartedAt,
        ["CompletedAt"] = run.CompletedAt,
        ["OperatorAccess"] = run.OperatorAccess?.ToString(),
        ["IdempotencyKey"] = run.IdempotencyKey,
        ["ErpRequestDetailIds"] = JsonSerializer.Serialize(run.ErpRequestDetailIds, Json),
        ["ErpClosedOut"] = run.ErpClosedOut,
        ["WaitingUntil"] = run.WaitingUntil,
        ["Prerequisites"] = JsonSerializer.Serialize(run.Prerequisites, Json),
        ["SpectrumTotal"] = TableKeys.Amount(run.TotalsBefore?.SpectrumTotal),
        ["ProcoreTotal"] = TableKeys.Amount(run.TotalsBefore?.ProcoreTotal),
        ["NewProcoreTotal"] = TableKeys.Amount(run.TotalsBefore?.NewProcoreTotal),
        ["ProcoreTotalAfter"] = TableKeys.Amount(run.ProcoreTotalAfter),
        ["Counts"] = JsonSerializer.Serialize(run.Counts, Json),
        ["FailedLines"] = run.FailedLines,
        ["NewCostCodes"] = run.NewCostCodes,
        ["NewBudgetCodes"] = run.NewBudgetCodes,
        ["CostCodesCreated"] = run.CostCodesCreated,
        ["BudgetCodesCreated"] = run.BudgetCodesCreated,
        ["ProcoreReads"] = run.ProcoreReads,
        ["ProcoreWrites"] = run.ProcoreWrites,
        ["SpectrumCalls"] = run.SpectrumCalls,
        ["Attempts"] = run.Attempts,
        ["Error"] = run.Error,
        ["Messages"] = JsonSerializer.Serialize(run.Messages, Json),
    };

    private static RunRecord FromEntity(TableEntity e)
    {
        var spectrum = TableKeys.Amount(e.GetString("SpectrumTotal"));
        return new RunRecord(e.GetString("RunId"), e.GetString("Company"), e.GetString("Job"),
            Enum.Parse<RunTrigger>(e.GetString("Trigger")), e.GetString("RequestedBy"), e.GetString("CorrelationId"),
            Enum.Parse<RunStatus>(e.GetString("Status")), e.GetDateTimeOffset("CreatedAt")!.Value)
        {
            ProjectId = e.GetInt64("ProjectId"),
            StartedAt = e.GetDateTimeOffset("StartedAt"),
            CompletedAt = e.GetDateTimeOffset("CompletedAt"),
            OperatorAccess = e.GetString("OperatorAccess") is { } access ? Enum.Parse<AccessLevel>(access) : null,
            IdempotencyKey = e.GetString("IdempotencyKey"),
            ErpRequestDetailIds = JsonSerializer.Deserialize<List<long>>(e.GetString("ErpRequestDetailIds") ?? "[]", Json)!,
            ErpClosedOut = e.GetBoolean("ErpClosedOut") ?? false,
            WaitingUntil = e.GetDateTimeOffset("WaitingUntil"),
            Prerequisites = JsonSerializer.Deserialize<List<PrerequisiteResult>>(e.GetString("Prerequisites") ?? "[]", Json)!,
            TotalsBefore = spectrum is null ? null : new BudgetTotals(spectrum.Value,
                TableKeys.Amount(e.GetString("ProcoreTotal")) ?? 0m, TableKeys.Amount(e.GetString("NewProcoreTotal")) ?? 0m),
            ProcoreTotalAfter = TableKeys.Amount(e.GetString("ProcoreTotalAfter")),
            Counts = JsonSerializer.Deserialize<Dictionary<PlanKind, int>>(e.GetString("Counts") ?? "{}", Json)!,
            FailedLines = e.GetInt32("FailedLines") ?? 0,
            NewCostCodes = e.GetInt32("NewCostCodes") ?? 0,
            NewBudgetCodes = e.GetInt32("NewBudgetCodes") ?? 0,
            CostCodesCreated = e.GetInt32("CostCodesCreated") ?? 0,
            BudgetCodesCreated = e.GetInt32("BudgetCodesCreated") ?? 0,
            ProcoreReads = e.GetInt32("ProcoreReads") ?? 0,
            ProcoreWrites = e.GetInt32("ProcoreWrites") ?? 0,
            SpectrumCalls = e.GetInt32("SpectrumCalls") ?? 0,
            Attempts = e.GetInt32("Attempts") ?? 0,
            Error = e.GetString("Error"),
            Messages = JsonSerializer.Deserialize<List<string>>(e.GetString("Messages") ?? "[]", Json)!,
            Version = e.ETag.ToString(),
        };
    }

    private static TableEntity LineEntity(string runId, RunLine line) => new(TableKeys.Encode(runId), $"{LinePrefix}{line.Index:D6}")
    {
        ["Kind"] = line.Plan.Kind.ToString(),
        ["Phase"] = line.Plan.Phase,
        ["CostType"] = line.Plan.CostType,
        ["CostCode"] = line.Plan.CostCode,
        ["ProcoreCostType"] = line.Plan.ProcoreCostType,
        ["Description"] = line.Plan.Description,
        ["Estimate"] = TableKeys.Amount(line.Plan.Estimate),
        ["JobToDate"] = TableKeys.Amount(line.Plan.JobToDate),
        ["From"] = TableKeys.Amount(line.Plan.From),
        ["To"] = TableKeys.Amount(line.Plan.To),
        ["Rule"] = line.Plan.Rule,
        ["Reason"] = line.Plan.Reason,
        ["BudgetLineId"] = line.Plan.BudgetLineId,
        ["Outcome"] = line.Outcome.ToString(),
        ["ProcoreMessage"] = line.ProcoreMessage,
        ["Warning"] = line.Plan.Warning,
        ["Sources"] = JsonSerializer.Serialize(line.Plan.Sources, Json),
    };

    private static RunLine FromLineEntity(TableEntity e) => new(
        int.Parse(e.RowKey[LinePrefix.Length..]),
        new PlanLine(Enum.Parse<PlanKind>(e.GetString("Kind")), e.GetString("Phase") ?? "", e.GetString("CostType") ?? "",
            e.GetString("CostCode"), e.GetString("ProcoreCostType"), e.GetString("Description") ?? "",
            TableKeys.Amount(e.GetString("Estimate")) ?? 0m, TableKeys.Amount(e.GetString("JobToDate")) ?? 0m,
            TableKeys.Amount(e.GetString("From")), TableKeys.Amount(e.GetString("To")), e.GetString("Rule"),
            e.GetString("Reason") ?? "", e.GetInt64("BudgetLineId"))
        {
            Warning = e.GetString("Warning"),
            Sources = JsonSerializer.Deserialize<List<SourceRow>>(e.GetString("Sources") ?? "[]", Json)!,
        },
        Enum.Parse<LineOutcome>(e.GetString("Outcome")),
        e.GetString("ProcoreMessage"));
}

public sealed record RunSummary(string RunId, RunStatus Status, RunTrigger Trigger, DateTimeOffset CreatedAt);
