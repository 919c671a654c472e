using System.ComponentModel.DataAnnotations;
using ErpFunctions.Domain.Companies;
using ErpFunctions.Domain.Mapping;
using ErpFunctions.Domain.Planning;
using ErpFunctions.Domain.Prerequisites;

namespace ErpFunctions.Companies;

/// <summary>
/// The <c>Reimport</c> section, bound once: the re-import's rules that are the company's choice (<see cref="Rules"/>,
/// which travel with the company), and the deployment's own parts, handed to the areas that need them (the queue's
/// name, the lease and the wait between tries).
/// </summary>
public sealed class ReimportOptions : IValidatableObject
{
    public const string Section = "Reimport";

    /// <summary>The work queue (its poison queue is <c>&lt;name&gt;-poison</c>); the queue triggers bind it as <c>%Reimport:QueueName%</c>.</summary>
    [Required, RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,54}[a-z0-9]$")]
    public string QueueName { get; set; } = "reimport-requests";

    /// <summary>How phase codes become Procore cost codes: <c>#</c> takes a phase character (e.g. <c>##-####</c>); empty keeps the phase.</summary>
    [RegularExpression("^[^#]*(#[^#]*)*$")]
    public string PhaseMask { get; set; } = "";

    /// <summary>Cost code strategies in order (default Table, OriginId, FullCode, SeparatorsRemoved).</summary>
    public CostCodeMatch[]? CostCodeMatch { get; set; }

    /// <summary>Explicit phase → Procore full code.</summary>
    public Dictionary<string, string> CostCodeTable { get; set; } = [];

    /// <summary>Cost type strategies in order (default Table, OriginId, Code).</summary>
    public CostTypeMatch[]? CostTypeMatch { get; set; }

    /// <summary>Explicit Spectrum cost type → Procore cost type code.</summary>
    public Dictionary<string, string> CostTypeTable { get; set; } = [];

    /// <summary>
    /// Create the cost codes and budget codes a plan needs when no existing code matches; otherwise report those lines as
    /// unmapped. Needs <see cref="PhaseMask"/>, which says how a phase becomes a cost code and its tiers.
    /// </summary>
    public bool CreateMissingCostCodes { get; set; }

    /// <summary>Several Spectrum rows that land on one Procore budget code are summed into its line, or refused.</summary>
    [EnumDataType(typeof(CollisionPolicy))]
    public CollisionPolicy OnCollision { get; set; } = CollisionPolicy.Sum;

    /// <summary>Create missing cost types. Cost types are company-wide in Procore, hence off by default.</summary>
    public bool CreateMissingCostTypes { get; set; }

    /// <summary>Job UDF (1–20) holding <see cref="SpectrumBudgetLockedValue"/> when the budget is finalized and locked; unset = not verified.</summary>
    [Range(1, 20)]
    public int? SpectrumBudgetLockedUdf { get; set; }

    public string SpectrumBudgetLockedValue { get; set; } = "Y";

    /// <summary>Job UDF (1–20) holding <see cref="EstimatesPostedValue"/> when the estimate entries are posted; unset = not verified.</summary>
    [Range(1, 20)]
    public int? EstimatesPostedUdf { get; set; }

    public string EstimatesPostedValue { get; set; } = "Y";

    /// <summary>Also link a job to the project whose project number equals it when no project has it as origin id.</summary>
    public bool LinkByProjectNumber { get; set; } = true;

    /// <summary>The budget view whose rows are read; the project's first view when unset.</summary>
    public string? BudgetViewName { get; set; }

    /// <summary>The base type of cost types created when <see cref="CreateMissingCostTypes"/> is on.</summary>
    [RegularExpression("^(equipment|materials|commitment|owner_cost|professional_services|other)$")]
    public string NewCostTypeBaseType { get; set; } = "other";

    /// <summary>How long a run holds its job; a crashed worker's lease expires after this.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a run waits before trying again while another run holds its job.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan DeferDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The rules a company chose, as its <see cref="Company"/> carries them.</summary>
    public ReimportRules Rules => new(
        new CodeMapping(new PhaseMask(PhaseMask),
            CostCodeMatch is { Length: > 0 } codes ? codes : CodeMapping.Default.CostCodeMatches, CostCodeTable,
            CostTypeMatch is { Length: > 0 } types ? types : CodeMapping.Default.CostTypeMatches, CostTypeTable),
        new PlanPolicy(CreateMissingCostCodes, CreateMissingCostTypes, OnCollision),
        SpectrumBudgetLockedUdf is { } locked ? new UdfCheck(locked, SpectrumBudgetLockedValue) : null,
        EstimatesPostedUdf is { } posted ? new UdfCheck(posted, EstimatesPostedValue) : null,
        LinkByProjectNumber, BudgetViewName, NewCostTypeBaseType);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (CreateMissingCostCodes && PhaseMask.Length == 0)
        {
            yield return new ValidationResult(
                "Reimport:CreateMissingCostCodes is on but Reimport:PhaseMask is empty: set the mask that makes a phase into a "
                + "cost code (e.g. ##-####), or turn creation off.", [nameof(PhaseMask), nameof(CreateMissingCostCodes)]);
        }
    }
}
