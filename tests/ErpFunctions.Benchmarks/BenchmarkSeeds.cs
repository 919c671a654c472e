using System.Text.Json;
using ErpFunctions.Simulators.Procore;
using ErpFunctions.Simulators.Spectrum;

namespace ErpFunctions.Benchmarks;

/// <summary>
/// Jobs of 100, 1,000 and 10,000 lines: phases × 25 cost types, every estimate above zero, each linked to a Procore
/// project that already has the cost codes (so engine and baseline start from the same budget).
/// </summary>
public static class BenchmarkSeeds
{
    public const string Company = "ABC";
    public const long ProcoreCompany = 4101;
    public static readonly string[] CostTypes = [.. Enumerable.Range(1, 25).Select(i => $"C{i:00}")];

    public static string Job(int lines) => $"B-{lines}";

    public static string PhaseCode(int index) => SpectrumData.GeneratedPhaseCode(index);

    public static decimal Estimate(int phase, int costType) => 1000m + phase * 7 + costType * 3 + 0.25m;

    public static (string SpectrumPath, string ProcorePath) Write(string folder, IReadOnlyList<int> sizes)
    {
        Directory.CreateDirectory(folder);
        var spectrum = new SpectrumSeed
        {
            AuthorizationId = "BENCH-AUTH",
            Companies =
            [
                new Simulators.Spectrum.SeedCompany
                {
                    Code = Company,
                    Name = "Benchmark Builders",
                    Jobs = [.. sizes.Select(size => new SeedJob
                    {
                        Number = Job(size),
                        Description = $"Benchmark {size}",
                        Udfs = new() { ["1"] = "Y", ["2"] = "Y" },
                        Phases = [.. Enumerable.Range(0, size / CostTypes.Length).Select(p => new SeedPhase
                        {
                            Code = PhaseCode(p),
                            Description = $"Phase {p}",
                            CostTypes = [.. CostTypes.Select((t, i) => new SeedCostLine { CostType = t, Estimate = Estimate(p, i) })],
                        })],
                    })],
                },
            ],
        };

        var procore = ProcoreSeed.LoadDefault();
        procore.Projects = [.. sizes.Select((size, i) => new SeedProject
        {
            Id = 3000009000 + i,
            CompanyId = ProcoreCompany,
            Name = $"Benchmark {size}",
            ProjectNumber = Job(size),
            OriginId = Job(size),
            Tools = [new SeedTool { EngineName = "budget", Title = "Budget", IsActive = true }],
            CostCodes = [.. Enumerable.Range(0, size / CostTypes.Length).GroupBy(p => PhaseCode(p)[..2]).Select(division => new Simulators.Procore.SeedCostCode
            {
                Code = division.Key,
                Name = $"Division {division.Key}",
                Children = [.. division.Select(p => new Simulators.Procore.SeedCostCode { Code = PhaseCode(p)[2..], Name = $"Phase {p}" })],
            })],
        })];
        procore.LineItemTypes = [.. CostTypes.Select(t => new SeedLineItemType { CompanyId = ProcoreCompany, Name = $"Cost type {t}", Code = t, OriginId = t })];
        procore.RateLimits = new SeedRateLimits { Hourly = 10_000_000, Spike = 10_000_000, SpikeWindowSeconds = 10 };

        var spectrumPath = Path.Combine(folder, "spectrum-bench.json");
        var procorePath = Path.Combine(folder, "procore-bench.json");
        File.WriteAllText(spectrumPath, JsonSerializer.Serialize(spectrum, SpectrumSeed.Json));
        File.WriteAllText(procorePath, JsonSerializer.Serialize(procore, ProcoreSeed.Json));
        return (spectrumPath, procorePath);
    }
}
