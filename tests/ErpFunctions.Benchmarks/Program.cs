using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ErpFunctions.Benchmarks;
using ErpFunctions.Domain.Mapping;
using ErpFunctions.Domain.Planning;
using ErpFunctions.Domain.Runs;
using ErpFunctions.Reimport;
using ErpFunctions.Resync;
using ErpFunctions.Runs;
using ErpFunctions.Spectrum;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Re-imports against the simulators with injected latency, for the engine and for a naive one-call-per-line baseline, and
// the nightly sweep of a 300-job company.
// Usage: dotnet run -c Release --project tests/ErpFunctions.Benchmarks -- [--sizes 100,1000,10000,10000x100] [--procore-latency 100]
//        [--spectrum-latency 300] [--naive-up-to 10000] [--long-filters on|off] [--sweep on|off] [--json FILE]
var jobs = Argument("--sizes", "100,1000,10000,10000x100").Split(',').Select(BenchmarkJob.Parse).ToList();
var procoreLatency = int.Parse(Argument("--procore-latency", "100"), CultureInfo.InvariantCulture);
var spectrumLatency = int.Parse(Argument("--spectrum-latency", "300"), CultureInfo.InvariantCulture);
var naiveUpTo = int.Parse(Argument("--naive-up-to", "10000"), CultureInfo.InvariantCulture);
var longFilters = Argument("--long-filters", "on") == "on";
var sweep = Argument("--sweep", "on") == "on";
var jsonPath = Argument("--json", "");
var storage = Environment.GetEnvironmentVariable("AZURITE_CONNECTION_STRING") ?? "UseDevelopmentStorage=true";
var spectrumConcurrency = new SpectrumOptions().MaxConcurrentCalls;
var results = new List<BenchmarkResult>();

var root = new DirectoryInfo(AppContext.BaseDirectory);
while (!File.Exists(Path.Combine(root.FullName, "ErpFunctions.sln")))
{
    root = root.Parent ?? throw new InvalidOperationException("Run the benchmark from inside the repository.");
}

var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
string Simulator(string name) => Path.Combine(root.FullName, "tests", "Simulators", name, "bin", configuration, "net10.0", name + ".dll");

var (spectrumSeed, procoreSeed) = BenchmarkSeeds.Write(Path.Combine(Path.GetTempPath(), "erpfunctions-bench"), jobs);
await using var spectrum = await SimulatorProcess.StartAsync(Simulator("ErpFunctions.SpectrumSimulator"), spectrumSeed);
await using var procore = await SimulatorProcess.StartAsync(Simulator("ErpFunctions.ProcoreSimulator"), procoreSeed);

Console.WriteLine($"# Benchmark {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC: {Environment.ProcessorCount} cores, .NET {Environment.Version}, "
    + $"{procoreLatency} ms per Procore call, {spectrumLatency} ms per Spectrum call ({spectrumConcurrency} at a time), "
    + $"long filters {(longFilters ? "on" : "off")}");
Console.WriteLine();
Console.WriteLine("| Lines | Scenario | Implementation | Procore calls (reads / writes) | SDE calls | Wall time | I/O floor | Wall ÷ floor | Peak managed memory |");
Console.WriteLine("|---:|---|---|---:|---:|---:|---:|---:|---:|");

foreach (var job in jobs)
{
    foreach (var naive in naiveUpTo >= job.Lines ? new[] { false, true } : [false])
    {
        await ResetSimulatorsAsync(spectrumLatency, procoreLatency);
        await using var services = Services(naive);

        await Measure(job, "first import", naive, services, () => ReimportAsync(services, job.Number, naive));
        foreach (var (phase, type) in FivePercent(job))
        {
            await spectrum.PutAsync("_sim/estimates", new
            {
                job = job.Number, phase = BenchmarkSeeds.PhaseCode(phase), costType = job.CostTypes[type],
                estimate = BenchmarkSeeds.Estimate(phase, type) + 100m,
            });
        }

        await Measure(job, "re-import, 5 % changed", naive, services, () => ReimportAsync(services, job.Number, naive));
        await Measure(job, "re-import, nothing changed", naive, services, () => ReimportAsync(services, job.Number, naive));
    }
}

if (sweep)
{
    await SweepAsync();
}

if (jsonPath.Length > 0)
{
    await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(results, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
}

// The sweep of a company with 300 linked jobs, all imported first (without latency, not measured): a tick with nothing
// changed, then a tick after 5 % of the jobs changed one estimate each, which must queue exactly those jobs.
async Task SweepAsync()
{
    await ResetSimulatorsAsync(0, 0);
    await using var services = Services(naive: false);
    var lines = BenchmarkSeeds.SweepJobLines;
    await Parallel.ForEachAsync(Enumerable.Range(0, lines.Count), new ParallelOptions { MaxDegreeOfParallelism = 4 },
        async (i, _) => await ReimportAsync(services, BenchmarkSeeds.SweepJob(i), naive: false));

    await spectrum.PostAsync("_sim/faults", new { latencyMs = spectrumLatency, enforceDeclaredLengths = !longFilters });
    await procore.PostAsync("_sim/faults", new { latencyMs = procoreLatency });
    var company = new BenchmarkJob(lines.Sum(), 25);
    var label = $"{lines.Count} jobs, {company.Lines:N0} lines";
    var quiet = await Measure(company, "sweep, nothing changed", false, services, () => TickAsync(services), label);
    Console.Error.WriteLine($"Sweep, nothing changed: {quiet.Checked} checked, {quiet.InSync} in sync, {quiet.Queued.Count} queued, {quiet.Failed.Count} failed");

    var changed = Enumerable.Range(0, lines.Count).Where(i => i % 20 == 7).Select(BenchmarkSeeds.SweepJob).ToList();
    foreach (var job in changed)
    {
        await spectrum.PutAsync("_sim/estimates", new { job, phase = BenchmarkSeeds.PhaseCode(0), costType = "C01", estimate = 123456.78m });
    }

    var drifted = await Measure(company, "sweep, 5 % of jobs changed", false, services, () => TickAsync(services), label);
    var exactly = drifted.Queued.Order().SequenceEqual(changed.Order());
    Console.WriteLine();
    Console.WriteLine($"Sweep with 5 % changed: {drifted.Queued.Count} re-imports queued for the {changed.Count} changed jobs; exactly those: {(exactly ? "yes" : "NO")}.");
    results[^1] = results[^1] with { QueuedJobs = drifted.Queued.Count, ChangedJobs = changed.Count, QueuedExactlyTheChanged = exactly };
    if (quiet.Queued.Count > 0 || !exactly || quiet.Failed.Count > 0 || drifted.Failed.Count > 0)
    {
        throw new InvalidOperationException("The sweep did not queue exactly the changed jobs.");
    }
}

async Task<SweepReport> TickAsync(ServiceProvider services)
{
    var report = (await services.GetRequiredService<ResyncSweep>().RunAsync(default)).Single();
    return report.Finished ? report : throw new InvalidOperationException($"The sweep did not finish its tick (paused until {report.PausedUntil}).");
}

async Task<object?> ReimportAsync(ServiceProvider services, string job, bool naive)
{
    if (naive)
    {
        await services.GetRequiredService<NaiveReimport>().RunAsync(job, new PhaseMask("##-####"), default);
        return null;
    }

    var runs = services.GetRequiredService<RunStore>();
    var run = await runs.CreateAsync(runs.NewRun(BenchmarkSeeds.Company, job, RunTrigger.Operator, "benchmark", Guid.NewGuid().ToString("N")), default);
    var finished = (await services.GetRequiredService<ReimportEngine>().RunAsync(run.RunId, default)).Run;
    return finished.Status == RunStatus.Succeeded
        ? finished
        : throw new InvalidOperationException($"The engine's run of {job} ended {finished.Status}: {finished.Error}");
}

async Task ResetSimulatorsAsync(int spectrumMs, int procoreMs)
{
    await spectrum.PostAsync("_sim/reset", new { });
    await procore.PostAsync("_sim/reset", new { });
    await spectrum.PostAsync("_sim/faults", new { latencyMs = spectrumMs, enforceDeclaredLengths = !longFilters });
    await procore.PostAsync("_sim/faults", new { latencyMs = procoreMs });
}

async Task<T> Measure<T>(BenchmarkJob job, string scenario, bool naive, ServiceProvider services, Func<Task<T>> work, string? label = null)
{
    await spectrum.ClearLogAsync();
    await procore.ClearLogAsync();
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();

    using var sampling = new CancellationTokenSource();
    long peak = GC.GetTotalMemory(false);
    var sampler = Task.Run(async () =>
    {
        while (!sampling.IsCancellationRequested)
        {
            peak = Math.Max(peak, GC.GetTotalMemory(false));
            await Task.Delay(5);
        }
    });

    var clock = Stopwatch.StartNew();
    var outcome = await work();
    clock.Stop();
    sampling.Cancel();
    await sampler;

    var calls = await procore.CallsAsync();
    var reads = calls.Count(c => c.Method == "GET" || c.Path == "/oauth/token");
    var sde = (await spectrum.CallsAsync()).Count(c => c.Path.StartsWith("/ws/", StringComparison.Ordinal));
    var floor = calls.Count * procoreLatency / 1000.0 + Math.Ceiling(sde / (double)spectrumConcurrency) * spectrumLatency / 1000.0;
    var result = new BenchmarkResult(job.Lines, job.CostTypeCount, scenario, naive ? "naive" : "engine", calls.Count, reads, calls.Count - reads, sde,
        Math.Round(clock.Elapsed.TotalSeconds, 2), Math.Round(floor, 2), Math.Round(peak / (1024.0 * 1024), 1));
    results.Add(result);
    Console.WriteLine($"| {label ?? job.Label} | {scenario} | {(naive ? "naive, one call per line" : "engine")} | {calls.Count:N0} ({reads:N0} / {calls.Count - reads:N0}) "
        + $"| {sde} | {result.WallSeconds:N1} s | {floor:N1} s | {result.WallSeconds / Math.Max(floor, 0.001):N2} | {result.PeakManagedMiB:N1} MiB |");
    return outcome;
}

ServiceProvider Services(bool naive)
{
    var settings = new Dictionary<string, string?>
    {
        ["AzureWebJobsStorage"] = storage,
        ["Storage:TablePrefix"] = "bench" + Guid.NewGuid().ToString("N")[..10],
        ["Spectrum:BaseUrl"] = spectrum.BaseAddress.ToString(),
        ["Spectrum:AuthorizationId"] = "BENCH-AUTH",
        ["Spectrum:CompanyCode"] = BenchmarkSeeds.Company,
        // Counted as everywhere, but high enough for the 300 imports that set up the sweep.
        ["Spectrum:DailyCallBudget"] = "1000000",
        ["Procore:LoginBaseUrl"] = procore.BaseAddress.ToString(),
        ["Procore:ApiBaseUrl"] = procore.BaseAddress.ToString(),
        ["Procore:ClientId"] = "sim-client-id",
        ["Procore:ClientSecret"] = "sim-client-secret",
        ["Procore:CompanyId"] = BenchmarkSeeds.ProcoreCompany.ToString(CultureInfo.InvariantCulture),
        ["Reimport:PhaseMask"] = "##-####",
        ["Reimport:SpectrumBudgetLockedUdf"] = "1",
        ["Reimport:EstimatesPostedUdf"] = "2",
    };
    var services = new ServiceCollection()
        .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
        .AddErpFunctions(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
    if (naive)
    {
        services.AddTransient<NaiveReimport>();
    }

    return services.BuildServiceProvider();
}

static IEnumerable<(int Phase, int CostType)> FivePercent(BenchmarkJob job) =>
    Enumerable.Range(0, job.Lines / 20).Select(i => (i * 20 / job.CostTypeCount, (i * 20 + i % 5) % job.CostTypeCount));

string Argument(string name, string fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}

/// <summary>One scenario's figures, as <c>--json</c> writes them.</summary>
internal sealed record BenchmarkResult(int Lines, int CostTypes, string Scenario, string Implementation, int ProcoreCalls, int ProcoreReads,
    int ProcoreWrites, int SdeCalls, double WallSeconds, double IoFloorSeconds, double PeakManagedMiB)
{
    public int? QueuedJobs { get; init; }
    public int? ChangedJobs { get; init; }
    public bool? QueuedExactlyTheChanged { get; init; }
}
