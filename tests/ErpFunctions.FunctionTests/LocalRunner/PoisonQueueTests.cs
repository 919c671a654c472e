using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using ErpFunctions.Domain.Runs;
using ErpFunctions.FunctionTests.Support;
using ErpFunctions.Storage;
using Microsoft.Extensions.Logging;

namespace ErpFunctions.FunctionTests.LocalRunner;

/// <summary>The runner's queue as the Functions host runs it: a message that fails every delivery ends on the poison queue, and its run with it.</summary>
public class PoisonQueueTests
{
    [Fact]
    public async Task A_run_that_fails_every_delivery_goes_to_the_poison_queue_after_maxDequeueCount_and_ends_Failed_saying_why()
    {
        await using var runner = await RunnerHost.StartAsync(s =>
        {
            s["AzureFunctionsJobHost:extensions:queues:maxDequeueCount"] = "2";
            s["AzureFunctionsJobHost:extensions:queues:visibilityTimeout"] = "00:00:00.200";
            s["AzureFunctionsJobHost:extensions:queues:maxPollingInterval"] = "00:00:00.200";
        });
        // Procore's budget views answer 500 for good: each delivery's retries run out and the message fails back to the queue.
        runner.Harness.Procore.Faults.FailNext(int.MaxValue, 500, path: "/rest/v1.0/budget_views");

        var response = await runner.SendAsync(RunnerHost.Request(HttpMethod.Post, "/api/budgets/22-208/reimport",
            body: new StringContent("""{"confirm": true}""", Encoding.UTF8, "application/json")));
        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var runId = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("runId").GetString()!;

        Runs.RunRecord? run = null;
        await Eventually.HoldsAsync(async () => (run = await runner.Harness.Runs.FindAsync(runId, default))?.Status.IsFinished() == true,
            () => $"run {runId} to finish; it is {run?.Status} {run?.StatusText}", TimeSpan.FromSeconds(90));

        run!.Status.Should().Be(RunStatus.Failed);
        run.Error.Should().StartWith("The re-import queue gave up on this run after repeated failures.").And.Contain("Last error:");
        var poisoned = runner.Harness.Logs.Entries.Where(l => l.Level == LogLevel.Error && l.Message.Contains("Moving message to queue")).ToList();
        poisoned.Should().ContainSingle().Which.Message.Should().Contain("MaxDequeueCount of 2").And.Contain($"'{runner.PoisonQueueName}'");
        var poison = new QueueClient(runner.Harness.Settings[StorageOptions.ConnectionSetting], runner.PoisonQueueName);
        (await poison.ExistsAsync()).Value.Should().BeTrue("the listener moved the message to the poison queue the host uses");
        (await poison.PeekMessagesAsync()).Value.Should().BeEmpty("the poison trigger took the message and failed the run");
        (await new QueueClient(runner.Harness.Settings[StorageOptions.ConnectionSetting], runner.QueueName).PeekMessagesAsync()).Value
            .Should().BeEmpty("the message left the work queue");
        runner.Harness.ProcoreWrites.Should().BeEmpty();
    }
}
