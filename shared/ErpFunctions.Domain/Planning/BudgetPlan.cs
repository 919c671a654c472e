using System.Globalization;
using ErpFunctions.Domain.Estimates;

namespace ErpFunctions.Domain.Planning;

public enum PlanKind
{
    Create,
    Update,
    Unchanged,
    Skipped,
    Unmapped,
}

/// <summary>Why a line is skipped or unmapped.</summary>
public static class LineRules
{
    /// <summary>Neither job-to-date cost nor estimate: Spectrum's own import leaves these out.</summary>
    public const string NoCostNoEstimate = "NoCostNoEstimate";

    /// <summary>An estimate of zero or less creates no budget line; an existing one is left untouched.</summary>
    public const string EstimateNotPositive = "EstimateNotPositive";

    /// <summary>A Procore line with no Spectrum counterpart: left alone.</summary>
    public const string NotInSpectrum = "NotInSpectrum";

    public const string CostCodeNotFound = "CostCodeNotFound";
    public const string CostTypeNotFound = "CostTypeNotFound";
    public const string PhaseMaskMismatch = "PhaseMaskMismatch";
}

/// <summary>
/// What the re-import does with one budget line, and why. <see cref="From"/> is the Procore amount before, and
/// <see cref="To"/> the amount after (for creates and updates). Ids are Procore's where they already exist.
/// </summary>
public sealed record PlanLine(
    PlanKind Kind,
    string Phase,
    string CostType,
    string? CostCode,
    string? ProcoreCostType,
    string Description,
    decimal Estimate,
    decimal JobToDate,
    decimal? From,
    decimal? To,
    string? Rule,
    string Reason,
    long? BudgetLineId = null,
    long? BudgetCodeId = null,
    long? CostCodeId = null,
    long? CostTypeId = null)
{
    public bool IsWrite => Kind is PlanKind.Create or PlanKind.Update;
}

/// <summary>The three totals an operator compares, to the cent.</summary>
/// <param name="SpectrumTotal">Every current estimate of the job in Spectrum.</param>
/// <param name="ProcoreTotal">Every original budget amount of the project in Procore now.</param>
/// <param name="NewProcoreTotal">What Procore's total will be once the plan is written.</param>
public sealed record BudgetTotals(decimal SpectrumTotal, decimal ProcoreTotal, decimal NewProcoreTotal);

public sealed record BudgetPlan(IReadOnlyList<PlanLine> Lines, BudgetTotals Totals, IReadOnlyList<DuplicateRows> Duplicates)
{
    public IReadOnlyDictionary<PlanKind, int> Counts =>
        Enum.GetValues<PlanKind>().ToDictionary(k => k, k => Lines.Count(l => l.Kind == k));

    public IEnumerable<PlanLine> Writes => Lines.Where(l => l.IsWrite);

    /// <summary>One sentence per phase × cost type that Spectrum returned more than once.</summary>
    public IEnumerable<string> DuplicateNotes => Duplicates.Select(d =>
        $"Spectrum returned {d.Count} rows for phase {d.Phase} cost type {d.CostType}; they were summed to {Money.Format(d.EstimateTotal)}");
}

/// <summary>Options of the plan that are decisions, not facts.</summary>
public sealed record PlanPolicy(bool CreateMissingCostCodes, bool CreateMissingCostTypes)
{
    public static PlanPolicy Default { get; } = new(CreateMissingCostCodes: true, CreateMissingCostTypes: false);
}

/// <summary>Amounts as operators read them: thousands separated, two decimals, invariant culture.</summary>
public static class Money
{
    public static string Format(decimal amount) => amount.ToString("#,##0.00", CultureInfo.InvariantCulture);
}
