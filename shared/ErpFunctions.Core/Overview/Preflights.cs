using System.ComponentModel.DataAnnotations;
using Azure;
using Azure.Data.Tables;
using ErpFunctions.Budgets;
using ErpFunctions.Queueing;
using ErpFunctions.Domain.Companies;
using ErpFunctions.Storage;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Overview;

/// <summary>The preflight's settings. Bound from <c>Preflight</c>.</summary>
public sealed class PreflightOptions
{
    public const string Section = "Preflight";

    /// <summary>The share of each Spectrum service's daily call budget a preflight may spend (it counts with the nightly sweep's).</summary>
    [Range(0.0, 1.0)]
    public double ShareOfDailySpectrumBudget { get; set; } = 0.5;

    /// <summary>One queue message checks jobs for this long, then hands on to the next (inside the host's 10-minute timeout).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:09:00")]
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromMinutes(8);
}

public enum PreflightStatus
{
    Queued,
    Running,

    /// <summary>Spectrum's daily call budget or Procore's rate limit is spent; it goes on at <see cref="PreflightState.WaitingUntil"/>.</summary>
    Waiting,
    Finished,
}

/// <summary>A preflight: every linked job's totals and availability worked out again, in the background.</summary>
/// <param name="Company">The Spectrum company whose jobs it checks.</param>
/// <param name="OnlyUnchecked">Only jobs whose totals were never worked out (the list starts these itself).</param>
/// <param name="ResumeAfter">The last job checked: a preflight handed on, or woken after a wait, goes on after it.</param>
public sealed record PreflightState(
    string Company,
    string Id,
    PreflightStatus Status,
    string StatusText,
    int Total,
    int Done,
    int Failed,
    bool OnlyUnchecked,
    string CorrelationId,
    DateTimeOffset StartedAt,
    DateTimeOffset UpdatedAt,
    string? ResumeAfter = null,
    DateTimeOffset? FinishedAt = null,
    DateTimeOffset? WaitingUntil = null)
{
    public string? Version { get; init; }

    public bool IsActive => Status != PreflightStatus.Finished;
}

/// <summary>
/// Starts preflights, one at a time per company (a second request joins the one under way), and keeps their state in
/// one row that every instance updates under its ETag. A preflight that stopped answering (its worker died) for longer
/// than a message may run is replaced by the next request.
/// </summary>
public sealed class Preflights(
    StorageTables tables,
    JobListings listings,
    BudgetSnapshots snapshots,
    ReimportQueue queue,
    IOptions<PreflightOptions> options,
    TimeProvider time)
{
    /// <summary>The company's latest preflight, under way or finished.</summary>
    public async Task<PreflightState?> CurrentAsync(Company company, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        return (await table.FindAsync<PreflightRow>(PreflightRow.Partition, TableKeys.Encode(company.Code), cancellationToken))?.ToState(company.Code);
    }

    /// <summary>Starts a preflight of every linked job of the company, or answers the one under way.</summary>
    public async Task<PreflightState> StartAsync(Company company, string correlationId, CancellationToken cancellationToken) =>
        (await StartAsync(company, onlyUnchecked: false, correlationId, cancellationToken))!;

    /// <summary>Starts a preflight of the linked jobs never checked, when there are some and none is under way; answers the latest.</summary>
    public Task<PreflightState?> StartForUncheckedAsync(Company company, string correlationId, CancellationToken cancellationToken) =>
        StartAsync(company, onlyUnchecked: true, correlationId, cancellationToken);

    /// <summary>Writes the preflight's progress, unless another writer changed it meanwhile (then answers null).</summary>
    public async Task<PreflightState?> SaveAsync(PreflightState state, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        try
        {
            var saved = state with { UpdatedAt = time.GetUtcNow() };
            var response = await table.UpdateEntityAsync(PreflightRow.From(saved), new ETag(saved.Version!), TableUpdateMode.Replace, cancellationToken);
            return saved with { Version = response.Headers.ETag?.ToString() };
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return null;
        }
    }

    /// <summary>The linked jobs a preflight checks, in job order, after <paramref name="afterJob"/>.</summary>
    public async IAsyncEnumerable<JobListing> JobsAsync(Company company, bool onlyUnchecked, string? afterJob,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var checkedJobs = onlyUnchecked ? await snapshots.ListAsync(company.Code, afterJob, null, cancellationToken) : null;
        await foreach (var listing in listings.ListAsync(company.Code, linked: true, afterJob, cancellationToken))
        {
            if (checkedJobs?.GetValueOrDefault(listing.Job)?.RefreshedAt is null || !onlyUnchecked)
            {
                yield return listing;
            }
        }
    }

    /// <summary>Null only when <paramref name="onlyUnchecked"/> finds no job to check and no preflight ever ran.</summary>
    private async Task<PreflightState?> StartAsync(Company company, bool onlyUnchecked, string correlationId, CancellationToken cancellationToken)
    {
        var current = await CurrentAsync(company, cancellationToken);
        if (current is { IsActive: true } && !Stalled(current))
        {
            return current;
        }

        var total = await CountAsync(company, onlyUnchecked, cancellationToken);
        if (onlyUnchecked && total == 0)
        {
            return current;
        }

        var now = time.GetUtcNow();
        var started = new PreflightState(company.Code, $"{now:yyyyMMddHHmmss}-{Guid.NewGuid():N}"[..27], PreflightStatus.Queued,
            $"Waiting to check {total} job(s)", total, 0, 0, onlyUnchecked, correlationId, now, now);
        // Another request may start one at the same moment: the one written first is joined.
        var table = await Table(cancellationToken);
        var row = await table.ChangeAsync<PreflightRow>(PreflightRow.Partition, TableKeys.Encode(company.Code), existing =>
            existing?.ToState(company.Code) is { IsActive: true } active && !Stalled(active) ? null : PreflightRow.From(started), cancellationToken);
        var latest = row!.ToState(company.Code);
        return latest.Id == started.Id ? await QueueAsync(latest, cancellationToken) : latest;
    }

    /// <summary>Sends the preflight's message; one that cannot be sent ends the preflight, so that the next request starts another.</summary>
    private async Task<PreflightState> QueueAsync(PreflightState started, CancellationToken cancellationToken)
    {
        try
        {
            await queue.SendAsync(new ReimportMessage(ReimportMessageKind.Preflight, started.CorrelationId, PreflightId: started.Id,
                Company: started.Company), null, cancellationToken);
            return started;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            await SaveAsync(started with
            {
                Status = PreflightStatus.Finished, FinishedAt = time.GetUtcNow(), StatusText = "The preflight could not be queued; start it again",
            }, CancellationToken.None);
            throw;
        }
    }

    private bool Stalled(PreflightState state) =>
        state.Status != PreflightStatus.Waiting && time.GetUtcNow() - state.UpdatedAt > options.Value.MaxDuration + TimeSpan.FromMinutes(2);

    private async Task<int> CountAsync(Company company, bool onlyUnchecked, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var _ in JobsAsync(company, onlyUnchecked, null, cancellationToken))
        {
            count++;
        }

        return count;
    }

    private Task<TableClient> Table(CancellationToken cancellationToken) => tables.GetAsync(StorageTables.Sweeps, cancellationToken);
}

internal sealed class PreflightRow : TableRow
{
    public const string Partition = "preflight";

    public string Id { get; set; } = "";
    public string Status { get; set; } = "";
    public string StatusText { get; set; } = "";
    public int Total { get; set; }
    public int Done { get; set; }
    public int Failed { get; set; }
    public bool OnlyUnchecked { get; set; }
    public string CorrelationId { get; set; } = "";
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? ResumeAfter { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public DateTimeOffset? WaitingUntil { get; set; }

    public static PreflightRow From(PreflightState s) => new()
    {
        PartitionKey = Partition, RowKey = TableKeys.Encode(s.Company), Id = s.Id, Status = s.Status.ToString(), StatusText = s.StatusText,
        Total = s.Total, Done = s.Done, Failed = s.Failed, OnlyUnchecked = s.OnlyUnchecked, CorrelationId = s.CorrelationId,
        StartedAt = s.StartedAt, UpdatedAt = s.UpdatedAt, ResumeAfter = s.ResumeAfter, FinishedAt = s.FinishedAt, WaitingUntil = s.WaitingUntil,
    };

    public PreflightState ToState(string company) => new(company, Id, Enum.Parse<PreflightStatus>(Status), StatusText, Total, Done, Failed,
        OnlyUnchecked, CorrelationId, StartedAt, UpdatedAt, ResumeAfter, FinishedAt, WaitingUntil)
    {
        Version = ETag.ToString(),
    };
}
