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

    /// <summary>Several Spectrum rows land on one budget code and the customer chose to refuse rather than sum them.</summary>
    public const string BudgetCodeCollision = "BudgetCodeCollision";

    /// <summary>Procore holds more than one line on one budget code: none is touched until a person removes the extra.</summary>
    public const string DuplicateInProcore = "DuplicateInProcore";

    /// <summary>The project's cost codes belong to Procore's own ERP integration, so none is created here.</summary>
    public const string ErpOwnsCostCodes = "ErpOwnsCostCodes";

    /// <summary>An estimate with fractions of a cent or beyond Spectrum's 10.2 format: not written, since it cannot be written exactly.</summary>
    public const string AmountNotMoney = "AmountNotMoney";
}

/// <summary>Why lines with a positive estimate are left out of Procore, and what would bring them in: after "40 lines, 68,878.00, ".</summary>
public static class LeftOutReasons
{
    public static string Of(string rule, bool one) => rule switch
    {
        LineRules.CostCodeNotFound =>
            $"{Verb(one)} no Procore budget code: turn on Reimport:CreateMissingCostCodes or add the cost codes",
        LineRules.CostTypeNotFound =>
            $"{Verb(one)} no Procore cost type: turn on Reimport:CreateMissingCostTypes or add the cost types",
        LineRules.PhaseMaskMismatch =>
            $"{Verb(one)} a phase that does not fit Reimport:PhaseMask, so no cost code",
        LineRules.ErpOwnsCostCodes =>
            $"{Verb(one)} no cost code, and the project's cost codes belong to Procore's ERP integration: add them there",
        LineRules.BudgetCodeCollision =>
            $"{Verb(one)} Spectrum rows that share a budget code, and Reimport:OnCollision is Refuse",
        _ => $"{(one ? "is" : "are")} left out of Procore ({rule})",
    };

    private static string Verb(bool one) => one ? "has" : "have";
}

/// <summary>What to do when several Spectrum rows land on one Procore budget code.</summary>
public enum CollisionPolicy
{
    /// <summary>One line with the sum of the rows' estimates.</summary>
    Sum,

    /// <summary>No line: the budget code is reported with its rows.</summary>
    Refuse,
}

/// <summary>A Spectrum row that makes up a plan line.</summary>
public sealed record SourceRow(string Phase, string CostType, decimal Estimate, decimal JobToDate);

/// <summary>
/// What the re-import does with one Procore budget code, and why. <see cref="From"/> is the Procore amount before, and
/// <see cref="To"/> the amount after (for creates and updates). <see cref="Sources"/> are the Spectrum rows it is made
/// of (their sum is <see cref="Estimate"/>); <see cref="Phase"/> and <see cref="CostType"/> are the first of them.
/// Ids are Procore's where they already exist. <see cref="Warning"/> is something the operator should look at.
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
    public IReadOnlyList<SourceRow> Sources { get; init; } = [];

    public string? Warning { get; init; }

    public bool IsWrite => Kind is PlanKind.Create or PlanKind.Update;

    /// <summary>Spectrum has a positive estimate for it, and the plan does not put it in Procore.</summary>
    public bool IsLeftOut => Estimate > 0m && Kind is PlanKind.Unmapped or PlanKind.Skipped;

    /// <summary>The budget code as Procore writes it: <c>01-3100.L</c>.</summary>
    public string BudgetCode => $"{CostCode}.{ProcoreCostType}";
}

/// <summary>The three totals an operator compares, to the cent, and the Spectrum money the plan cannot bring into Procore.</summary>
/// <param name="SpectrumTotal">Every current estimate of the job in Spectrum.</param>
/// <param name="ProcoreTotal">Every original budget amount of the project in Procore now.</param>
/// <param name="NewProcoreTotal">What Procore's total will be once the plan is written.</param>
/// <param name="LeftOut">The lines with a positive estimate that the plan leaves out of Procore, and their sum.</param>
public sealed record BudgetTotals(decimal SpectrumTotal, decimal ProcoreTotal, decimal NewProcoreTotal, LeftOutMoney LeftOut);

/// <summary>Spectrum estimates above zero that a re-import does not put in Procore: how many lines, and how much.</summary>
public sealed record LeftOutMoney(int Lines, decimal Amount)
{
    public static LeftOutMoney None { get; } = new(0, 0m);

    public static LeftOutMoney Of(IEnumerable<PlanLine> lines)
    {
        var list = lines.ToList();
        return new(list.Count, list.Sum(l => l.Estimate));
    }

    /// <summary>"40 lines, 68,878.00": the count and the amount, as the run's messages say them (never rounded).</summary>
    public override string ToString() =>
        $"{Lines} {(Lines == 1 ? "line" : "lines")}, {(Money.IsMoney(Amount) ? Money.Format(Amount) : Amount.ToString(CultureInfo.InvariantCulture))}";
}

/// <param name="NewCostCodes">The cost codes (with their parent tiers) the plan's creates need, by full code.</param>
/// <param name="NewBudgetCodes">How many budget codes the plan's creates need.</param>
public sealed record BudgetPlan(
    IReadOnlyList<PlanLine> Lines,
    BudgetTotals Totals,
    IReadOnlyList<DuplicateRows> Duplicates,
    IReadOnlyList<string> NewCostCodes,
    int NewBudgetCodes)
{
    public IReadOnlyDictionary<PlanKind, int> Counts =>
        Enum.GetValues<PlanKind>().ToDictionary(k => k, k => Lines.Count(l => l.Kind == k));

    public IEnumerable<PlanLine> Writes => Lines.Where(l => l.IsWrite);

    /// <summary>One sentence per phase × cost type that Spectrum returned more than once.</summary>
    public IEnumerable<string> DuplicateNotes => Duplicates.Select(d =>
        $"Spectrum returned {d.Count} rows for phase {d.Phase} cost type {d.CostType}; they were summed to {Money.Format(d.EstimateTotal)}");

    /// <summary>Lines Procore holds twice: the run cannot finish them, so it is at best partially successful.</summary>
    public IEnumerable<PlanLine> DuplicatesInProcore => Lines.Where(l => l.Rule == LineRules.DuplicateInProcore);

    /// <summary>Lines left out because Spectrum's amount is not money: the run cannot call itself a success with them.</summary>
    public IEnumerable<PlanLine> AmountsNotMoney => Lines.Where(l => l.Rule == LineRules.AmountNotMoney);

    /// <summary>
    /// The groups with a positive estimate that the plan does not put in Procore as Spectrum has them: unmapped (no cost
    /// code, no cost type, a phase outside the mask, a collision refused, an amount that is not money) or on a budget code
    /// Procore holds twice. A run that leaves any out is not a success.
    /// </summary>
    public IEnumerable<PlanLine> LeftOut => Lines.Where(l => l.IsLeftOut);

    /// <summary>
    /// One sentence per reason that lines are left out, with their count and amount and what would bring them in. Lines
    /// held twice in Procore or whose amount is not money are left out of these: each is named on its own
    /// (<see cref="DuplicatesInProcore"/>, <see cref="AmountsNotMoney"/>), with its amount.
    /// </summary>
    public IEnumerable<string> LeftOutNotes => LeftOut.Where(l => l.Rule is not (LineRules.DuplicateInProcore or LineRules.AmountNotMoney))
        .GroupBy(l => l.Rule ?? "")
        .Select(g => (Rule: g.Key, Money: LeftOutMoney.Of(g)))
        .Select(x => $"{x.Money}, {LeftOutReasons.Of(x.Rule, x.Money.Lines == 1)}");

    /// <summary>One sentence per line that carries a warning.</summary>
    public IEnumerable<string> Warnings => Lines.Where(l => l.Warning is not null).Select(l => $"{l.BudgetCode}: {l.Warning}");
}

/// <summary>Options of the plan that are decisions, not facts (but for <see cref="ErpOwnsCostCodes"/>, a fact of the project).</summary>
/// <param name="ErpOwnsCostCodes">Procore marks the project ERP-integrated: its cost codes are never created here.</param>
public sealed record PlanPolicy(
    bool CreateMissingCostCodes,
    bool CreateMissingCostTypes,
    CollisionPolicy OnCollision = CollisionPolicy.Sum,
    bool ErpOwnsCostCodes = false)
{
    public static PlanPolicy Default { get; } = new(CreateMissingCostCodes: true, CreateMissingCostTypes: false);
}

/// <summary>Amounts as operators read them: thousands separated, two decimals, invariant culture.</summary>
public static class Money
{
    /// <summary>The largest amount Spectrum's own numeric format holds: 10 integer digits and 2 decimals (<c>-10.2</c>).</summary>
    public const decimal Largest = 9_999_999_999.99m;

    public static string Format(decimal amount) => amount.ToString("#,##0.00", CultureInfo.InvariantCulture);

    /// <summary>Whole cents within Spectrum's format: an amount both systems hold exactly.</summary>
    public static bool IsMoney(decimal amount) => decimal.Round(amount, 2) == amount && Math.Abs(amount) <= Largest;
}
