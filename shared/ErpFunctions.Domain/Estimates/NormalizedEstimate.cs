using ErpFunctions.Domain.Fingerprints;
using ErpFunctions.Domain.Jobs;

namespace ErpFunctions.Domain.Estimates;

/// <summary>One Spectrum phase × cost type row as read, before trimming and de-duplication.</summary>
public sealed record EstimateRow(string Job, string Phase, string CostType, string Description, decimal Estimate, decimal JobToDate);

/// <summary>One Spectrum phase × cost type after trimming and de-duplication: what a budget line is made from.</summary>
public sealed record EstimateLine(string Phase, string CostType, string Description, decimal Estimate, decimal JobToDate);

/// <summary>Rows Spectrum returned more than once for the same phase × cost type; they were summed.</summary>
public sealed record DuplicateRows(string Phase, string CostType, int Count, decimal EstimateTotal, decimal JobToDateTotal);

public sealed record NormalizedEstimate(IReadOnlyList<EstimateLine> Lines, IReadOnlyList<DuplicateRows> Duplicates)
{
    /// <summary>Every current estimate of the job: the "current Spectrum total" operators compare.</summary>
    public decimal Total => Lines.Sum(l => l.Estimate);

    /// <summary>Every estimate by phase and cost type: what the plan's amounts are made of.</summary>
    public string Fingerprint => Fingerprints.Fingerprint.Of(Lines.Select(l => ($"{l.Phase}|{l.CostType.ToUpperInvariant()}", l.Estimate)));

    /// <summary>Trims codes, keeps only the job's rows, and sums rows repeated for the same phase × cost type.</summary>
    public static NormalizedEstimate From(JobNumber job, IEnumerable<EstimateRow> rows)
    {
        var groups = rows
            .Where(r => string.Equals(r.Job.Trim(), job.Value, StringComparison.OrdinalIgnoreCase))
            .GroupBy(r => new BudgetKey(r.Phase.Trim(), r.CostType.Trim()))
            .ToList();

        // Rows repeated for one phase × cost type may differ in case and description: the pick never depends on their order.
        var lines = groups.Select(g => new EstimateLine(
                g.Key.Phase,
                CostTypeOf(g),
                g.Select(r => r.Description.Trim()).Where(d => d.Length > 0).Order(StringComparer.Ordinal).FirstOrDefault() ?? "",
                g.Sum(r => r.Estimate),
                g.Sum(r => r.JobToDate)))
            .OrderBy(l => l.Phase, StringComparer.Ordinal)
            .ThenBy(l => l.CostType, StringComparer.OrdinalIgnoreCase)
            .ToList();

        var duplicates = groups.Where(g => g.Count() > 1)
            .Select(g => new DuplicateRows(g.Key.Phase, CostTypeOf(g), g.Count(),
                g.Sum(r => r.Estimate), g.Sum(r => r.JobToDate)))
            .OrderBy(d => d.Phase, StringComparer.Ordinal)
            .ThenBy(d => d.CostType, StringComparer.OrdinalIgnoreCase)
            .ToList();

        return new NormalizedEstimate(lines, duplicates);
    }

    private static string CostTypeOf(IEnumerable<EstimateRow> rows) => rows.Select(r => r.CostType.Trim()).Order(StringComparer.Ordinal).First();

    /// <summary>Phase codes compare exactly; cost types without regard to case.</summary>
    private sealed record BudgetKey(string Phase, string CostType)
    {
        public bool Equals(BudgetKey? other) =>
            other is not null && Phase == other.Phase && string.Equals(CostType, other.CostType, StringComparison.OrdinalIgnoreCase);

        public override int GetHashCode() => HashCode.Combine(Phase, CostType.ToUpperInvariant());
    }
}
