using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using Azure;
using Azure.Data.Tables;
using ErpFunctions.Diagnostics;
using ErpFunctions.Storage;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Spectrum;

/// <summary>Today's Data Exchange calls per service, against <c>Spectrum:DailyCallBudget</c>.</summary>
public sealed record SpectrumCallsToday(DateOnly Day, int Budget, IReadOnlyDictionary<string, int> CallsByService)
{
    public int Left(string service) => Math.Max(0, Budget - CallsByService.GetValueOrDefault(service));
}

/// <summary>
/// Spectrum meters Data Exchange per service and day (an integrator documents 500 reads a day; UNCONFIRMED, hence
/// <c>Spectrum:DailyCallBudget</c>). Every call, retries included, is counted before it is sent, in one row per company
/// and UTC day that every instance updates under its ETag, so operators and the sweep share one count. A call over the
/// budget is not sent; the nightly sweep may spend only its share (<see cref="ForSweep"/>) and leaves the rest to
/// operators.
/// </summary>
public sealed class SpectrumCallBudget(StorageTables tables, IOptions<SpectrumOptions> options, TimeProvider time)
{
    private const string SweepSuffix = "_Sweep";

    private static readonly AsyncLocal<double?> SweepShare = new();

    /// <summary>Each service's calls left today, as this process last counted them: the metric <c>erp.spectrum.daily_budget.left</c>.</summary>
    private static readonly ConcurrentDictionary<string, int> Left = new(StringComparer.Ordinal);

    static SpectrumCallBudget() => Telemetry.Meter.CreateObservableGauge("erp.spectrum.daily_budget.left",
        () => Left.Select(l => new Measurement<int>(l.Value, new KeyValuePair<string, object?>("erp.spectrum.service", l.Key))),
        "{call}", "Spectrum Data Exchange calls left today, by service");

    private readonly SemaphoreSlim gate = new(1, 1);
    private TableEntity? today;

    /// <summary>Counts the calls of the calling flow as the sweep's, which may spend only <paramref name="share"/> of each service's budget.</summary>
    public static IDisposable ForSweep(double share)
    {
        var previous = SweepShare.Value;
        SweepShare.Value = share;
        return new Restore(() => SweepShare.Value = previous);
    }

    /// <summary>Takes one call of <paramref name="service"/> from today's budget, or throws <see cref="SpectrumCallBudgetSpentException"/>.</summary>
    public async Task TakeAsync(SpectrumService service, CancellationToken cancellationToken)
    {
        var budget = options.Value.DailyCallBudget;
        if (budget == 0)
        {
            return;
        }

        var share = SweepShare.Value;
        var table = await tables.GetAsync(StorageTables.SpectrumCalls, cancellationToken);
        await gate.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                var (day, resetAt) = Today();
                var row = today is { } cached && cached.RowKey == Key(day) ? cached : await ReadAsync(table, day, cancellationToken);
                var calls = row.GetInt32(service.Name) ?? 0;
                var sweepCalls = row.GetInt32(service.Name + SweepSuffix) ?? 0;
                if (calls >= budget || (share is { } s && sweepCalls >= (int)(budget * s)))
                {
                    throw new SpectrumCallBudgetSpentException(service.Name, budget, resetAt, sweepShare: calls < budget);
                }

                row[service.Name] = calls + 1;
                if (share is not null)
                {
                    row[service.Name + SweepSuffix] = sweepCalls + 1;
                }

                try
                {
                    var response = row.ETag == default
                        ? await table.AddEntityAsync(row, cancellationToken)
                        : await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
                    row.ETag = response.Headers.ETag ?? default;
                    today = row;
                    Left[service.Name] = budget - calls - 1;
                    return;
                }
                catch (RequestFailedException e) when (e.Status is 409 or 412)
                {
                    // Another instance counted a call since this one read the row: read it again and count on top.
                    today = null;
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>What has been spent today, read fresh.</summary>
    public async Task<SpectrumCallsToday> ReadTodayAsync(CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageTables.SpectrumCalls, cancellationToken);
        var (day, _) = Today();
        var row = await ReadAsync(table, day, cancellationToken);
        var calls = row.Keys.Where(k => !k.EndsWith(SweepSuffix, StringComparison.Ordinal) && row[k] is int)
            .ToDictionary(k => k, k => (int)row[k], StringComparer.Ordinal);
        return new SpectrumCallsToday(day, options.Value.DailyCallBudget, calls);
    }

    private (DateOnly Day, DateTimeOffset ResetAt) Today()
    {
        var now = time.GetUtcNow().UtcDateTime;
        return (DateOnly.FromDateTime(now), new DateTimeOffset(now.Date.AddDays(1), TimeSpan.Zero));
    }

    private async Task<TableEntity> ReadAsync(TableClient table, DateOnly day, CancellationToken cancellationToken)
    {
        var partition = TableKeys.Encode(options.Value.CompanyCode);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(partition, Key(day), cancellationToken: cancellationToken);
        return found.HasValue ? found.Value! : new TableEntity(partition, Key(day));
    }

    private static string Key(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
