using ErpFunctions.Budgets;
using ErpFunctions.Diagnostics;
using ErpFunctions.Domain.Companies;
using ErpFunctions.Domain.Jobs;
using ErpFunctions.Domain.Prerequisites;
using ErpFunctions.Domain.Runs;
using ErpFunctions.Queueing;
using ErpFunctions.Reimport;
using ErpFunctions.Runs;
using Microsoft.Extensions.Logging;

namespace ErpFunctions.Requests;

/// <param name="CheckPrerequisites">Check before queueing (operator requests, so that they hear "unavailable" at once).</param>
public sealed record ReimportRequest(
    Company Company,
    JobNumber Job,
    RunTrigger Trigger,
    string RequestedBy,
    string CorrelationId,
    AccessLevel? OperatorAccess,
    string? IdempotencyKey = null,
    long? ErpRequestDetailId = null,
    bool CheckPrerequisites = true);

public abstract record ReimportRequestOutcome
{
    /// <param name="Joined">The job already had a queued run; the request joined it.</param>
    /// <param name="Replayed">The idempotency key was seen before; this is the run it started.</param>
    public sealed record Accepted(RunRecord Run, bool Joined, bool Replayed) : ReimportRequestOutcome;

    public sealed record Unavailable(IReadOnlyList<PrerequisiteResult> Prerequisites) : ReimportRequestOutcome;

    public sealed record UnknownJob(string Reason) : ReimportRequestOutcome;

    /// <summary>The idempotency key was already used for a different request.</summary>
    public sealed record KeyReused(string Job) : ReimportRequestOutcome;

    /// <summary>A part of the request breaks a rule; <see cref="Field"/> names it.</summary>
    public sealed record Invalid(string Field, string Detail) : ReimportRequestOutcome;
}

/// <summary>
/// Turns a request for a re-import into a queued run: checked first where an operator asked, joined to the job's
/// queued run rather than started twice (a running run is not joined: it may have read Spectrum before the change the
/// request is about, so at most one follow-up run is queued behind it), and made idempotent by key (same key → same
/// run, no second message). The run's message is sent before its row is written, so that no row is ever left without
/// a message; the worker writes a row that is missing from the message.
/// </summary>
public sealed partial class ReimportRequests(
    RunStore runs,
    IdempotencyKeys keys,
    ReimportQueue queue,
    ReimportContextReader reader,
    ILogger<ReimportRequests> logger)
{
    public async Task<ReimportRequestOutcome> RequestAsync(ReimportRequest request, CancellationToken cancellationToken)
    {
        if (request.IdempotencyKey is { } key && await keys.FindAsync(request.Company.Code, request.RequestedBy, key, cancellationToken) is { } keyed)
        {
            return await ReplayAsync(keyed, request, cancellationToken);
        }

        if (request.CheckPrerequisites)
        {
            var check = await reader.CheckAsync(CallContext.For(request.Company), request.Job, request.OperatorAccess, cancellationToken);
            if (!check.Facts.SpectrumJobFound)
            {
                return new ReimportRequestOutcome.UnknownJob(ReimportContextReader.NoSuchJob(request.Company, request.Job));
            }

            if (!check.Prerequisites.AllowsReimport())
            {
                return new ReimportRequestOutcome.Unavailable(check.Prerequisites);
            }
        }

        if (await JoinAsync(request, cancellationToken) is { } queued)
        {
            LogJoined(request.Job.Value, queued.RunId, request.Trigger);
            return await ClaimKeyAsync(request, queued.RunId, cancellationToken)
                ?? new ReimportRequestOutcome.Accepted(queued, Joined: true, Replayed: false);
        }

        var run = NewRun(request);
        return await ClaimKeyAsync(request, run.RunId, cancellationToken)
            ?? new ReimportRequestOutcome.Accepted(await QueueAsync(run, cancellationToken), Joined: false, Replayed: false);
    }

    /// <summary>
    /// The job's queued run with this request joined to it (an ERP request's detail is added to those it closes out),
    /// or null when the job has no queued run, or its run started meanwhile.
    /// </summary>
    private async Task<RunRecord?> JoinAsync(ReimportRequest request, CancellationToken cancellationToken)
    {
        if (await runs.FindQueuedRunAsync(request.Company.Code, request.Job.Value, cancellationToken) is not { } queued)
        {
            return null;
        }

        if (request.ErpRequestDetailId is not { } detail)
        {
            return queued;
        }

        var joined = await runs.ChangeAsync(queued.RunId, r => r.Status != RunStatus.Queued || r.ErpRequestDetailIds.Contains(detail)
            ? null
            : r with { ErpRequestDetailIds = [.. r.ErpRequestDetailIds, detail] }, cancellationToken);
        return joined is { Status: RunStatus.Queued } ? joined : null;
    }

    private async Task<RunRecord> QueueAsync(RunRecord run, CancellationToken cancellationToken)
    {
        System.Diagnostics.Activity.Current?.SetTag(Telemetry.RunIdTag, run.RunId);
        await queue.SendAsync(RunMessages.For(run), null, cancellationToken);
        run = await runs.CreateAsync(run, cancellationToken);
        LogQueued(run.RunId, run.Job, run.Trigger, run.RequestedBy);
        return run;
    }

    /// <summary>The run a key already started; one whose creation was interrupted is completed now.</summary>
    private async Task<ReimportRequestOutcome> ReplayAsync(KeyedRun keyed, ReimportRequest request, CancellationToken cancellationToken)
    {
        if (keyed.Job != request.Job.Value)
        {
            return new ReimportRequestOutcome.KeyReused(keyed.Job);
        }

        var run = await runs.FindAsync(keyed.RunId, cancellationToken)
            ?? await QueueAsync(NewRun(request) with { RunId = keyed.RunId }, cancellationToken);
        return new ReimportRequestOutcome.Accepted(run, Joined: false, Replayed: true);
    }

    /// <summary>Claims the request's key (if it has one) for the run; if another request claimed it first, answers with its run.</summary>
    private async Task<ReimportRequestOutcome?> ClaimKeyAsync(ReimportRequest request, string runId, CancellationToken cancellationToken) =>
        request.IdempotencyKey is { } key
        && await keys.TryClaimAsync(request.Company.Code, request.RequestedBy, key, new KeyedRun(request.Job.Value, runId), cancellationToken) is { } claimedBefore
            ? await ReplayAsync(claimedBefore, request, cancellationToken)
            : null;

    private RunRecord NewRun(ReimportRequest request) =>
        runs.NewRun(request.Company.Code, request.Job.Value, request.Trigger, request.RequestedBy, request.CorrelationId) with
        {
            OperatorAccess = request.OperatorAccess,
            IdempotencyKey = request.IdempotencyKey,
            ErpRequestDetailIds = request.ErpRequestDetailId is { } detail ? [detail] : [],
        };

    [LoggerMessage(Level = LogLevel.Information, Message = "Queued run {RunId} of job {Job} ({Trigger}, by {RequestedBy})")]
    private partial void LogQueued(string runId, string job, RunTrigger trigger, string requestedBy);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} already has run {RunId}; the {Trigger} request joins it")]
    private partial void LogJoined(string job, string runId, RunTrigger trigger);
}
