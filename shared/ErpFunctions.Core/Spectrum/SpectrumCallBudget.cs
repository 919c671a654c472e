using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using Azure;
using Azure.Data.Tables;
using ErpFunctions.Diagnostics;
using ErpFunctions.Domain.Companies;
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
/// budget is not sent; background work (the sweep, the preflight) may spend only its share
/// (<see cref="CallContext.BackgroundShare"/>) and leaves the rest to operators.
/// </summary>
public sealed class SpectrumCallBudget(StorageTables tables, IOptions<SpectrumOptions> options, TimeProvider time)
{
    private const string SweepSuffix = "_Sweep";

    /// <summary>Each service's calls left today, as this process last counted them: the metric <c>erp.spectrum.daily_budget.left</c>.</summary>
    private static readonly ConcurrentDictionary<(string Company, string Service), int> Left = new();

    static SpectrumCallBudget() => Telemetry.Meter.CreateObservableGauge("erp.spectrum.daily_budget.left",
        () => Left.Select(l => new Measurement<int>(l.Value, new KeyValuePair<string, object?>(Telemetry.CompanyTag, l.Key.Company),
            new KeyValuePair<string, object?>("erp.spectrum.service", l.Key.Service))),
        "{call}", "Spectrum Data Exchange calls left today, by company and service");

    private readonly SemaphoreSlim gate = new(1, 1);
    /// <summary>Each company's row for today as this instance last wrote it (guarded by <see cref="gate"/>).</summary>
    private readonly Dictionary<string, TableEntity> today = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Takes one call of <paramref name="service"/> from the company's budget for today, or throws <see cref="SpectrumCallBudgetSpentException"/>.</summary>
    public async Task TakeAsync(CallContext calls, SpectrumService service, CancellationToken cancellationToken)
    {
        var budget = options.Value.DailyCallBudget;
        if (budget == 0)
        {
            return;
        }

        var share = calls.BackgroundShare;
        var company = calls.Company.Code;
        var table = await tables.GetAsync(StorageTables.SpectrumCalls, cancellationToken);
        await gate.WaitAsync(cancellationToken);
        try
        {
            var (day, resetAt) = Today();
            var spent = 0;
            var row = await table.ChangeAsync<TableEntity>(TableKeys.Encode(company), Key(day), current =>
            {
                var next = current ?? new TableEntity();
                spent = next.GetInt32(service.Name) ?? 0;
                var sweepCalls = next.GetInt32(service.Name + SweepSuffix) ?? 0;
                if (spent >= budget || (share is { } s && sweepCalls >= (int)(budget * s)))
                {
                    throw new SpectrumCallBudgetSpentException(service.Name, budget, resetAt, sweepShare: spent < budget);
                }

                next[service.Name] = spent + 1;
                if (share is not null)
                {
                    next[service.Name + SweepSuffix] = sweepCalls + 1;
                }

                return next;
            }, cancellationToken, known: today.TryGetValue(company, out var cached) && cached.RowKey == Key(day) ? cached : null);
            today[company] = row!;
            Left[(company, service.Name)] = budget - spent - 1;
        }
        catch (Exception)
        {
            // The cached row may hold a count that was not written: the next call reads the row afresh.
            today.Remove(company);
            throw;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>What the company has spent today, read fresh.</summary>
    public async Task<SpectrumCallsToday> ReadTodayAsync(Company company, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageTables.SpectrumCalls, cancellationToken);
        var (day, _) = Today();
        var row = await ReadAsync(table, company, day, cancellationToken);
        var calls = row.Keys.Where(k => !k.EndsWith(SweepSuffix, StringComparison.Ordinal) && row[k] is int)
            .ToDictionary(k => k, k => (int)row[k], StringComparer.Ordinal);
        return new SpectrumCallsToday(day, options.Value.DailyCallBudget, calls);
    }

    private (DateOnly Day, DateTimeOffset ResetAt) Today()
    {
        var now = time.GetUtcNow().UtcDateTime;
        return (DateOnly.FromDateTime(now), new DateTimeOffset(now.Date.AddDays(1), TimeSpan.Zero));
    }

    private static async Task<TableEntity> ReadAsync(TableClient table, Company company, DateOnly day, CancellationToken cancellationToken) =>
        await table.FindAsync<TableEntity>(TableKeys.Encode(company.Code), Key(day), cancellationToken) ?? new TableEntity();

    private static string Key(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
