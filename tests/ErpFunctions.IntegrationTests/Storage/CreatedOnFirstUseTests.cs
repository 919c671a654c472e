using Azure.Storage.Queues;
using ErpFunctions.Queueing;
using ErpFunctions.Storage;
using ErpFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ErpFunctions.IntegrationTests.Storage;

/// <summary>Tables and the queue are created on first use; a creation cut short is tried again, never remembered.</summary>
public class CreatedOnFirstUseTests
{
    private static readonly IOptions<StorageOptions> Storage = Options.Create(new StorageOptions
    {
        ConnectionString = ReimportHarness.StorageConnectionString,
        TablePrefix = "t" + Guid.NewGuid().ToString("N")[..12],
    });

    private static readonly StorageAccount Account = new(Storage, new ServiceCollection().BuildServiceProvider());

    [Fact]
    public async Task A_table_whose_creation_was_cancelled_is_created_by_the_next_caller()
    {
        var tables = new StorageTables(Account, Storage);

        var cancelled = () => tables.GetAsync(StorageTables.Runs, new CancellationToken(canceled: true));
        await cancelled.Should().ThrowAsync<OperationCanceledException>();
        var table = await tables.GetAsync(StorageTables.Runs, default);

        try
        {
            (await tables.Service.QueryAsync(t => t.Name == table.Name).ToListAsync()).Should().ContainSingle();
        }
        finally
        {
            await table.DeleteAsync();
        }
    }

    [Fact]
    public async Task A_queue_whose_creation_was_cancelled_is_created_by_the_next_send()
    {
        var name = "q" + Guid.NewGuid().ToString("N")[..20];
        var queue = new ReimportQueue(Account, Options.Create(new QueueOptions { QueueName = name }));
        var message = new ReimportMessage(ReimportMessageKind.Run, "corr", "run-1");

        var cancelled = () => queue.SendAsync(message, null, new CancellationToken(canceled: true));
        await cancelled.Should().ThrowAsync<OperationCanceledException>();
        await queue.SendAsync(message, null, default);

        var client = new QueueClient(ReimportHarness.StorageConnectionString, name, ReimportQueue.ClientOptions);
        try
        {
            var received = (await client.ReceiveMessagesAsync(1)).Value.Should().ContainSingle().Subject;
            ReimportMessage.Parse(received.Body.ToString()).Should().Be(message);
        }
        finally
        {
            await client.DeleteIfExistsAsync();
        }
    }
}
