using System.Collections.Concurrent;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Storage;

/// <summary>The app's tables, created on first use (once per process).</summary>
public sealed class StorageTables(IOptions<StorageOptions> options)
{
    public const string Runs = "runs";
    public const string Budgets = "budgets";
    public const string Leases = "leases";
    public const string Deliveries = "deliveries";
    public const string Requests = "requests";
    public const string Sweeps = "sweeps";

    private readonly Lazy<TableServiceClient> service = new(() => new TableServiceClient(options.Value.ConnectionString));
    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> tables = new();

    public TableServiceClient Service => service.Value;

    public Task<TableClient> GetAsync(string name, CancellationToken cancellationToken) =>
        tables.GetOrAdd(name, n => new Lazy<Task<TableClient>>(() => CreateAsync(n, cancellationToken))).Value;

    private async Task<TableClient> CreateAsync(string name, CancellationToken cancellationToken)
    {
        var client = Service.GetTableClient(options.Value.TablePrefix + name);
        await client.CreateIfNotExistsAsync(cancellationToken);
        return client;
    }
}
