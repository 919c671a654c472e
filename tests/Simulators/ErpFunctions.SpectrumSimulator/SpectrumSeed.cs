using System.Text.Json;
using System.Text.Json.Serialization;

namespace ErpFunctions.Simulators.Spectrum;

/// <summary>
/// The simulator's data, loaded from JSON (see the simulators' README): companies, their jobs with status and UDFs,
/// and each job's phases with their cost-type lines (estimate, job-to-date cost, projection). A job may also ask for
/// <see cref="SeedJob.Generate"/>d phases, to make jobs larger than the row cap without a huge file.
/// </summary>
public sealed class SpectrumSeed
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The only Authorization ID the simulator accepts.</summary>
    public string AuthorizationId { get; set; } = "SIM-SDE-AUTH";

    /// <summary>Rows a Get call returns at most before its <c>W</c> trailer.</summary>
    public int RowCap { get; set; } = 500;

    /// <summary><c>Current_Estimate_Dollars</c> (live servers) or <c>Current_Estimated_Dollars</c> (the documentation).</summary>
    public string EstimateElementName { get; set; } = "Current_Estimate_Dollars";

    public List<SeedCompany> Companies { get; set; } = [];

    public static SpectrumSeed Load(string path) =>
        JsonSerializer.Deserialize<SpectrumSeed>(File.ReadAllText(path), Json)
        ?? throw new InvalidDataException($"{path} holds no Spectrum seed.");

    /// <summary>The seed shipped with the simulator, copied beside its assembly.</summary>
    public static SpectrumSeed LoadDefault() =>
        Load(Path.Combine(AppContext.BaseDirectory, "seed", "spectrum-seed.json"));

    public SpectrumSeed Clone() => JsonSerializer.Deserialize<SpectrumSeed>(JsonSerializer.Serialize(this, Json), Json)!;
}

public sealed class SeedCompany
{
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public List<SeedJob> Jobs { get; set; } = [];
}

public sealed class SeedJob
{
    public string Number { get; set; } = "";
    public string Description { get; set; } = "";

    /// <summary>A (active), I (inactive) or C (complete).</summary>
    public string Status { get; set; } = "A";

    public string Division { get; set; } = "";
    public string CostCenter { get; set; } = "";
    public string CustomerCode { get; set; } = "";
    public string ProjectManager { get; set; } = "";

    /// <summary>User-defined fields by number ("1" … "20").</summary>
    public Dictionary<string, string> Udfs { get; set; } = [];

    public List<SeedPhase> Phases { get; set; } = [];

    public SeedGeneratedPhases? Generate { get; set; }
}

public sealed class SeedPhase
{
    /// <summary>The phase code as Spectrum stores it: no dashes, e.g. <c>013100</c>.</summary>
    public string Code { get; set; } = "";

    public string Description { get; set; } = "";

    /// <summary>Status of the phase's lines unless a line says otherwise.</summary>
    public string Status { get; set; } = "A";

    public string UnitOfMeasure { get; set; } = "";
    public List<SeedCostLine> CostTypes { get; set; } = [];
}

public sealed class SeedCostLine
{
    public string CostType { get; set; } = "";
    public string? Status { get; set; }
    public decimal Estimate { get; set; }
    public decimal Jtd { get; set; }
    public decimal Projected { get; set; }
    public decimal Hours { get; set; }
    public decimal Quantity { get; set; }
    public string? StartDate { get; set; }
    public string? EndDate { get; set; }
}

/// <summary>Deterministically generated phases: <c>Phases</c> phases × every listed cost type.</summary>
public sealed class SeedGeneratedPhases
{
    public int Phases { get; set; }
    public List<string> CostTypes { get; set; } = [];
    public int Seed { get; set; } = 1;
}
