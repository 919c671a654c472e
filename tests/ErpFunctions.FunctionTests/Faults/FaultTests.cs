using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using ErpFunctions.Domain.Runs;
using ErpFunctions.FunctionTests.Support;
using ErpFunctions.Queueing;
using ErpFunctions.Reimport;
using ErpFunctions.Runs;
using ErpFunctions.Simulators;
using ErpFunctions.Simulators.Spectrum;
using ErpFunctions.Storage;
using ErpFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ErpFunctions.FunctionTests.Faults;

/// <summary>
/// The fault suite: each scenario injects one kind of fault into the whole pipeline (local runner, queue, Azurite, both
/// simulators over HTTP) and then checks what every scenario must leave behind (<see cref="FaultScenario.AssertTruthAsync"/>).
/// Its figures are written for the README's Reliability section.
/// </summary>
[Collection(FaultSuiteCollection.Name)]
[Trait("Category", "Fault")]
public class FaultTests(FaultLedger ledger)
{
    private const string NewJob = "40-250";
    private const long NewProject = 3000000401;
    private const string Sync = "/rest/v1.0/budget_line_items/sync";
    private const string Views = "/rest/v1.0/budget_views";

    /// <summary>A job whose first import creates everything: cost codes, a cost type, budget codes and 300 lines in three chunks.</summary>
    private async Task<FaultScenario> NewJobScenarioAsync(Action<Dictionary<string, string?>>? configure = null, bool startApp = true)
    {
        var scenario = await FaultScenario.StartAsync(ledger, settings =>
        {
            settings["Procore:SyncBatchSize"] = "100";
            settings["Reimport:CreateMissingCostTypes"] = "true";
            configure?.Invoke(settings);
        }, startApp);
        scenario.Harness.AddLinkedJob(NewJob, phases: 50, costTypes: ["L", "M", "S", "E", "O", "R"], projectId: NewProject);
        return scenario;
    }

    public static TheoryData<string, string, string, int> ProcoreCalls => new()
    {
        { "token", "/oauth/token", "500", 0 },
        { "token", "/oauth/token", "drop", 0 },
        { "budget reads", Views, "500", 0 },
        { "budget reads", Views, "drop", 0 },
        { "budget reads", Views, "body cut off", 0 },
        { "cost code creation", "/rest/v1.0/cost_codes/sync", "500", 0 },
        { "cost code creation", "/rest/v1.0/cost_codes/sync", "drop", 0 },
        { "cost code creation", "/rest/v1.0/cost_codes/sync", "lost answer", 0 },
        { "cost type creation", "/rest/v1.0/line_item_types/sync", "500", 0 },
        { "cost type creation", "/rest/v1.0/line_item_types/sync", "drop", 0 },
        { "cost type creation", "/rest/v1.0/line_item_types/sync", "lost answer", 0 },
        { "budget code creation", $"/rest/v1.0/projects/{NewProject}/work_breakdown_structure/wbs_codes/bulk_create", "500", 0 },
        { "budget code creation", $"/rest/v1.0/projects/{NewProject}/work_breakdown_structure/wbs_codes/bulk_create", "drop", 0 },
        { "budget code creation", $"/rest/v1.0/projects/{NewProject}/work_breakdown_structure/wbs_codes/bulk_create", "lost answer", 0 },
        { "line sync", Sync, "500", 1 },
        { "line sync", Sync, "drop", 1 },
        { "line sync", Sync, "lost answer", 1 },
        { "line sync", Sync, "body cut off", 1 },
        { "read-back", Views, "500", -1 },
        { "read-back", Views, "drop", -1 },
    };

    [Theory]
    [MemberData(nameof(ProcoreCalls))]
    public async Task A_Procore_call_that_fails_or_drops_is_recovered(string kind, string path, string fault, int skip)
    {
        await using var scenario = await NewJobScenarioAsync();
        var faults = scenario.Harness.Procore.Faults;
        void Arm()
        {
            switch (fault)
            {
                case "drop": faults.DropNext(2, path, Math.Max(skip, 0)); break;
                case "lost answer": faults.FailNext(1, 500, afterProcessing: true, path: path, skip: Math.Max(skip, 0)); break;
                case "body cut off": faults.CutBodyNext(1, path, Math.Max(skip, 0)); break;
                default: faults.FailNext(2, 500, path: path, skip: Math.Max(skip, 0)); break;
            }
        }

        if (skip < 0)
        {
            // The read-back is the first budget view read after the last line chunk has been written.
            faults.AfterServed(Sync, Arm, skip: 2);
        }
        else
        {
            Arm();
        }

        var run = await scenario.RequestAsync(NewJob);

        await scenario.AssertTruthAsync($"Procore {kind}: {fault}", NewJob, requests: 1, [run]);
    }

    [Fact]
    public async Task A_Procore_429_storm_is_waited_out()
    {
        await using var scenario = await FaultScenario.StartAsync(ledger);
        var limits = scenario.Harness.Procore.RateLimits;
        scenario.Harness.Procore.Faults.AfterServed(Views, () => limits.Storm(10, TimeSpan.FromSeconds(1)));

        var run = await scenario.RequestAsync("22-208");

        await scenario.AssertTruthAsync("Procore 429 storm (reset within the wait)", "22-208", requests: 1, [run]);
    }

    [Fact]
    public async Task A_spent_rate_limit_defers_the_run_visibly_until_the_reset_then_it_finishes()
    {
        await using var scenario = await FaultScenario.StartAsync(ledger, s =>
        {
            s["Procore:MaxRateLimitWait"] = "00:00:00";
            s["Logging:LogLevel:ErpFunctions.Reimport"] = "Information";
        });
        var limits = scenario.Harness.Procore.RateLimits;
        scenario.Harness.Procore.Faults.AfterServed(Views, () => limits.Storm(3, TimeSpan.FromSeconds(2)));

        var run = await scenario.RequestAsync("22-208");

        await scenario.AssertTruthAsync("Procore rate limit spent mid-run (run deferred)", "22-208", requests: 1, [run]);
        scenario.Harness.Logs.Entries.Should().Contain(l => l.Message.Contains("waits for Procore's rate limit"), "the run waited rather than failed");
    }

    [Fact]
    public async Task Procore_503s_with_Retry_After_are_honoured()
    {
        await using var scenario = await NewJobScenarioAsync();
        scenario.Harness.Procore.Quirks.RetryAfterSeconds = 1;
        scenario.Harness.Procore.Faults.FailNext(3, 503, path: "/rest/v1.0/");

        var run = await scenario.RequestAsync(NewJob);

        await scenario.AssertTruthAsync("Procore 503 + Retry-After", NewJob, requests: 1, [run]);
    }

    public static TheoryData<string> SpectrumFaults =>
        ["server fault", "timeout", "drop", "body cut off", "cut at wrapper", "cut between rows", "cut inside a row"];

    [Theory]
    [MemberData(nameof(SpectrumFaults))]
    public async Task A_Spectrum_fault_is_retried_or_read_again_until_the_rows_are_whole(string fault)
    {
        await using var scenario = await FaultScenario.StartAsync(ledger, s => s["Spectrum:AttemptTimeout"] = "00:00:01");
        var spectrum = scenario.Harness.Spectrum;
        const string Rows = "/ws/GetPhaseEnhanced";
        static bool RowCalls(IReadOnlyDictionary<string, string> parameters) => parameters.ContainsKey("pCost_Type");
        switch (fault)
        {
            case "server fault": spectrum.Faults.FailNext(2, path: Rows); break;
            case "timeout": spectrum.Faults.DelayNext(2, TimeSpan.FromSeconds(3), path: Rows); break;
            case "drop": spectrum.Faults.DropNext(2, path: Rows); break;
            case "body cut off": spectrum.Faults.CutBodyNext(2, path: Rows); break;
            case "cut at wrapper": spectrum.Quirks.TruncateNext(2, TruncationMode.AtWrapper, RowCalls); break;
            case "cut between rows": spectrum.Quirks.TruncateNext(2, TruncationMode.BetweenRows, RowCalls); break;
            default: spectrum.Quirks.TruncateNext(2, TruncationMode.InsideRow, RowCalls); break;
        }

        var run = await scenario.RequestAsync("22-208");

        await scenario.AssertTruthAsync($"Spectrum {fault}", "22-208", requests: 1, [run]);
    }

    public static TheoryData<string, string, int> KillPoints => new()
    {
        { "after cost code creation", "/rest/v1.0/cost_codes/sync", 0 },
        { "after budget code creation", $"/rest/v1.0/projects/{NewProject}/work_breakdown_structure/wbs_codes/bulk_create", 0 },
        { "after line chunk 1", Sync, 0 },
        { "after line chunk 2", Sync, 1 },
        { "after line chunk 3", Sync, 2 },
    };

    [Theory]
    [MemberData(nameof(KillPoints))]
    public async Task A_worker_killed_mid_run_keeps_its_lease_and_another_instance_resumes_the_run_once_it_expires(string point, string path, int skip)
    {
        await using var scenario = await NewJobScenarioAsync(startApp: false);
        await using var worker = await RunnerProcess.StartAsync(scenario.Harness.Settings);
        scenario.Harness.Procore.Faults.AfterServed(path, worker.Kill, skip);

        var run = await scenario.RequestAsync(NewJob, via: worker.Client);
        await worker.ExitedAsync();
        var interrupted = await scenario.Harness.Runs.FindAsync(run, default);
        interrupted!.Status.IsFinished().Should().BeFalse("the worker was killed before the run could finish");
        var (probe, holder) = await scenario.Harness.Services.GetRequiredService<JobLeases>()
            .TryAcquireAsync("ABC", NewJob, "probe", TimeSpan.Zero, default);
        probe.Should().BeNull("a killed worker releases nothing: its lease stays until it expires");
        await scenario.Runner.StartAppAsync();

        await scenario.AssertTruthAsync($"Worker killed {point}", NewJob, requests: 1, [run], injected: worker.Killed ? 1 : 0);
        var resumed = (await scenario.Harness.Runs.FindAsync(run, default))!;
        resumed.Attempts.Should().BeGreaterThan(1);
        resumed.CompletedAt.Should().BeOnOrAfter(holder!.ExpiresAt, "the other instance waited for the dead worker's lease to expire");
    }

    [Fact]
    public async Task Two_runner_instances_on_one_storage_account_re_import_twenty_jobs_each_once()
    {
        await using var scenario = await FaultScenario.StartAsync(ledger, s =>
        {
            // One message at a time per instance, so that the instances share the queue's work as Azure's do.
            s["AzureFunctionsJobHost:extensions:queues:batchSize"] = "1";
        }, startApp: false);
        var jobs = Enumerable.Range(0, 20).Select(i => $"50-{i:000}").ToList();
        foreach (var (job, i) in jobs.Select((job, i) => (job, i)))
        {
            scenario.Harness.AddLinkedJob(job, phases: 4, costTypes: ["L", "M"], projectId: 3000000500 + i);
        }

        await using var first = await RunnerProcess.StartAsync(scenario.Harness.Settings);
        await using var second = FaultSwitches.IsDisarmed("scale-out") ? null : await RunnerProcess.StartAsync(scenario.Harness.Settings);
        RunnerProcess[] instances = second is null ? [first] : [first, second];

        var runs = await Task.WhenAll(jobs.Select((job, i) => scenario.RequestAsync(job, via: instances[i % instances.Length].Client)));

        var working = instances.Count(p => p.RunDeliveries > 0);
        await scenario.AssertTruthAsync("2 runner processes, 20 jobs at once", jobs, requests: jobs.Count, runs, injected: working - 1);
        working.Should().Be(2, "both instances took runs off the one queue");
        var syncs = scenario.Harness.Procore.ApiCalls.Where(c => c.Path == Sync).ToList();
        syncs.Should().HaveCount(jobs.Count, "each job's lines were written exactly once, by one of the instances");
    }

    [Fact]
    public async Task The_same_message_delivered_ten_times_runs_once()
    {
        await using var scenario = await FaultScenario.StartAsync(ledger);
        await scenario.Runner.StopAppAsync();
        var run = await scenario.Harness.QueueRunAsync("22-208");
        var queue = new QueueClient(scenario.Harness.Settings[StorageOptions.ConnectionSetting], scenario.Runner.QueueName, ReimportQueue.ClientOptions);
        await queue.CreateIfNotExistsAsync();
        var copies = FaultSwitches.IsDisarmed("redeliver") ? 1 : 10;
        var sent = new List<string>();
        for (var i = 0; i < copies; i++)
        {
            sent.Add((await queue.SendMessageAsync(RunMessages.For(run).ToJson())).Value.MessageId);
        }

        await scenario.Runner.StartAppAsync();

        await scenario.AssertTruthAsync("Same run message delivered 10 times", "22-208", requests: sent.Count, [run.RunId],
            injected: sent.Distinct().Count() - 1);
        (await scenario.RunsOfAsync("22-208")).Should().ContainSingle();
        scenario.Harness.Procore.ApiCalls.Count(c => c.Path == Sync).Should().Be(1, "one run wrote, once");
    }

    [Fact]
    public async Task Ten_concurrent_re_imports_of_one_job_agree()
    {
        await using var scenario = await FaultScenario.StartAsync(ledger);

        var runs = await Task.WhenAll(Enumerable.Range(0, FaultSwitches.IsDisarmed("concurrent") ? 1 : 10).Select(_ => scenario.RequestAsync("22-208")));

        // Injected: the requests beyond the first, each answered 202 while the others were in flight.
        await scenario.AssertTruthAsync("10 concurrent re-imports of one job", "22-208", requests: runs.Length, runs, injected: runs.Length - 1);
        (await scenario.RunsOfAsync("22-208")).Should().BeEquivalentTo(runs.Distinct(), "every run of the job answers one of the requests");
    }

    [Fact]
    public async Task A_webhook_replayed_a_hundred_times_starts_one_run()
    {
        await using var scenario = await FaultScenario.StartAsync(ledger, s => s["Webhooks:ReimportTriggers:0"] = "Projects/update");
        var body = JsonSerializer.Serialize(new
        {
            ulid = "01J0REPLAYED0000000000000A", resource_name = "Projects", event_type = "update", resource_id = ProcoreClients.HarborProject,
            project_id = ProcoreClients.HarborProject, company_id = ProcoreClients.CompanyId, user_id = 9101,
        });
        var outcomes = new List<string>();
        var deliveries = FaultSwitches.IsDisarmed("replay") ? 1 : 10;
        for (var round = 0; round < deliveries; round++)
        {
            outcomes.AddRange(await Task.WhenAll(Enumerable.Range(0, deliveries).Select(async _ =>
            {
                var request = RunnerHost.Request(HttpMethod.Post, "/api/webhooks/procore", token: null,
                    body: new StringContent(body, Encoding.UTF8, "application/json"));
                request.Headers.TryAddWithoutValidation("Authorization", RunnerHost.WebhookSecret);
                var response = await scenario.Runner.SendAsync(request);
                response.StatusCode.Should().Be(HttpStatusCode.OK);
                return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("outcome").GetString()!;
            })));
        }

        var runs = await WaitForRunsAsync(scenario, "22-208", 1);
        await scenario.AssertTruthAsync("One webhook delivered 100 times", "22-208", requests: outcomes.Count, runs, injected: outcomes.Count - 1);
        runs.Should().ContainSingle();
        outcomes.Should().Contain("Queued").And.OnlyContain(o => o == "Queued" || o == "Duplicate");
    }

    [Fact]
    public async Task Storage_stopped_and_started_again_mid_run_loses_nothing()
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        await using var scenario = await NewJobScenarioAsync(s => s[StorageOptions.ConnectionSetting] = azurite.ConnectionString);
        var outage = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        scenario.Harness.Procore.Faults.AfterServed(Sync, () => _ = Task.Run(async () =>
        {
            await azurite.OutageAsync(AzuriteService.Queue, AzuriteService.Table);
            outage.SetResult(scenario.Harness.Logs.Entries.Count);
        }));

        var run = await scenario.RequestAsync(NewJob);
        var before = await outage.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await WaitForLogAsync(scenario, before, l => l.Level >= LogLevel.Warning, "the app to log a warning about the storage outage");
        await azurite.StartAsync(AzuriteService.Queue, AzuriteService.Table);

        await scenario.AssertTruthAsync("Azurite stopped and restarted mid-run", NewJob, requests: 1, [run], injected: azurite.Outages);
    }

    [Fact]
    public async Task A_request_whose_queue_send_fails_is_refused_and_leaves_nothing()
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        await using var scenario = await FaultScenario.StartAsync(ledger, s => s[StorageOptions.ConnectionSetting] = azurite.ConnectionString);
        await azurite.OutageAsync(AzuriteService.Queue);

        var refused = await scenario.Runner.SendAsync(RunnerHost.Request(HttpMethod.Post, "/api/budgets/22-208/reimport",
            body: new StringContent("""{"confirm": true}""", Encoding.UTF8, "application/json")));

        refused.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        (await scenario.RunsOfAsync("22-208")).Should().BeEmpty("no run is written without its message");
        await azurite.StartAsync(AzuriteService.Queue);
        var run = await scenario.RequestAsync("22-208");
        await scenario.AssertTruthAsync("Queue send failing (request refused, then repeated)", "22-208", requests: 2, [run], injected: azurite.Outages);
    }

    private static async Task<IReadOnlyList<string>> WaitForRunsAsync(FaultScenario scenario, string job, int count)
    {
        IReadOnlyList<string> runs = [];
        await Eventually.HoldsAsync(async () => (runs = await scenario.RunsOfAsync(job)).Count >= count,
            () => $"{count} runs of job {job}; there are {runs.Count}", TimeSpan.FromSeconds(60));
        return runs;
    }

    private static Task WaitForLogAsync(FaultScenario scenario, int after, Func<CapturedLog, bool> match, string what) =>
        Eventually.HoldsAsync(() => scenario.Harness.Logs.Entries.Skip(after).Any(match), () => what, TimeSpan.FromSeconds(60));
}
