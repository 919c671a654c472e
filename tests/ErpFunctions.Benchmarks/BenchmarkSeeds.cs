using System.Text.Json;
using ErpFunctions.Simulators.Procore;
using ErpFunctions.Simulators.Spectrum;

namespace ErpFunctions.Benchmarks;

/// <summary>A benchmark job: its line count and over how many cost types they spread.</summary>
public sealed record BenchmarkJob(int Lines, int CostTypeCount)
{
    /// <summary>Parses <c>10000</c> (25 cost types) or <c>10000x100</c>.</summary>
    public static BenchmarkJob Parse(string text) => text.Split('x') is [var lines, var types]
        ? new(int.Parse(lines), int.Parse(types))
        : new(int.Parse(text), 25);

    public string Number => CostTypeCount == 25 ? $"B-{Lines}" : $"T{CostTypeCount}-{Lines}";

    public IReadOnlyList<string> CostTypes => BenchmarkSeeds.CostTypesOf(CostTypeCount);

    public int Phases => Lines / CostTypeCount;

    public string Label => CostTypeCount == 25 ? $"{Lines:N0}" : $"{Lines:N0} over {CostTypeCount} cost types";
}

/// <summary>
/// Jobs of 100, 1,000 and 10,000 lines: phases × 25 cost types (or as many as asked), every estimate above zero, each
/// linked to a Procore project that already has the cost codes (so engine and baseline start from the same budget).
/// And the sweep's company: 300 linked jobs of 20 to 200 lines.
/// </summary>
public static class BenchmarkSeeds
{
    public const string Company = "ABC";
    public const long ProcoreCompany = 4101;
    public const int SweepJobs = 300;

    public static IReadOnlyList<string> CostTypesOf(int count) => count == 25
        ? [.. Enumerable.Range(1, 25).Select(i => $"C{i:00}")]
        : [.. Enumerable.Range(0, count).Select(i => $"{(char)('D' + i / 100)}{i % 100:00}")];

    public static string PhaseCode(int index) => SpectrumData.GeneratedPhaseCode(index);

    public static decimal Estimate(int phase, int costType) => 1000m + phase * 7 + costType * 3 + 0.25m;

    public static string SweepJob(int index) => $"SW-{index + 1:000}";

    /// <summary>
    /// Lines of the sweep's jobs: 20 to 200, most of them small, as a company's job list is (many service and small
    /// jobs, few large ones): 20 + 180·u⁴ for u uniform in [0, 1), seeded so that every run has the same jobs.
    /// </summary>
    public static IReadOnlyList<int> SweepJobLines { get; } = SweepLines();

    private static int[] SweepLines()
    {
        var random = new Random(11);
        return [.. Enumerable.Range(0, SweepJobs).Select(_ => 20 + (int)(180 * Math.Pow(random.NextDouble(), 4)))];
    }

    public static (string SpectrumPath, string ProcorePath) Write(string folder, IReadOnlyList<BenchmarkJob> jobs)
    {
        Directory.CreateDirectory(folder);
        var sweepTypes = CostTypesOf(25);
        var spectrum = new SpectrumSeed
        {
            AuthorizationId = "BENCH-AUTH",
            Companies =
            [
                new Simulators.Spectrum.SeedCompany
                {
                    Code = Company,
                    Name = "Benchmark Builders",
                    Jobs =
                    [
                        .. jobs.Select(job => SpectrumJob(job.Number, $"Benchmark {job.Label}", job.Lines, job.CostTypes)),
                        .. SweepJobLines.Select((lines, i) => SpectrumJob(SweepJob(i), $"Sweep job {i + 1}", lines, sweepTypes)),
                    ],
                },
            ],
        };

        var procore = ProcoreSeed.LoadDefault();
        procore.Projects =
        [
            .. jobs.Select((job, i) => Project(3000009000 + i, job.Number, job.Lines, job.CostTypeCount)),
            .. SweepJobLines.Select((lines, i) => Project(3000010000 + i, SweepJob(i), lines, sweepTypes.Count)),
        ];
        procore.LineItemTypes = [.. jobs.SelectMany(j => j.CostTypes).Concat(sweepTypes).Distinct()
            .Select(t => new SeedLineItemType { CompanyId = ProcoreCompany, Name = $"Cost type {t}", Code = t, OriginId = t })];
        procore.RateLimits = new SeedRateLimits { Hourly = 10_000_000, Spike = 10_000_000, SpikeWindowSeconds = 10 };

        var spectrumPath = Path.Combine(folder, "spectrum-bench.json");
        var procorePath = Path.Combine(folder, "procore-bench.json");
        File.WriteAllText(spectrumPath, JsonSerializer.Serialize(spectrum, SpectrumSeed.Json));
        File.WriteAllText(procorePath, JsonSerializer.Serialize(procore, ProcoreSeed.Json));
        return (spectrumPath, procorePath);
    }

    /// <summary>A job's lines fill phase after phase, each phase with every cost type in turn.</summary>
    private static SeedJob SpectrumJob(string number, string description, int lines, IReadOnlyList<string> costTypes) => new()
    {
        Number = number,
        Description = description,
        Udfs = new() { ["1"] = "Y", ["2"] = "Y" },
        Phases = [.. Enumerable.Range(0, (lines + costTypes.Count - 1) / costTypes.Count).Select(p => new SeedPhase
        {
            Code = PhaseCode(p),
            Description = $"Phase {p}",
            CostTypes = [.. costTypes.Take(Math.Min(costTypes.Count, lines - p * costTypes.Count))
                .Select((t, i) => new SeedCostLine { CostType = t, Estimate = Estimate(p, i) })],
        })],
    };

    private static SeedProject Project(long id, string job, int lines, int costTypeCount) => new()
    {
        Id = id,
        CompanyId = ProcoreCompany,
        Name = $"Benchmark {job}",
        ProjectNumber = job,
        OriginId = job,
        Tools = [new SeedTool { EngineName = "budget", Title = "Budget", IsActive = true }],
        CostCodes = [.. Enumerable.Range(0, (lines + costTypeCount - 1) / costTypeCount).GroupBy(p => PhaseCode(p)[..2]).Select(division => new Simulators.Procore.SeedCostCode
        {
            Code = division.Key,
            Name = $"Division {division.Key}",
            Children = [.. division.Select(p => new Simulators.Procore.SeedCostCode { Code = PhaseCode(p)[2..], Name = $"Phase {p}" })],
        })],
    };
}
