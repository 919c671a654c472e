using System.ComponentModel.DataAnnotations;

namespace ErpFunctions.Procore;

/// <summary>
/// The settings of the <c>Reimport</c> section that say how a project's budget is read and written in Procore. They
/// keep their <c>Reimport:</c> names: a customer chooses them with the rest of the re-import's rules.
/// </summary>
public sealed class ProcoreBudgetOptions
{
    public const string Section = "Reimport";

    /// <summary>The budget view whose rows are read; the project's first view when unset.</summary>
    public string? BudgetViewName { get; set; }

    /// <summary>The base type of cost types created when <c>Reimport:CreateMissingCostTypes</c> is on.</summary>
    [RegularExpression("^(equipment|materials|commitment|owner_cost|professional_services|other)$")]
    public string NewCostTypeBaseType { get; set; } = "other";
}
