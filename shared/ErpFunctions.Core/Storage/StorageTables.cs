using System.Collections.Concurrent;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Storage;

/// <summary>
/// The app's tables, created on first use. Only a table that was created is remembered: a creation that failed or
/// was cancelled is tried again by the next caller.
/// </summary>
public sealed class StorageTables(StorageAccount account, IOptions<StorageOptions> options)
{
    public const string Runs = "runs";
    public const string LastRuns = "lastruns";
    public const string Jobs = "jobs";
    public const string Snapshots = "snapshots";
    public const string Imports = "imports";
    public const string JobReads = "jobreads";
    public const string Leases = "leases";
    public const string Deliveries = "deliveries";
    public const string Requests = "requests";
    public const string Sweeps = "sweeps";
    public const string SpectrumCalls = "spectrumcalls";

    public static IReadOnlyList<string> All { get; } = [Runs, LastRuns, Jobs, Snapshots, Imports, JobReads, Leases, Deliveries, Requests, Sweeps, SpectrumCalls];

    private readonly Lazy<TableServiceClient> service = new(account.Tables);
    private readonly ConcurrentDictionary<string, TableClient> created = new();

    public TableServiceClient Service => service.Value;

    public async Task<TableClient> GetAsync(string name, CancellationToken cancellationToken)
    {
        if (created.TryGetValue(name, out var table))
        {
            return table;
        }

        var client = Service.GetTableClient(options.Value.TablePrefix + name);
        await client.CreateIfNotExistsAsync(cancellationToken);
        return created.GetOrAdd(name, client);
    }
}
