using ErpFunctions.Domain.Runs;
using System.Text.Json;
using ErpFunctions.FunctionTests.Support;
using ErpFunctions.Functions.Reimports;
using ErpFunctions.Functions.Webhooks;
using ErpFunctions.Queueing;
using ErpFunctions.Runs;
using ErpFunctions.TestSupport;
using ErpFunctions.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Mvc;

namespace ErpFunctions.FunctionTests;

public class WebhookTests : IAsyncLifetime
{
    private FunctionHost host = null!;

    public async Task InitializeAsync() => host = await FunctionHost.StartAsync(s =>
    {
        s["Webhooks:ReimportTriggers:0"] = "Projects/update";
        s["Webhooks:IgnoreUserIds:0"] = "9001";
        s["Webhooks:IgnoreApplicationIds:0"] = "5550001";
    });

    public async Task DisposeAsync() => await host.DisposeAsync();

    private Task<IActionResult> Deliver(object payload, string? authorization = FunctionHost.WebhookSecret)
    {
        var request = FunctionHost.Request("POST", JsonSerializer.Serialize(payload), token: null);
        if (authorization is not null)
        {
            request.Headers.Authorization = authorization;
        }

        return host.Function<ProcoreWebhookFunction>().Receive(request);
    }

    private static object Event(string ulid, string resource, string action, long resourceId, long? project = null, long user = 9101,
        long application = 7001) => new
    {
        id = 1, ulid, timestamp = "2026-11-25T20:00:00Z", user_id = user, company_id = ProcoreClients.CompanyId, project_id = project,
        api_version = "v2.0", event_type = action, resource_name = resource, resource_id = resourceId,
        metadata = new { source_user_id = user, source_company_id = ProcoreClients.CompanyId, source_application_id = application },
    };

    [Theory]
    [InlineData("Bearer wrong-secret")]
    [InlineData("test-webhook-secret")]
    [InlineData("")]
    [InlineData(null)]
    public async Task Refuses_a_delivery_without_the_hook_secret(string? authorization)
    {
        var result = await Deliver(Event("01HZZZ0000000000000000000A", "Projects", "update", 1, 3000000101), authorization);

        result.Status().Should().Be(401);
        (await host.PeekAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Never_takes_an_unresolved_Key_Vault_reference_for_the_secret_and_reports_it_in_the_health_check()
    {
        const string Unresolved = "@Microsoft.KeyVault(SecretUri=https://kv-erp.vault.azure.net/secrets/webhook-secret/)";
        await using var unresolved = await FunctionHost.StartAsync(s => s["Webhooks:Secret"] = Unresolved);
        var request = FunctionHost.Request("POST", JsonSerializer.Serialize(Event("01HZZZ0000000000000000000K", "Projects", "update", 1, 3000000101)),
            token: null);
        request.Headers.Authorization = Unresolved;

        var result = await unresolved.Function<ProcoreWebhookFunction>().Receive(request);
        var health = await unresolved.Harness.Services.GetRequiredService<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService>()
            .CheckHealthAsync(c => c.Name == "webhookSecrets");

        result.Status().Should().Be(401, "App Service passes an unresolved reference on as its text, which must not open the door");
        health.Status.Should().Be(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy);
        health.Entries["webhookSecrets"].Description.Should().Contain("Webhooks:Secret");
    }

    [Fact]
    public async Task Processes_a_delivery_received_twice_once()
    {
        var delivery = Event("01HZZZ0000000000000000000B", "Projects", "update", 3000000101, 3000000101);

        var first = await Deliver(delivery);
        var second = await Deliver(delivery);

        first.Body<object>().Should().BeEquivalentTo(new { outcome = "Queued" }, o => o.ExcludingMissingMembers());
        second.Status().Should().Be(200);
        second.Body<object>().Should().BeEquivalentTo(new { outcome = "Duplicate" }, o => o.ExcludingMissingMembers());
        (await host.PeekAsync()).Should().ContainSingle().Which.Should().Match<ReimportMessage>(m =>
            m.Kind == ReimportMessageKind.ProjectEvent && m.ProjectId == 3000000101);

        await host.DrainAsync();
        var runs = await host.Harness.Runs.ListForJobAsync("ABC", "22-208", 5, default);
        runs.Should().ContainSingle().Which.Should().Match<RunSummary>(r => r.Trigger == RunTrigger.Webhook && r.Status == RunStatus.Succeeded);
    }

    [Fact]
    public async Task Ignores_changes_made_by_the_service_account_itself()
    {
        var result = await Deliver(Event("01HZZZ0000000000000000000C", "Projects", "update", 3000000101, 3000000101, user: 9001));

        result.Body<object>().Should().BeEquivalentTo(new { outcome = "Ignored" }, o => o.ExcludingMissingMembers());
        (await host.PeekAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Ignores_changes_made_by_this_app_whatever_user_it_acted_as()
    {
        var result = await Deliver(Event("01HZZZ0000000000000000000H", "Projects", "update", 3000000101, 3000000101, application: 5550001));

        result.Body<object>().Should().BeEquivalentTo(new { outcome = "Ignored" }, o => o.ExcludingMissingMembers());
        (await host.PeekAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Refuses_an_overlong_ulid_with_400_and_records_nothing()
    {
        var ulid = new string('A', 3000);

        var result = await Deliver(Event(ulid, "Projects", "update", 3000000101, 3000000101));

        result.Status().Should().Be(400);
        result.Problem().Extensions["field"].Should().Be("ulid");
        result.Problem().Detail.Should().NotContain("Azure").And.NotContain("RowKey");
        (await host.Harness.Services.GetRequiredService<WebhookDeliveries>().FindAsync(ulid[..64], default)).Should().BeNull();
        (await host.PeekAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Records_a_delivery_about_an_ERP_request_Procore_does_not_have_as_failed_without_retrying()
    {
        var result = await Deliver(Event("01HZZZ0000000000000000000J", "ERP Requests", "create", 987654321));
        var delivered = await host.DrainAsync();

        result.Body<object>().Should().BeEquivalentTo(new { outcome = "Queued" }, o => o.ExcludingMissingMembers());
        delivered.Should().Be(1, "the worker completes the message instead of failing it for a retry");
        var recorded = await host.Harness.Services.GetRequiredService<WebhookDeliveries>().FindAsync("01HZZZ0000000000000000000J", default);
        recorded.Should().NotBeNull();
        recorded!.Value.State.Should().Be(DeliveryState.Failed);
        recorded.Value.Reason.Should().Contain("no ERP request 987654321");

        var replay = await Deliver(Event("01HZZZ0000000000000000000J", "ERP Requests", "create", 987654321));
        replay.Body<object>().Should().BeEquivalentTo(new { outcome = "Duplicate" }, o => o.ExcludingMissingMembers());
        (await host.PeekAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Acknowledges_other_events_without_work()
    {
        var result = await Deliver(Event("01HZZZ0000000000000000000D", "RFIs", "create", 77, 3000000101));

        result.Status().Should().Be(200);
        result.Body<object>().Should().BeEquivalentTo(new { outcome = "Ignored" }, o => o.ExcludingMissingMembers());
        (await host.PeekAsync()).Should().BeEmpty();
    }

    [Theory]
    [InlineData("{broken", "body")]
    [InlineData("[1,2]", "body")]
    [InlineData("""{"resource_name": "Projects"}""", "ulid")]
    [InlineData("""{"ulid": "01HZZZ0000000000000000000E", "event_type": "update"}""", "resource_name")]
    [InlineData("""{"ulid": "01HZZZ0000000000000000000E", "resource_name": "Projects", "event_type": "update", "project_id": "x1"}""", "project_id")]
    [InlineData("""{"ulid": "01HZZ/../../x", "resource_name": "Projects", "event_type": "update"}""", "ulid")]
    public async Task Refuses_a_body_that_is_not_a_delivery_with_400(string body, string field)
    {
        var request = FunctionHost.Request("POST", body, token: null);
        request.Headers.Authorization = FunctionHost.WebhookSecret;

        var result = await host.Function<ProcoreWebhookFunction>().Receive(request);

        result.Status().Should().Be(400);
        result.Problem().Extensions["field"].Should().Be(field);
        (await host.PeekAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Runs_an_ERP_request_and_closes_it_out_with_the_outcome()
    {
        var request = host.Harness.Procore.State.Write(s => s.AddErpRequest(ProcoreClients.CompanyId, "reimport_budget",
            JsonDocument.Parse("""{"project_origin_id": "22-208"}""").RootElement));

        var result = await Deliver(Event("01HZZZ0000000000000000000E", "ERP Requests", "create", request.Id));
        await host.DrainAsync();

        result.Body<object>().Should().BeEquivalentTo(new { outcome = "Queued" }, o => o.ExcludingMissingMembers());
        var detail = host.Harness.Procore.State.Read(s => s.ErpRequestDetails.Single(d => d.Id == request.RequestDetailId));
        detail.Status.Should().Be("success");
        detail.Messages.Should().Contain("Successfully re-imported to Procore");
        var run = (await host.Harness.Runs.ListForJobAsync("ABC", "22-208", 5, default)).Single();
        (await host.Harness.Runs.FindAsync(run.RunId, default))!.Should().Match<RunRecord>(r =>
            r.Trigger == RunTrigger.Webhook && r.ErpRequestDetailIds.SequenceEqual(new[] { request.RequestDetailId!.Value }) && r.ErpClosedOut);
    }

    [Fact]
    public async Task Closes_out_an_ERP_request_as_failed_when_the_re_import_is_blocked()
    {
        var request = host.Harness.Procore.State.Write(s => s.AddErpRequest(ProcoreClients.CompanyId, "reimport_budget",
            JsonDocument.Parse("""{"project_origin_id": "26-607"}""").RootElement));

        await Deliver(Event("01HZZZ0000000000000000000F", "ERP Requests", "create", request.Id));
        await host.DrainAsync();

        var detail = host.Harness.Procore.State.Read(s => s.ErpRequestDetails.Single(d => d.Id == request.RequestDetailId));
        detail.Status.Should().Be("failed");
        detail.Messages.Should().Contain(m => m.StartsWith("ProcoreBudgetLocked"));
        host.Harness.ProcoreWrites.Should().OnlyContain(c => c.Path.Contains("erp_request_details"));
    }

    [Fact]
    public async Task Re_imports_a_project_linked_to_its_job_by_project_number_alone()
    {
        host.Harness.Procore.State.Write(s => s.Projects.Single(p => p.Id == 3000000103).OriginId = null);

        await Deliver(Event("01HZZZ0000000000000000000G", "Projects", "update", 3000000103, 3000000103));
        await host.DrainAsync();

        var run = (await host.Harness.Runs.ListForJobAsync("ABC", "19-101", 5, default)).Should().ContainSingle().Subject;
        run.Trigger.Should().Be(RunTrigger.Webhook);
        run.Status.Should().Be(RunStatus.Succeeded);
    }

    [Fact]
    public async Task An_ERP_request_that_meets_a_spent_rate_limit_waits_on_the_queue_and_goes_on_once_it_resets()
    {
        var request = host.Harness.Procore.State.Write(s => s.AddErpRequest(ProcoreClients.CompanyId, "reimport_budget",
            JsonDocument.Parse("""{"project_origin_id": "22-208"}""").RootElement));
        await Deliver(Event("01HZZZ0000000000000000000M", "ERP Requests", "create", request.Id));
        var delivered = await host.ReceiveAsync();
        host.Harness.Procore.RateLimits.Storm(1000, TimeSpan.FromMinutes(40));

        await host.Function<ReimportQueueFunctions>().Run(delivered, default);
        await host.Queue.DeleteMessageAsync(delivered.MessageId, delivered.PopReceipt);

        (await host.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount.Should().Be(1, "the work is back on the queue, invisible until the reset");
        (await host.Queue.PeekMessagesAsync()).Value.Should().BeEmpty();
        var recorded = (await host.Harness.Services.GetRequiredService<WebhookDeliveries>().FindAsync("01HZZZ0000000000000000000M", default))!.Value;
        recorded.State.Should().Be(DeliveryState.Deferred);
        recorded.Reason.Should().MatchRegex("^Waiting for Procore's rate limit until [0-2][0-9]:[0-5][0-9] UTC$");
        (await host.Harness.Runs.ListForJobAsync("ABC", "22-208", 5, default)).Should().BeEmpty();

        // The limit resets: the message that came back (as it will, once visible) does the work.
        host.Harness.Procore.RateLimits.Storm(0, TimeSpan.Zero);
        await host.Harness.RestartServicesAsync();
        var original = ReimportMessage.Parse(delivered.Body.ToString());
        await host.Function<ReimportQueueFunctions>().Run(Message(original with { WaitedUntil = DateTimeOffset.UtcNow }), default);

        var over = (await host.Harness.Services.GetRequiredService<WebhookDeliveries>().FindAsync("01HZZZ0000000000000000000M", default))!.Value;
        (over.State, over.Reason).Should().Be((DeliveryState.Queued, (string?)null), "the wait is over, and its reason with it");
        (await host.Harness.Runs.ListForJobAsync("ABC", "22-208", 5, default)).Should().ContainSingle()
            .Which.Trigger.Should().Be(RunTrigger.Webhook);
    }

    [Fact]
    public async Task A_project_event_that_meets_a_spent_rate_limit_waits_on_the_queue_never_fails()
    {
        await Deliver(Event("01HZZZ0000000000000000000N", "Projects", "update", 3000000103, 3000000103));
        var delivered = await host.ReceiveAsync();
        host.Harness.Procore.RateLimits.Storm(1000, TimeSpan.FromMinutes(40));

        await host.Function<ReimportQueueFunctions>().Run(delivered, default);
        await host.Queue.DeleteMessageAsync(delivered.MessageId, delivered.PopReceipt);

        host.Harness.Procore.ApiCalls.Should().Contain(c => c.Status == 429, "the event's project was looked up, and Procore refused it");
        (await host.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount.Should().Be(1, "the work is back on the queue, invisible until the reset");
        (await host.Harness.Services.GetRequiredService<WebhookDeliveries>().FindAsync("01HZZZ0000000000000000000N", default))!.Value.State
            .Should().Be(DeliveryState.Deferred);
    }

    [Fact]
    public async Task The_queue_giving_up_on_an_ERP_request_closes_it_out_as_failed()
    {
        var request = host.Harness.Procore.State.Write(s => s.AddErpRequest(ProcoreClients.CompanyId, "reimport_budget",
            JsonDocument.Parse("""{"project_origin_id": "22-208"}""").RootElement));

        await host.Function<ReimportQueueFunctions>().Poison(
            Message(new ReimportMessage(ReimportMessageKind.ErpRequest, "corr-give-up", ErpRequestId: request.Id)), default);

        var detail = host.Harness.Procore.State.Read(s => s.ErpRequestDetails.Single(d => d.Id == request.RequestDetailId));
        detail.Status.Should().Be("failed");
        detail.Messages.Should().ContainSingle().Which.Should().Contain("could not start the re-import after repeated failures");
    }

    [Fact]
    public async Task The_queue_giving_up_on_a_project_event_is_logged_with_the_event()
    {
        await host.Function<ReimportQueueFunctions>().Poison(
            Message(new ReimportMessage(ReimportMessageKind.ProjectEvent, "corr-give-up-event", ProjectId: 3000000101, Event: "update")), default);

        host.Harness.Logs.Entries.Should().Contain(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Error
            && e.Message == "The queue gave up on event update of project 3000000101");
        host.Harness.ProcoreWrites.Should().BeEmpty("nothing was started for the event, so there is nothing to close out");
    }

    private static Azure.Storage.Queues.Models.QueueMessage Message(ReimportMessage message) =>
        Azure.Storage.Queues.Models.QueuesModelFactory.QueueMessage("m-" + Guid.NewGuid().ToString("N"), "receipt",
            new BinaryData(message.ToJson()), dequeueCount: 1);
}
