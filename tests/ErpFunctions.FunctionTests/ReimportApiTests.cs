using ErpFunctions.Domain.Runs;
using ErpFunctions.FunctionTests.Support;
using ErpFunctions.Functions.Budgets;
using ErpFunctions.Functions.Http;
using ErpFunctions.Functions.Reimports;
using ErpFunctions.Queueing;
using ErpFunctions.Runs;
using Microsoft.AspNetCore.Mvc;

namespace ErpFunctions.FunctionTests;

/// <summary>The operator API and the queue worker, called directly, with Azurite and both simulators behind them.</summary>
public class ReimportApiTests : IAsyncLifetime
{
    private FunctionHost host = null!;

    public async Task InitializeAsync() => host = await FunctionHost.StartAsync();

    public async Task DisposeAsync() => await host.DisposeAsync();

    private Task<IActionResult> Reimport(string job, string body = """{"confirm": true}""", string? token = FunctionHost.Standard,
        IDictionary<string, string>? headers = null) =>
        host.Function<BudgetFunctions>().Reimport(FunctionHost.Request("POST", body, token, headers), job);

    [Fact]
    public async Task A_re_import_is_queued_and_the_worker_runs_it_to_success()
    {
        var accepted = await Reimport("22-208");

        accepted.Status().Should().Be(202);
        var body = accepted.Body<ReimportAcceptedModel>();
        ((AcceptedResult)accepted).Location.Should().Be($"/api/reimports/{body.RunId}");
        body.Status.Should().Be("Queued");
        var queued = await host.PeekAsync();
        queued.Should().ContainSingle().Which.Should().Match<ReimportMessage>(m => m.Kind == ReimportMessageKind.Run && m.RunId == body.RunId);

        (await host.DrainAsync()).Should().Be(1);

        var status = await host.Function<ReimportFunctions>().Get(FunctionHost.Request("GET"), body.RunId);
        var run = status.Body<RunModel>();
        (run.Status, run.StatusText).Should().Be(("Succeeded", "Successfully re-imported to Procore"));
        run.Totals.Should().Be(new RunTotalsModel(503613.39m, 203650.75m, 511763.39m, new LeftOutModel(0, 0m), 511763.39m));
        run.RequestedBy.Should().Be("olivia@summit.example");
        host.Harness.ProcoreLines("22-208")["01-3100.L"].Should().Be(12500.00m);

        var lines = (await host.Function<ReimportFunctions>().Lines(FunctionHost.Request("GET"), body.RunId)).Body<RunLinesModel>();
        lines.Lines.Should().HaveCount(16);
        lines.Lines.Where(l => l.Kind is "Create" or "Update").Should().OnlyContain(l => l.Outcome == "Written");
    }

    [Fact]
    public async Task A_run_s_lines_are_read_a_page_at_a_time_in_plan_order()
    {
        var accepted = (await Reimport("22-208")).Body<ReimportAcceptedModel>();
        await host.DrainAsync();
        var read = new List<PlanLineModel>();
        string? token = null;
        var pages = 0;

        do
        {
            var page = (await host.Function<ReimportFunctions>().Lines(FunctionHost.Request("GET", query: "?pageSize=5" + (token is null ? "" : "&pageToken=" + token)),
                accepted.RunId)).Body<RunLinesModel>();
            page.Total.Should().Be(16);
            page.Lines.Should().HaveCountLessThanOrEqualTo(5);
            read.AddRange(page.Lines);
            token = page.NextPageToken;
            pages++;
        }
        while (token is not null);

        pages.Should().Be(4);
        read.Select(l => l.Index).Should().Equal(Enumerable.Range(1, 16));
        var beyond = await host.Function<ReimportFunctions>().Lines(FunctionHost.Request("GET", query: "?pageToken=999"), accepted.RunId);
        beyond.Status().Should().Be(400);
        beyond.Problem().Extensions["field"].Should().Be("pageToken");
    }

    [Fact]
    public async Task The_same_idempotency_key_returns_the_same_run_and_queues_one_message()
    {
        var key = new Dictionary<string, string> { ["Idempotency-Key"] = "olivia-22-208-first" };

        var first = (await Reimport("22-208", headers: key)).Body<ReimportAcceptedModel>();
        var again = await Reimport("22-208", headers: key);

        again.Status().Should().Be(202);
        again.Body<ReimportAcceptedModel>().Should().Match<ReimportAcceptedModel>(a => a.RunId == first.RunId && a.Replayed);
        (await host.PeekAsync()).Should().ContainSingle();
    }

    [Fact]
    public async Task A_key_used_for_another_job_is_refused()
    {
        var key = new Dictionary<string, string> { ["Idempotency-Key"] = "reused" };
        await Reimport("22-208", headers: key);

        var other = await Reimport("19-101", headers: key);

        other.Status().Should().Be(422);
        other.Problem().Extensions["field"].Should().Be("Idempotency-Key");
    }

    [Fact]
    public async Task A_second_request_while_a_run_is_queued_joins_it()
    {
        var first = (await Reimport("22-208")).Body<ReimportAcceptedModel>();

        var second = (await Reimport("22-208")).Body<ReimportAcceptedModel>();

        second.Should().Match<ReimportAcceptedModel>(s => s.RunId == first.RunId && s.Joined);
        (await host.PeekAsync()).Should().ContainSingle();
    }

    [Fact]
    public async Task A_locked_Procore_budget_is_409_with_its_prerequisite_code_and_nothing_is_queued()
    {
        var result = await Reimport("26-607");

        result.Status().Should().Be(409);
        result.Problem().Extensions["code"].Should().Be("ProcoreBudgetLocked");
        result.Problem().Detail.Should().Contain("locked");
        (await host.PeekAsync()).Should().BeEmpty();
        host.Harness.ProcoreWrites.Should().BeEmpty();
    }

    [Theory]
    [InlineData("sim-operator-readonly", 403)]
    [InlineData("sim-operator-none", 403)]
    [InlineData("sim-operator-elsewhere", 403)]
    [InlineData("forged", 401)]
    [InlineData(null, 401)]
    public async Task An_operator_below_Standard_is_refused_and_nothing_is_queued(string? token, int status)
    {
        var result = await Reimport("22-208", token: token);

        result.Status().Should().Be(status);
        result.Problem().Detail.Should().NotBeNullOrWhiteSpace();
        (await host.PeekAsync()).Should().BeEmpty();
        (await host.Harness.Runs.ListForJobAsync("ABC", "22-208", 5, default)).Should().BeEmpty();
    }

    [Theory]
    [InlineData("22-208", "{not json", 400, "body")]
    [InlineData("22-208", "", 400, "body")]
    [InlineData("22-208", "[true]", 400, "body")]
    [InlineData("22-208", "{}", 400, "confirm")]
    [InlineData("22-208", """{"confirm": "yes"}""", 400, "confirm")]
    [InlineData("22-208", """{"confirm": 1}""", 400, "confirm")]
    [InlineData("22-208", """{"confirm": false}""", 400, "confirm")]
    [InlineData("99-999", """{"confirm": true}""", 404, "job")]
    [InlineData("22-208/../x", """{"confirm": true}""", 400, "job")]
    [InlineData("far-too-long-a-job", """{"confirm": true}""", 400, "job")]
    public async Task Bad_input_gets_a_problem_naming_the_field_and_nothing_is_queued(string job, string body, int status, string field)
    {
        var result = await Reimport(job, body);

        result.Status().Should().Be(status);
        ((ObjectResult)result).ContentTypes.Should().Contain(Problems.ContentType);
        result.Problem().Extensions["field"].Should().Be(field);
        result.Problem().Detail.Should().NotBeNullOrWhiteSpace();
        (await host.PeekAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task An_oversized_body_is_413()
    {
        var result = await Reimport("22-208", "{\"confirm\": true, \"note\": \"" + new string('x', 20_000) + "\"}");

        result.Status().Should().Be(413);
        result.Problem().Extensions["field"].Should().Be("body");
    }

    [Fact]
    public async Task A_Procore_outage_is_a_502_problem_never_a_500()
    {
        host.Harness.Procore.Faults.FailNext(50, 500);

        var result = await Reimport("22-208");

        result.Status().Should().Be(502);
        result.Problem().Title.Should().Be("Procore could not answer");
        result.Problem().Extensions.Should().ContainKey("correlationId");
    }

    [Fact]
    public async Task A_poison_message_fails_its_run_with_the_last_error()
    {
        var accepted = (await Reimport("22-208")).Body<ReimportAcceptedModel>();
        host.Harness.Procore.Faults.FailNext(100, 503);
        var message = await host.ReceiveAsync();
        var worker = host.Function<ReimportQueueFunctions>();

        var attempt = () => worker.Run(message, default);
        await attempt.Should().ThrowAsync<Exception>("a transient failure is left to the queue to retry");
        (await host.Harness.Runs.FindAsync(accepted.RunId, default))!.Status.Should().Be(RunStatus.Queued);

        await worker.Poison(message, default);

        var run = await host.Harness.Runs.FindAsync(accepted.RunId, default);
        run!.Status.Should().Be(RunStatus.Failed);
        run.Error.Should().Contain("gave up").And.Contain("Attempt 1 failed");
        (await host.Harness.Budgets.FindAsync("ABC", "22-208", default))!.LastRunStatus.Should().Be(RunStatus.Failed);
    }

    [Fact]
    public async Task An_unreadable_message_is_dropped_not_retried_forever()
    {
        await host.Queue.SendMessageAsync("not a message");
        var message = await host.ReceiveAsync();

        await host.Function<ReimportQueueFunctions>().Run(message, default);

        host.Harness.Procore.ApiCalls.Should().BeEmpty();
    }
}
