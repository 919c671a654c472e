using System.Collections.Concurrent;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Storage;

/// <summary>
/// The app's blob containers (documents too large or too many-rowed for a table entity), named after the table prefix
/// and created on first use; as with tables, only a container that was created is remembered.
/// </summary>
public sealed class StorageBlobs(StorageAccount account, IOptions<StorageOptions> options)
{
    public const string RunLines = "run-lines";

    /// <summary>The Data Protection key ring that protects operators' session cookies (<see cref="StorageKeyRing"/>).</summary>
    public const string Keys = "keys";

    public static IReadOnlyList<string> All { get; } = [RunLines, Keys];

    private readonly Lazy<BlobServiceClient> service = new(account.Blobs);
    private readonly ConcurrentDictionary<string, BlobContainerClient> created = new();

    public BlobServiceClient Service => service.Value;

    /// <summary>The container's full name: the table prefix in lower case, then the container's own name.</summary>
    public string NameOf(string container) => $"{options.Value.TablePrefix.ToLowerInvariant()}-{container}";

    public async Task<BlobContainerClient> GetAsync(string name, CancellationToken cancellationToken)
    {
        if (created.TryGetValue(name, out var container))
        {
            return container;
        }

        var client = Service.GetBlobContainerClient(NameOf(name));
        await client.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        return created.GetOrAdd(name, client);
    }
}
