using System.Net;
using System.Text;
using System.Text.Json;
using ErpFunctions.Domain.Jobs;
using ErpFunctions.Domain.Prerequisites;
using ErpFunctions.Domain.Runs;
using ErpFunctions.FunctionTests.Support;
using ErpFunctions.Reimport;
using ErpFunctions.Runs;
using ErpFunctions.TestSupport;

namespace ErpFunctions.FunctionTests.Faults;

/// <summary>
/// One fault scenario: the local runner (HTTP routes, queue listener with host.json's semantics, the worker) on
/// Azurite and both simulators, with host settings shortened so that retries and waits take seconds. After the fault,
/// <see cref="AssertTruthAsync"/> checks what every scenario must leave: Procore equal to the plan, one line per budget
/// code, every request accounted for by a run that finished, and statuses that tell the truth.
/// </summary>
public sealed class FaultScenario(RunnerHost runner, FaultLedger ledger) : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    public RunnerHost Runner { get; } = runner;
    public ReimportHarness Harness => Runner.Harness;

    /// <param name="startApp">Whether the in-process runner starts now; a scenario that runs runner processes of its own starts none.</param>
    public static async Task<FaultScenario> StartAsync(FaultLedger ledger, Action<Dictionary<string, string?>>? configure = null,
        bool startApp = true)
    {
        var runner = await RunnerHost.StartAsync(settings =>
        {
            settings["AzureFunctionsJobHost:extensions:queues:visibilityTimeout"] = "00:00:00.300";
            settings["AzureFunctionsJobHost:extensions:queues:maxPollingInterval"] = "00:00:00.200";
            settings["LocalRunner:MessageLease"] = "00:00:04";
            settings["Reimport:DeferDelay"] = "00:00:00.500";
            settings["Reimport:LeaseDuration"] = "00:00:10";
            configure?.Invoke(settings);
        }, startApp: startApp);
        return new FaultScenario(runner, ledger);
    }

    /// <summary>An operator's re-import over HTTP (to the in-process runner, or <paramref name="via"/>); answers the run it was accounted for by.</summary>
    public async Task<string> RequestAsync(string job, string? idempotencyKey = null, HttpClient? via = null)
    {
        var request = RunnerHost.Request(HttpMethod.Post, $"/api/budgets/{job}/reimport",
            body: new StringContent("""{"confirm": true}""", Encoding.UTF8, "application/json"));
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        var response = await (via ?? Runner.Client).SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("runId").GetString()!;
    }

    /// <summary>Waits (polling the runs' status rows) until every run has finished; fails with their states if the patience runs out.</summary>
    public async Task<IReadOnlyList<RunRecord?>> SettleAsync(IReadOnlyCollection<string> runIds)
    {
        var runs = Array.Empty<RunRecord?>();
        await Eventually.HoldsAsync(async () =>
        {
            runs = await Task.WhenAll(runIds.Distinct().Select(id => Harness.Runs.FindAsync(id, default)));
            return runs.All(r => r?.Status.IsFinished() == true);
        }, () => "every run to finish; they are: " + string.Join(", ", runs.Select(r => r is null ? "(no row)" : $"{r.RunId} {r.Status} {r.StatusText}")),
            Patience);
        return runs;
    }

    /// <summary>Every run of the job (the scenario's runs are the job's only ones).</summary>
    public async Task<IReadOnlyList<string>> RunsOfAsync(string job) =>
        [.. (await Harness.Runs.ListForJobAsync("ABC", job, 100, default)).Select(r => r.RunId)];

    /// <summary>Times the simulators recorded a fault (failed, dropped, slowed, cut or rate-limited answers).</summary>
    public int InjectedFaults() =>
        Harness.Procore.Log.Entries.Count(e => e.Details.ContainsKey("fault") || e.Status == 429)
        + Harness.Spectrum.Log.Entries.Count(e => e.Details.ContainsKey("fault") || e.Details.ContainsKey("truncated"));

    /// <summary>
    /// Settles the runs the requests were accounted for by, records the scenario's figures and asserts the truth: every
    /// run finished, Procore holds the plan (a fresh plan has nothing to write), one line per budget code, and each
    /// status agrees with Procore's state.
    /// </summary>
    /// <param name="injected">
    /// How often the fault happened, counted from the simulators', queue's, storage's or processes' own records; by
    /// default the simulators' records of a fault (<see cref="InjectedFaults"/>). It must be above zero: a scenario whose
    /// fault did not fire proves nothing.
    /// </param>
    public Task AssertTruthAsync(string fault, string job, int requests, IReadOnlyCollection<string> runIds, int? injected = null) =>
        AssertTruthAsync(fault, [job], requests, runIds, injected);

    /// <summary>The truth over several jobs, each of whose runs is among <paramref name="runIds"/>.</summary>
    public async Task AssertTruthAsync(string fault, IReadOnlyCollection<string> jobs, int requests, IReadOnlyCollection<string> runIds, int? injected = null)
    {
        var runs = await SettleAsync(runIds);
        var fired = injected ?? InjectedFaults();
        var finished = runs.Where(r => r?.Status.IsFinished() == true).Select(r => r!).ToList();
        var lost = runs.Count(r => r is null || !(r.Status.IsFinished() || r.WaitingUntil is not null));
        var duplicates = jobs.Sum(DuplicateLines);
        var untruthful = finished.Count(r => !Truthful(r));
        foreach (var job in jobs)
        {
            var latest = finished.Where(r => r.Job == job && r.ProcoreTotalAfter is not null).MaxBy(r => r.CompletedAt);
            if (latest is not null && latest.ProcoreTotalAfter != Harness.ProcoreTotal(job))
            {
                untruthful++;
            }
        }

        ledger.Record(new FaultFigures(fault, fired, requests, runs.Count, finished.Count, lost, duplicates, untruthful));

        fired.Should().BePositive("the scenario's fault must have fired, as its own records show, or the scenario proves nothing");
        runs.Should().OnlyContain(r => r != null && r.Status.IsFinished(), "every request is accounted for by a run that finished");
        foreach (var job in jobs)
        {
            finished.Should().Contain(r => r.Job == job && r.Status == RunStatus.Succeeded, $"the scenario's faults pass, so the re-import of {job} gets through");
            var preview = await Harness.Previews.PreviewAsync(TestCalls.New(), JobNumber.Parse(job), AccessLevel.Admin, default);
            var plan = ((JobResult<PreviewResult>.Found)preview).Value.Plan!;
            plan.Writes.Should().BeEmpty($"Procore holds what the plan says for {job}: planning again finds nothing to write");
        }

        lost.Should().Be(0);
        duplicates.Should().Be(0, "one line per budget code");
        untruthful.Should().Be(0, "every status tells the truth");
    }

    private int DuplicateLines(string job)
    {
        var project = Harness.ProjectOf(job);
        return Harness.Procore.State.Read(s => s.BudgetLines.Where(l => l.ProjectId == project).GroupBy(l => l.WbsCodeId).Sum(g => g.Count() - 1));
    }

    /// <summary>A finished run's status agrees with what it reports: success only with Procore at the plan's total; failure with a reason.</summary>
    private static bool Truthful(RunRecord run) => run.Status switch
    {
        RunStatus.Succeeded => run.ProcoreTotalAfter == run.TotalsBefore?.NewProcoreTotal && run.FailedLines == 0,
        RunStatus.PartiallySucceeded => run.FailedLines > 0 || run.ProcoreTotalAfter != run.TotalsBefore?.NewProcoreTotal
            || run.Messages.Any(m => m.Contains("DuplicateInProcore", StringComparison.Ordinal)),
        RunStatus.Failed => !string.IsNullOrWhiteSpace(run.Error),
        _ => true,
    };

    public ValueTask DisposeAsync() => Runner.DisposeAsync();
}
