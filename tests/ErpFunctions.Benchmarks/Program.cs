using ErpFunctions.Domain.Planning;
using System.Diagnostics;
using System.Globalization;
using ErpFunctions.Benchmarks;
using ErpFunctions.Domain.Mapping;
using ErpFunctions.Domain.Runs;
using ErpFunctions.Reimport;
using ErpFunctions.Runs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Re-imports against the simulators with injected latency, for the engine and for a naive one-call-per-line baseline.
// Usage: dotnet run -c Release --project tests/ErpFunctions.Benchmarks -- [--sizes 100,1000,10000] [--procore-latency 100] [--spectrum-latency 300] [--naive-up-to 10000]
var sizes = Argument("--sizes", "100,1000,10000").Split(',').Select(int.Parse).ToList();
var procoreLatency = int.Parse(Argument("--procore-latency", "100"), CultureInfo.InvariantCulture);
var spectrumLatency = int.Parse(Argument("--spectrum-latency", "300"), CultureInfo.InvariantCulture);
var naiveUpTo = int.Parse(Argument("--naive-up-to", "10000"), CultureInfo.InvariantCulture);
var longFilters = Argument("--long-filters", "on") == "on";
var storage = Environment.GetEnvironmentVariable("AZURITE_CONNECTION_STRING") ?? "UseDevelopmentStorage=true";

var root = new DirectoryInfo(AppContext.BaseDirectory);
while (!File.Exists(Path.Combine(root.FullName, "ErpFunctions.sln")))
{
    root = root.Parent ?? throw new InvalidOperationException("Run the benchmark from inside the repository.");
}

var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
string Simulator(string name) => Path.Combine(root.FullName, "tests", "Simulators", name, "bin", configuration, "net10.0", name + ".dll");

var (spectrumSeed, procoreSeed) = BenchmarkSeeds.Write(Path.Combine(Path.GetTempPath(), "erpfunctions-bench"), sizes);
await using var spectrum = await SimulatorProcess.StartAsync(Simulator("ErpFunctions.SpectrumSimulator"), spectrumSeed);
await using var procore = await SimulatorProcess.StartAsync(Simulator("ErpFunctions.ProcoreSimulator"), procoreSeed);

Console.WriteLine($"# Benchmark {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC: {Environment.ProcessorCount} cores, .NET {Environment.Version}, "
    + $"{procoreLatency} ms per Procore call, {spectrumLatency} ms per Spectrum call");
Console.WriteLine();
Console.WriteLine("| Lines | Scenario | Implementation | Procore calls (reads / writes) | SDE calls | Wall time | Peak managed memory |");
Console.WriteLine("|---:|---|---|---:|---:|---:|---:|");

foreach (var size in sizes)
{
    var job = BenchmarkSeeds.Job(size);
    foreach (var naive in naiveUpTo >= size ? new[] { false, true } : [false])
    {
        await spectrum.PostAsync("_sim/reset", new { });
        await procore.PostAsync("_sim/reset", new { });
        await spectrum.PostAsync("_sim/faults", new { latencyMs = spectrumLatency, enforceDeclaredLengths = !longFilters });
        await procore.PostAsync("_sim/faults", new { latencyMs = procoreLatency });
        await using var services = Services(naive);

        await Measure(size, "first import", naive, services, job);
        foreach (var (phase, type) in FivePercent(size))
        {
            await spectrum.PutAsync("_sim/estimates", new
            {
                job, phase = BenchmarkSeeds.PhaseCode(phase), costType = BenchmarkSeeds.CostTypes[type],
                estimate = BenchmarkSeeds.Estimate(phase, type) + 100m,
            });
        }

        await Measure(size, "re-import, 5 % changed", naive, services, job);
        await Measure(size, "re-import, nothing changed", naive, services, job);
    }
}

// What Azurite alone takes to record that many line rows (100 per transaction) in a fresh table: the engine records every
// line before writing and each outcome after, and Azurite's cost per row grows with the table, unlike Table Storage's.
Console.WriteLine();
Console.WriteLine("| Lines | Recording the line rows alone on Azurite |");
Console.WriteLine("|---:|---:|");
foreach (var size in sizes)
{
    await using var services = Services(naive: false);
    var runs = services.GetRequiredService<RunStore>();
    var run = await runs.CreateAsync(runs.NewRun(BenchmarkSeeds.Company, "records", RunTrigger.Operator, "benchmark", "records"), default);
    var lines = Enumerable.Range(1, size).Select(i => new RunLine(i,
        new PlanLine(PlanKind.Create, BenchmarkSeeds.PhaseCode(i), "C01", "10-1000", "C01", "Phase", i, 0m, null, i, null, "New budget line"),
        LineOutcome.Planned, null)).ToList();
    var clock = Stopwatch.StartNew();
    await runs.SaveLinesAsync(run.RunId, lines, default);
    Console.WriteLine($"| {size:N0} | {clock.Elapsed.TotalSeconds:N1} s |");
}

async Task Measure(int size, string scenario, bool naive, ServiceProvider services, string job)
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
    if (naive)
    {
        await services.GetRequiredService<NaiveReimport>().RunAsync(job, new PhaseMask("##-####"), default);
    }
    else
    {
        var runs = services.GetRequiredService<RunStore>();
        var run = await runs.CreateAsync(runs.NewRun(BenchmarkSeeds.Company, job, RunTrigger.Operator, "benchmark", Guid.NewGuid().ToString("N")), default);
        var finished = (await services.GetRequiredService<ReimportEngine>().RunAsync(run.RunId, default)).Run;
        if (finished.Status != RunStatus.Succeeded)
        {
            throw new InvalidOperationException($"The engine's run ended {finished.Status}: {finished.Error}");
        }
    }

    clock.Stop();
    sampling.Cancel();
    await sampler;

    var calls = await procore.CallsAsync();
    var reads = calls.Count(c => c.Method == "GET" || c.Path == "/oauth/token");
    var sde = (await spectrum.CallsAsync()).Count(c => c.Path.StartsWith("/ws/", StringComparison.Ordinal));
    Console.WriteLine($"| {size:N0} | {scenario} | {(naive ? "naive, one call per line" : "engine")} | {calls.Count:N0} ({reads:N0} / {calls.Count - reads:N0}) "
        + $"| {sde} | {clock.Elapsed.TotalSeconds:N1} s | {peak / (1024.0 * 1024):N1} MiB |");
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

static IEnumerable<(int Phase, int CostType)> FivePercent(int size) =>
    Enumerable.Range(0, size / 20).Select(i => (i * 20 / BenchmarkSeeds.CostTypes.Length, i * 20 % BenchmarkSeeds.CostTypes.Length + i % 5));

string Argument(string name, string fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}
