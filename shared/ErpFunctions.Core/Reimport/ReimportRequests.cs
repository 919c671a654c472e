using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using ErpFunctions.Budgets;
using ErpFunctions.Prerequisites;
using ErpFunctions.Procore;
using ErpFunctions.Queueing;
using ErpFunctions.Runs;
using ErpFunctions.Storage;
using Microsoft.Extensions.Logging;

namespace ErpFunctions.Reimport;

/// <param name="CheckPrerequisites">Check before queueing (operator requests, so that they hear "unavailable" at once).</param>
public sealed record ReimportRequest(
    string Job,
    RunTrigger Trigger,
    string RequestedBy,
    string CorrelationId,
    ProcoreAccessLevel? OperatorAccess,
    string? IdempotencyKey = null,
    long? ErpRequestDetailId = null,
    bool CheckPrerequisites = true);

public abstract record ReimportRequestOutcome
{
    /// <param name="Joined">The job already had a queued or running run; the request joined it.</param>
    /// <param name="Replayed">The idempotency key was seen before; this is the run it started.</param>
    public sealed record Accepted(RunRecord Run, bool Joined, bool Replayed) : ReimportRequestOutcome;

    public sealed record Unavailable(IReadOnlyList<PrerequisiteResult> Prerequisites) : ReimportRequestOutcome;

    public sealed record UnknownJob(string Job, string Reason) : ReimportRequestOutcome;

    /// <summary>The idempotency key was already used for a different request.</summary>
    public sealed record KeyReused(string Job) : ReimportRequestOutcome;
}

/// <summary>
/// Turns a request for a re-import into a queued run: checked first where an operator asked, joined to the job's
/// active run rather than started twice, and made idempotent by key (same key → same run, no second message).
/// </summary>
public sealed partial class ReimportRequests(
    RunStore runs,
    BudgetEntries entries,
    ReimportQueue queue,
    ReimportContextReader reader,
    StorageTables tables,
    ILogger<ReimportRequests> logger)
{
    private const string KeyPartition = "idempotency";

    public async Task<ReimportRequestOutcome> RequestAsync(ReimportRequest request, CancellationToken cancellationToken)
    {
        var company = reader.Company;
        var keyRow = request.IdempotencyKey is { } key ? KeyRow(request.RequestedBy, key) : null;
        if (keyRow is not null && await FindKeyedRunAsync(keyRow, request, cancellationToken) is { } replay)
        {
            return replay;
        }

        if (request.CheckPrerequisites)
        {
            var check = await reader.CheckAsync(request.Job, request.OperatorAccess, cancellationToken);
            if (!check.Facts.SpectrumJobFound)
            {
                return new ReimportRequestOutcome.UnknownJob(request.Job, $"Spectrum company {company} has no job {request.Job}");
            }

            if (!check.Prerequisites.AllowsReimport())
            {
                return new ReimportRequestOutcome.Unavailable(check.Prerequisites);
            }
        }

        if (await runs.FindActiveRunAsync(company, request.Job, cancellationToken) is { } active)
        {
            LogJoined(request.Job, active.RunId, request.Trigger);
            if (request.ErpRequestDetailId is { } detail && active.ErpRequestDetailId is null)
            {
                // The ERP tool's request is answered by the run it joins.
                active = await runs.ChangeAsync(active.RunId, r => r.ErpRequestDetailId is null ? r with { ErpRequestDetailId = detail } : null,
                    cancellationToken) ?? active;
            }

            return keyRow is not null && await ClaimKeyAsync(keyRow, request, active.RunId, cancellationToken) is { } raced
                ? raced
                : new ReimportRequestOutcome.Accepted(active, Joined: true, Replayed: false);
        }

        var run = NewRun(request);
        if (keyRow is not null && await ClaimKeyAsync(keyRow, request, run.RunId, cancellationToken) is { } claimedElsewhere)
        {
            return claimedElsewhere;
        }

        return new ReimportRequestOutcome.Accepted(await QueueAsync(run, cancellationToken), Joined: false, Replayed: false);
    }

    private async Task<RunRecord> QueueAsync(RunRecord run, CancellationToken cancellationToken)
    {
        run = await runs.CreateAsync(run, cancellationToken);
        await queue.SendAsync(new ReimportMessage(ReimportMessageKind.Run, run.CorrelationId, run.RunId), null, cancellationToken);
        await entries.SaveAsync(new BudgetEntry(run.Company, run.Job).WithLastRun(run), cancellationToken);
        LogQueued(run.RunId, run.Job, run.Trigger, run.RequestedBy);
        return run;
    }

    /// <summary>The run a key already started; one whose creation was interrupted is completed now.</summary>
    private async Task<ReimportRequestOutcome?> FindKeyedRunAsync(string keyRow, ReimportRequest request, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageTables.Requests, cancellationToken);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(KeyPartition, keyRow, cancellationToken: cancellationToken);
        if (!found.HasValue)
        {
            return null;
        }

        if (found.Value!.GetString("Job") != request.Job)
        {
            return new ReimportRequestOutcome.KeyReused(found.Value.GetString("Job"));
        }

        var runId = found.Value.GetString("RunId");
        var run = await runs.FindAsync(runId, cancellationToken);
        if (run is null)
        {
            run = await QueueAsync(NewRun(request) with { RunId = runId }, cancellationToken);
        }

        return new ReimportRequestOutcome.Accepted(run, Joined: false, Replayed: true);
    }

    /// <summary>Claims the key for <paramref name="runId"/>; if another request claimed it first, answers with its run.</summary>
    private async Task<ReimportRequestOutcome?> ClaimKeyAsync(string keyRow, ReimportRequest request, string runId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageTables.Requests, cancellationToken);
        try
        {
            await table.AddEntityAsync(new TableEntity(KeyPartition, keyRow) { ["RunId"] = runId, ["Job"] = request.Job }, cancellationToken);
            return null;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return await FindKeyedRunAsync(keyRow, request, cancellationToken);
        }
    }

    private RunRecord NewRun(ReimportRequest request) =>
        runs.NewRun(reader.Company, request.Job, request.Trigger, request.RequestedBy, request.CorrelationId) with
        {
            OperatorAccess = request.OperatorAccess,
            IdempotencyKey = request.IdempotencyKey,
            ErpRequestDetailId = request.ErpRequestDetailId,
        };

    /// <summary>Keys are scoped to whoever sent them; only their hash is stored.</summary>
    private static string KeyRow(string requestedBy, string key) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(requestedBy + "\n" + key)));

    [LoggerMessage(Level = LogLevel.Information, Message = "Queued run {RunId} of job {Job} ({Trigger}, by {RequestedBy})")]
    private partial void LogQueued(string runId, string job, RunTrigger trigger, string requestedBy);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} already has run {RunId}; the {Trigger} request joins it")]
    private partial void LogJoined(string job, string runId, RunTrigger trigger);
}
