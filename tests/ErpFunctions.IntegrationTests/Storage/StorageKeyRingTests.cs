using System.Xml.Linq;
using ErpFunctions.Storage;
using ErpFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ErpFunctions.IntegrationTests.Storage;

/// <summary>The Data Protection key ring is one blob every instance shares; keys added at the same moment are all kept.</summary>
public class StorageKeyRingTests : IAsyncLifetime
{
    private readonly IOptions<StorageOptions> storage = Options.Create(new StorageOptions
    {
        ConnectionString = ReimportHarness.StorageConnectionString,
        TablePrefix = "t" + Guid.NewGuid().ToString("N")[..12],
    });

    private StorageBlobs Instance() => new(new StorageAccount(storage, new ServiceCollection().BuildServiceProvider()), storage);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        var blobs = Instance();
        await blobs.Service.GetBlobContainerClient(blobs.NameOf(StorageBlobs.Keys)).DeleteIfExistsAsync();
    }

    [Fact]
    public void A_ring_never_written_is_empty()
    {
        new StorageKeyRing(Instance()).GetAllElements().Should().BeEmpty();
    }

    [Fact]
    public async Task Keys_that_instances_add_at_the_same_moment_are_all_kept_and_seen_by_every_instance()
    {
        var instances = Enumerable.Range(0, 4).Select(_ => new StorageKeyRing(Instance())).ToList();

        await Task.WhenAll(instances.Select((ring, i) => Task.Run(() => ring.StoreElement(new XElement("key", new XAttribute("id", i)), $"key-{i}"))));

        var seen = new StorageKeyRing(Instance()).GetAllElements().Select(k => k.Attribute("id")!.Value);
        seen.Should().BeEquivalentTo(["0", "1", "2", "3"]);
    }
}
