using System.Globalization;

namespace ErpFunctions.Simulators.Spectrum;

public sealed record SimJob(
    string Company, string Number, string Description, string Status, string Division, string CostCenter,
    string CustomerCode, string ProjectManager, IReadOnlyDictionary<int, string> Udfs);

public sealed record SimPhaseLine(
    string Company, string Job, string Phase, string CostType, string Description, string Status,
    string UnitOfMeasure, decimal Jtd, decimal Estimate, decimal Projected, decimal Hours, decimal Quantity,
    string StartDate, string EndDate);

/// <summary>The simulator's mutable Spectrum data: jobs and phase lines, editable by tests and the admin API.</summary>
public sealed class SpectrumData
{
    private readonly Lock gate = new();
    private SpectrumSeed seed;
    private List<SimJob> jobs = [];
    private List<SimPhaseLine> lines = [];

    public SpectrumData(SpectrumSeed seed)
    {
        this.seed = seed;
        Load(seed);
    }

    public string AuthorizationId => seed.AuthorizationId;
    public string EstimateElementName => seed.EstimateElementName;
    public int RowCap { get; set; }
    public string DefaultCompany => seed.Companies.FirstOrDefault()?.Code ?? "";

    public IReadOnlyList<SimJob> Jobs
    {
        get { lock (gate) { return [.. jobs]; } }
    }

    public IReadOnlyList<SimPhaseLine> Lines
    {
        get { lock (gate) { return [.. lines]; } }
    }

    public bool HasCompany(string code) => seed.Companies.Any(c => c.Code == code);

    /// <summary>Back to the seed (or to a new one), dropping every edit.</summary>
    public void Reset(SpectrumSeed? replacement = null)
    {
        lock (gate)
        {
            seed = replacement ?? seed;
            Load(seed);
        }
    }

    /// <summary>Sets a line's current estimate, creating the line when the job does not have it.</summary>
    public void SetEstimate(string company, string job, string phase, string costType, decimal estimate, decimal? jtd = null)
    {
        lock (gate)
        {
            var index = lines.FindIndex(l => l.Company == company && l.Job == job && l.Phase == phase && l.CostType == costType);
            if (index >= 0)
            {
                lines[index] = lines[index] with { Estimate = estimate, Jtd = jtd ?? lines[index].Jtd };
                return;
            }

            if (!jobs.Any(j => j.Company == company && j.Number == job))
            {
                throw new KeyNotFoundException($"Spectrum company {company} has no job {job}.");
            }

            lines.Add(new SimPhaseLine(company, job, phase, costType, $"Phase {phase}", "A", "", jtd ?? 0m, estimate,
                0m, 0m, 0m, "", ""));
        }
    }

    public bool RemoveLine(string company, string job, string phase, string costType)
    {
        lock (gate)
        {
            return lines.RemoveAll(l => l.Company == company && l.Job == job && l.Phase == phase && l.CostType == costType) > 0;
        }
    }

    public void SetUdf(string company, string job, int number, string value)
    {
        lock (gate)
        {
            var index = jobs.FindIndex(j => j.Company == company && j.Number == job);
            var udfs = new Dictionary<int, string>(jobs[index].Udfs) { [number] = value };
            jobs[index] = jobs[index] with { Udfs = udfs };
        }
    }

    /// <summary>Adds a job (and its lines) for a test; replaces a job of the same number.</summary>
    public void AddJob(string company, SeedJob job)
    {
        lock (gate)
        {
            jobs.RemoveAll(j => j.Company == company && j.Number == job.Number);
            lines.RemoveAll(l => l.Company == company && l.Job == job.Number);
            AddSeedJob(company, job);
        }
    }

    private void Load(SpectrumSeed source)
    {
        RowCap = source.RowCap;
        jobs = [];
        lines = [];
        foreach (var company in source.Companies)
        {
            foreach (var job in company.Jobs)
            {
                AddSeedJob(company.Code, job);
            }
        }
    }

    private void AddSeedJob(string company, SeedJob job)
    {
        var udfs = job.Udfs.ToDictionary(u => int.Parse(u.Key, CultureInfo.InvariantCulture), u => u.Value);
        jobs.Add(new SimJob(company, job.Number, job.Description, job.Status, job.Division, job.CostCenter,
            job.CustomerCode, job.ProjectManager, udfs));

        foreach (var phase in job.Phases)
        {
            foreach (var line in phase.CostTypes)
            {
                lines.Add(new SimPhaseLine(company, job.Number, phase.Code, line.CostType, phase.Description,
                    line.Status ?? phase.Status, phase.UnitOfMeasure, line.Jtd, line.Estimate, line.Projected,
                    line.Hours, line.Quantity, line.StartDate ?? "", line.EndDate ?? ""));
            }
        }

        if (job.Generate is { } generate)
        {
            lines.AddRange(GeneratedLines(company, job.Number, generate));
        }
    }

    /// <summary>The <paramref name="index"/>th generated phase code: <c>DDCCCC</c>, 90 codes per division from 02.</summary>
    public static string GeneratedPhaseCode(int index) => $"{2 + index / 90:00}{1000 + index % 90 * 10:0000}";

    /// <summary>
    /// Phases <c>DDCCCC</c> (division from 02, ten codes apart) with amounts in cents; every 17th line has no estimate
    /// and every 23rd no cost either, so big jobs exercise the same rules as small ones.
    /// </summary>
    public static IEnumerable<SimPhaseLine> GeneratedLines(string company, string job, SeedGeneratedPhases generate)
    {
        var random = new Random(generate.Seed);
        var index = 0;
        for (var p = 0; p < generate.Phases; p++)
        {
            var phase = GeneratedPhaseCode(p);
            foreach (var costType in generate.CostTypes)
            {
                index++;
                var estimate = index % 17 == 0 ? 0m : random.Next(10_000, 5_000_000) / 100m;
                var jtd = index % 23 == 0 ? 0m : Math.Round(estimate * random.Next(0, 90) / 100m, 2);
                yield return new SimPhaseLine(company, job, phase, costType, $"Generated phase {phase}", "A", "",
                    jtd, estimate, 0m, 0m, 0m, "", "");
            }
        }
    }
}
