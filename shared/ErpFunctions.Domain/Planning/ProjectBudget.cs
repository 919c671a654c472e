using System.Globalization;
using ErpFunctions.Domain.Fingerprints;
using ErpFunctions.Domain.Mapping;

namespace ErpFunctions.Domain.Planning;

/// <summary>An existing budget line, keyed by its budget code (cost code × cost type).</summary>
/// <param name="BudgetChanges">Budget modifications and approved budget changes Procore adds to the original amount.</param>
public sealed record BudgetLineEntry(long Id, long WbsCodeId, long CostCodeId, long CostTypeId, decimal Amount, decimal BudgetChanges = 0m);

/// <summary>
/// What the project's budget holds, read once per run: cost codes, cost types, budget codes and budget lines.
/// Budget codes and lines are keyed by (cost code id, cost type id): Procore allows one line per budget code.
/// </summary>
public sealed record ProjectBudget(
    long ProjectId,
    long BudgetViewId,
    IReadOnlyList<CostCodeEntry> CostCodes,
    IReadOnlyList<CostTypeEntry> CostTypes,
    IReadOnlyDictionary<(long CostCodeId, long CostTypeId), long> BudgetCodes,
    IReadOnlyList<BudgetLineEntry> Lines)
{
    public decimal Total => Lines.Sum(l => l.Amount);

    /// <summary>Every line's amount by its id (<see cref="Fingerprint.Of"/>).</summary>
    public string Fingerprint => Fingerprints.Fingerprint.Of(Lines.Select(l => (l.Id.ToString(CultureInfo.InvariantCulture), l.Amount)));
}
