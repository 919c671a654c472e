using System.ComponentModel.DataAnnotations;

namespace ErpFunctions.Budgets;

/// <summary>The budgets list. Bound from <c>Budgets</c>.</summary>
public sealed class BudgetsOptions
{
    public const string Section = "Budgets";

    /// <summary>The budgets list reads Spectrum's jobs and Procore's projects again once its copy is older than this.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan CatalogMaxAge { get; set; } = TimeSpan.FromMinutes(15);
}
