using System.Text.Json;
using Azure.Data.Tables;
using ErpFunctions.Domain.Runs;
using ErpFunctions.FunctionTests.Support;
using ErpFunctions.Functions.Budgets;
using ErpFunctions.Functions.Http;
using ErpFunctions.Functions.Webhooks;
using ErpFunctions.Queueing;
using ErpFunctions.Reimport;
using ErpFunctions.Runs;
using ErpFunctions.Storage;
using ErpFunctions.TestSupport;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace ErpFunctions.FunctionTests;

/// <summary>A run's life from request to final status: never lost between its two writes, never run twice at once, joined only while queued, waiting out throttling.</summary>
public class RunLifecycleTests : IAsyncLifetime
{
    private FunctionHost host = null!;

    public async Task InitializeAsync() => host = await FunctionHost.StartAsync();

    public async Task DisposeAsync() => await host.DisposeAsync();

    private Task<IActionResult> Reimport(string job, FunctionHost? on = null) =>
        (on ?? host).Function<BudgetFunctions>().Reimport(FunctionHost.Request("POST", """{"confirm": true}"""), job);

    [Fact]
    public async Task A_run_whose_request_stopped_after_sending_its_message_is_written_by_the_worker_and_runs()
    {
        var run = host.Harness.Runs.NewRun("ABC", "22-208", RunTrigger.Operator, "olivia@summit.example", "corr-lost-row");
        await host.Harness.Services.GetRequiredService<ReimportQueue>().SendAsync(RunMessages.For(run), null, default);

        (await host.DrainAsync()).Should().Be(1);

        var ran = await host.Harness.Runs.FindAsync(run.RunId, default);
        ran.Should().NotBeNull("the worker writes the row the request could not");
        ran!.Status.Should().Be(RunStatus.Succeeded);
        ran.RequestedBy.Should().Be("olivia@summit.example");
        await host.Harness.AssertMoneyTruthAsync(ran);
    }

    [Fact]
    public async Task A_request_whose_message_cannot_be_sent_leaves_no_run_behind()
    {
        var storage = ReimportHarness.StorageConnectionString;
        var deadQueue = storage.Contains("QueueEndpoint=", StringComparison.Ordinal)
            ? System.Text.RegularExpressions.Regex.Replace(storage, "QueueEndpoint=[^;]+", "QueueEndpoint=http://127.0.0.1:9/devstoreaccount1")
            : storage + ";QueueEndpoint=http://127.0.0.1:9/devstoreaccount1";
        await using var broken = await FunctionHost.StartAsync(s => s[StorageOptions.ConnectionSetting] = deadQueue);

        var result = await Reimport("22-208", broken);

        result.Status().Should().Be(502);
        result.Problem().Detail.Should().Contain("Azure Storage").And.NotContain("127.0.0.1");
        (await broken.Harness.Runs.ListForJobAsync("ABC", "22-208", 5, default)).Should().BeEmpty(
            "a run row without its message would stay queued forever and absorb later requests");
        (await broken.Harness.Budgets.FindAsync("ABC", "22-208", default))?.LastRunId.Should().BeNull();
    }

    [Fact]
    public async Task A_request_while_the_job_s_run_is_running_queues_one_follow_up_that_later_requests_join()
    {
        var first = (await Reimport("22-208")).Body<ReimportAcceptedModel>();
        await host.Harness.Runs.ChangeAsync(first.RunId, r => r with { Status = RunStatus.Running, Attempts = 1 }, default);

        var followUp = (await Reimport("22-208")).Body<ReimportAcceptedModel>();
        var joining = (await Reimport("22-208")).Body<ReimportAcceptedModel>();

        followUp.Joined.Should().BeFalse("the running run may have read Spectrum before the change this request is about");
        followUp.RunId.Should().NotBe(first.RunId);
        joining.Joined.Should().BeTrue();
        joining.RunId.Should().Be(followUp.RunId, "at most one follow-up run waits behind a running one");
        (await host.PeekAsync()).Select(m => m.RunId).Should().BeEquivalentTo([first.RunId, followUp.RunId]);
    }

    [Fact]
    public async Task Every_ERP_request_joined_to_a_queued_run_is_closed_out_with_its_outcome()
    {
        var requests = Enumerable.Range(0, 2).Select(_ => host.Harness.Procore.State.Write(s => s.AddErpRequest(ProcoreClients.CompanyId,
            "reimport_budget", JsonDocument.Parse("""{"project_origin_id": "22-208"}""").RootElement))).ToList();
        foreach (var (request, i) in requests.Select((r, i) => (r, i)))
        {
            await DeliverAsync($"01HZZZ00000000000000000J{i}0", request.Id);
        }

        await host.DrainAsync();

        var runs = await host.Harness.Runs.ListForJobAsync("ABC", "22-208", 5, default);
        runs.Should().ContainSingle("the second request joined the first one's queued run");
        var run = (await host.Harness.Runs.FindAsync(runs[0].RunId, default))!;
        run.Status.Should().Be(RunStatus.Succeeded);
        run.ErpRequestDetailIds.Should().BeEquivalentTo(requests.Select(r => r.RequestDetailId!.Value));
        host.Harness.Procore.State.Read(s => s.ErpRequestDetails.Where(d => requests.Any(r => r.RequestDetailId == d.Id)).Select(d => d.Status).ToList())
            .Should().Equal("success", "success");
    }

    [Fact]
    public async Task An_ERP_request_arriving_while_the_run_is_running_never_changes_that_run()
    {
        var first = (await Reimport("22-208")).Body<ReimportAcceptedModel>();
        var taken = await host.ReceiveAsync();
        await host.Queue.DeleteMessageAsync(taken.MessageId, taken.PopReceipt);
        await host.Harness.Runs.ChangeAsync(first.RunId, r => r with { Status = RunStatus.Running, Attempts = 1 }, default);
        var request = host.Harness.Procore.State.Write(s => s.AddErpRequest(ProcoreClients.CompanyId, "reimport_budget",
            JsonDocument.Parse("""{"project_origin_id": "22-208"}""").RootElement));
        await DeliverAsync("01HZZZ0000000000000000RUN1", request.Id);
        var intake = await host.ReceiveAsync();
        await host.Function<ErpFunctions.Functions.Reimports.ReimportQueueFunctions>().Run(intake, default);
        await host.Queue.DeleteMessageAsync(intake.MessageId, intake.PopReceipt);

        var running = (await host.Harness.Runs.FindAsync(first.RunId, default))!;
        running.ErpRequestDetailIds.Should().BeEmpty("attaching to a running run would break its own final write");
        var followUp = (await host.Harness.Runs.ListForJobAsync("ABC", "22-208", 5, default)).Single(r => r.RunId != first.RunId);
        (await host.Harness.Runs.FindAsync(followUp.RunId, default))!.ErpRequestDetailIds.Should().Equal(request.RequestDetailId!.Value);
    }

    [Fact]
    public async Task A_run_that_lost_its_lease_between_write_chunks_stops_before_its_next_write_and_says_so()
    {
        await using var chunked = await FunctionHost.StartAsync(s => s["Procore:SyncBatchSize"] = "100");
        chunked.Harness.AddLinkedJob("40-250", phases: 50, costTypes: ["L", "M", "S", "E", "O"], projectId: 3000000401);
        var leases = await chunked.Harness.Services.GetRequiredService<StorageTables>().GetAsync(StorageTables.Leases, default);
        chunked.Harness.Procore.Quirks.BeforeNextBudgetSync(_ => StealAllLeases(leases));
        var accepted = (await Reimport("40-250", chunked)).Body<ReimportAcceptedModel>();
        var message = await chunked.ReceiveAsync();

        await chunked.Function<ErpFunctions.Functions.Reimports.ReimportQueueFunctions>().Run(message, default);
        await chunked.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);

        var stopped = (await chunked.Harness.Runs.FindAsync(accepted.RunId, default))!;
        stopped.Status.Should().Be(RunStatus.Queued);
        stopped.Error.Should().Contain("stopped before its next write").And.Contain("lease");
        chunked.Harness.ProcoreLines("40-250").Should().HaveCount(100, "only the chunk sent before the lease was lost");
        (await chunked.PeekAsync()).Should().ContainSingle(m => m.RunId == accepted.RunId, "the run goes back on the queue");

        await foreach (var lease in leases.QueryAsync<TableEntity>())
        {
            await leases.DeleteEntityAsync(lease.PartitionKey, lease.RowKey);
        }

        await chunked.DrainAsync();
        var finished = (await chunked.Harness.Runs.FindAsync(accepted.RunId, default))!;
        finished.Status.Should().Be(RunStatus.Succeeded);
        await chunked.Harness.AssertMoneyTruthAsync(finished);
        chunked.Harness.ProcoreLines("40-250").Should().HaveCount(250);
    }

    [Fact]
    public async Task A_spent_rate_limit_makes_the_run_wait_for_the_reset_never_the_poison_queue()
    {
        var accepted = (await Reimport("22-208")).Body<ReimportAcceptedModel>();
        host.Harness.Procore.RateLimits.Storm(1000, TimeSpan.FromMinutes(40));

        (await host.DrainAsync()).Should().Be(1);

        var waiting = (await host.Harness.Runs.FindAsync(accepted.RunId, default))!;
        waiting.Status.Should().Be(RunStatus.Queued);
        waiting.WaitingUntil.Should().BeCloseTo(DateTimeOffset.UtcNow.AddMinutes(40), TimeSpan.FromMinutes(2));
        waiting.StatusText.Should().MatchRegex("^Waiting for Procore's rate limit until [0-2][0-9]:[0-5][0-9] UTC$");
        (await host.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount.Should().Be(1, "the run is back on the queue, invisible until the reset");
        (await host.Queue.PeekMessagesAsync()).Value.Should().BeEmpty();
        host.Harness.ProcoreWrites.Should().BeEmpty();
    }

    [Fact]
    public async Task A_spent_daily_Spectrum_budget_makes_the_run_wait_for_midnight_UTC_and_says_so()
    {
        await using var metered = await FunctionHost.StartAsync(s => s["Spectrum:DailyCallBudget"] = "1");
        var accepted = (await Reimport("22-208", metered)).Body<ReimportAcceptedModel>();
        var udfCalls = metered.Harness.Spectrum.ServiceCalls.Count(c => c.Path == "/ws/GetJobUDF");

        (await metered.DrainAsync()).Should().Be(1);

        var waiting = (await metered.Harness.Runs.FindAsync(accepted.RunId, default))!;
        waiting.Status.Should().Be(RunStatus.Queued);
        waiting.WaitingUntil!.Value.UtcDateTime.TimeOfDay.Should().Be(TimeSpan.Zero, "the budget resets at midnight UTC");
        waiting.WaitingUntil.Should().BeAfter(DateTimeOffset.UtcNow.AddMinutes(-1)).And.BeOnOrBefore(DateTimeOffset.UtcNow.AddDays(1));
        waiting.StatusText.Should().Be("Waiting for Spectrum's daily call budget until 00:00 UTC");
        waiting.Messages.Should().ContainSingle().Which.Should().Contain("Spectrum").And.Contain("calls are spent");
        metered.Harness.Spectrum.ServiceCalls.GroupBy(c => c.Path).Should().OnlyContain(g => g.Count() <= 1,
            "no service is called beyond its budget of one call");
        metered.Harness.Spectrum.ServiceCalls.Count(c => c.Path == "/ws/GetJobUDF").Should().Be(udfCalls, "the worker's own GetJobUDF call was not sent");
        (await metered.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount.Should().Be(1, "the run is back on the queue until midnight");
        metered.Harness.ProcoreWrites.Should().BeEmpty();
    }

    [Fact]
    public async Task A_Retry_After_beyond_the_cap_waits_only_as_long_as_the_setting_allows()
    {
        await using var capped = await FunctionHost.StartAsync(s => s["Procore:MaxRetryAfter"] = "00:10:00");
        var accepted = (await Reimport("22-208", capped)).Body<ReimportAcceptedModel>();
        capped.Harness.Procore.RateLimits.Storm(1000, TimeSpan.FromHours(5));

        await capped.DrainAsync();

        var waiting = (await capped.Harness.Runs.FindAsync(accepted.RunId, default))!;
        waiting.WaitingUntil.Should().BeCloseTo(DateTimeOffset.UtcNow.AddMinutes(10), TimeSpan.FromMinutes(2));
    }

    private async Task DeliverAsync(string ulid, long requestId)
    {
        var request = FunctionHost.Request("POST", JsonSerializer.Serialize(new
        {
            ulid, resource_name = "ERP Requests", event_type = "create", resource_id = requestId, company_id = ProcoreClients.CompanyId,
        }), token: null);
        request.Headers.Authorization = FunctionHost.WebhookSecret;
        (await host.Function<ProcoreWebhookFunction>().Receive(request)).Status().Should().Be(200);
    }

    /// <summary>Another worker takes every job lease over, as it would once a lease expired under a stalled run.</summary>
    private static void StealAllLeases(TableClient leases)
    {
        foreach (var lease in leases.Query<TableEntity>().ToList())
        {
            leases.UpsertEntity(new TableEntity(lease.PartitionKey, lease.RowKey)
            {
                ["Owner"] = "another-worker", ["ExpiresAt"] = DateTimeOffset.UtcNow.AddHours(1),
            }, TableUpdateMode.Replace);
        }
    }
}
