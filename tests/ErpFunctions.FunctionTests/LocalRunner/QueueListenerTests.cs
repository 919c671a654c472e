using System.Threading.Channels;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using ErpFunctions.LocalRunner;
using ErpFunctions.Queueing;
using ErpFunctions.Storage;
using ErpFunctions.TestSupport;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ErpFunctions.FunctionTests.LocalRunner;

/// <summary>
/// The runner's queue trigger against Azurite, with a function that holds each message until the test lets it go and
/// a fake clock driving the listener's own schedule (the queue's clock stays real).
/// </summary>
public class QueueListenerTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);
    private readonly HeldMessages held = new();
    private readonly RenewalSignal renewals = new();
    private readonly QueueClient queue = new(ReimportHarness.StorageConnectionString, "l" + Guid.NewGuid().ToString("N")[..20],
        ReimportQueue.ClientOptions);
    private QueueListener listener = null!;

    public async Task InitializeAsync()
    {
        await queue.CreateAsync();
        var services = new ServiceCollection().AddSingleton(held).BuildServiceProvider();
        var method = typeof(HoldingFunction).GetMethod(nameof(HoldingFunction.Run))!;
        var function = new FunctionEntry("Holding", typeof(HoldingFunction), method, TriggerKind.Queue, new QueueTriggerAttribute(queue.Name));
        var settings = new HostSettings(BatchSize: 1, MaxDequeueCount: 5, VisibilityTimeout: TimeSpan.Zero,
            MaxPollingInterval: TimeSpan.FromSeconds(1), QueueMessageEncoding.Base64);
        var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(renewals));
        listener = new QueueListener(function, queue.Name, settings, services,
            new StorageAccount(Options.Create(new StorageOptions { ConnectionString = ReimportHarness.StorageConnectionString }), services),
            Options.Create(new RunnerOptions { MessageLease = Lease }), time, loggers.CreateLogger<QueueListener>());
    }

    public async Task DisposeAsync()
    {
        held.Release.TrySetResult();
        await listener.StopAsync(default);
        listener.Dispose();
        await queue.DeleteIfExistsAsync();
        await new QueueClient(ReimportHarness.StorageConnectionString, queue.Name + "-poison").DeleteIfExistsAsync();
    }

    [Fact]
    public async Task Keeps_a_message_invisible_while_its_function_runs_past_the_lease_then_completes_it()
    {
        await queue.SendMessageAsync("hold");
        await listener.StartAsync(default);
        var message = await held.Started.Reader.ReadAsync().AsTask().WaitAsync(Patience);

        time.Advance(Lease / 2);
        var renewedUntil = await renewals.Next.WaitAsync(Patience);

        renewedUntil.Should().BeOnOrAfter(message.NextVisibleOn!.Value, "the listener pushed the visibility out again before the lease ended");
        held.Release.SetResult();
        await listener.StopAsync(default);
        (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount.Should().Be(0,
            "the message is deleted with the pop receipt of its latest renewal");
    }

    [Fact]
    public async Task Survives_a_stale_pop_receipt_and_goes_on_to_the_next_message()
    {
        await queue.SendMessageAsync("first");
        await listener.StartAsync(default);
        var first = await held.Started.Reader.ReadAsync().AsTask().WaitAsync(Patience);

        // Someone else takes the message over (as another listener would once it reappeared): this listener's receipt is stale.
        await queue.UpdateMessageAsync(first.MessageId, first.PopReceipt, visibilityTimeout: TimeSpan.FromHours(1));
        await queue.SendMessageAsync("second");
        held.Release.SetResult();

        var second = await held.Started.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        second.Body.ToString().Should().Be("second");
        listener.ExecuteTask!.IsFaulted.Should().BeFalse();
    }

    /// <summary>Messages the function was given, each held until <see cref="Release"/>.</summary>
    public sealed class HeldMessages
    {
        public Channel<QueueMessage> Started { get; } = Channel.CreateUnbounded<QueueMessage>();
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public sealed class HoldingFunction(HeldMessages held)
    {
        public async Task Run(QueueMessage message, CancellationToken cancellationToken)
        {
            await held.Started.Writer.WriteAsync(message, cancellationToken);
            await held.Release.Task;
        }
    }

    /// <summary>Completes when the listener logs a renewal, with the time the queue says the message is invisible until.</summary>
    private sealed class RenewalSignal : ILoggerProvider, ILogger
    {
        private readonly TaskCompletionSource<DateTimeOffset> renewed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<DateTimeOffset> Next => renewed.Task;

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is IReadOnlyList<KeyValuePair<string, object?>> values
                && values.FirstOrDefault(v => v.Key == "NextVisibleOn").Value is DateTimeOffset until)
            {
                renewed.TrySetResult(until);
            }
        }

        public void Dispose()
        {
        }
    }
}
