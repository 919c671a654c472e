using ErpFunctions.Domain.Planning;

namespace ErpFunctions.Domain.Runs;

public enum LineOutcome
{
    /// <summary>Recorded before the write; still so after a crash, until a retry finishes.</summary>
    Planned,

    /// <summary>Procore holds the planned amount (checked by reading it back).</summary>
    Written,

    /// <summary>Procore refused the line or does not hold the planned amount.</summary>
    Failed,

    /// <summary>Nothing to write: unchanged, skipped or unmapped.</summary>
    NoWrite,
}

/// <summary>One plan line of a run (numbered from 1 in plan order), with what happened to it.</summary>
public sealed record RunLine(int Index, PlanLine Plan, LineOutcome Outcome, string? ProcoreMessage)
{
    /// <summary>The plan's lines as recorded before any write: writes are planned, the rest need none.</summary>
    public static IReadOnlyList<RunLine> Planned(BudgetPlan plan) =>
        [.. plan.Lines.Select((line, i) => new RunLine(i + 1, line, line.IsWrite ? LineOutcome.Planned : LineOutcome.NoWrite, null))];
}

/// <summary>What became of one planned write, as Procore holds it after the write.</summary>
public sealed record LineWrite(LineOutcome Outcome, string? ProcoreMessage, long? BudgetLineId);

/// <summary>A budget code whose amount in Procore, read back after the write, is not the one the plan expected.</summary>
public sealed record BudgetDifference(string BudgetCode, decimal Expected, decimal Actual)
{
    public override string ToString() =>
        $"{BudgetCode}: planned {Money.Format(Expected)}, Procore holds {Money.Format(Actual)}";
}

/// <summary>
/// The outcome of writing a plan: each written line by its index in the plan, the total read back, what was created,
/// every budget code that does not hold what the plan expected, and notes.
/// </summary>
public sealed record WriteReport(IReadOnlyDictionary<int, LineWrite> Outcomes, decimal ProcoreTotalAfter, IReadOnlyList<string> Messages)
{
    public int CostCodesCreated { get; init; }

    public int BudgetCodesCreated { get; init; }

    public IReadOnlyList<BudgetDifference> Differences { get; init; } = [];

    /// <summary>Every line's amount by id as read back (<see cref="Fingerprints.Fingerprint.Of"/>): the nightly sweep compares later reads with it.</summary>
    public string ProcoreFingerprint { get; init; } = "";

    public int Failed => Outcomes.Values.Count(o => o.Outcome == LineOutcome.Failed);

    /// <summary>The run's lines with the outcomes of those that were written.</summary>
    /// <summary>Every line of the run, the written ones with what became of them.</summary>
    public IEnumerable<RunLine> Apply(IEnumerable<RunLine> lines) => lines
        .Select(l => Outcomes.TryGetValue(l.Index, out var written) ? l with { Outcome = written.Outcome, ProcoreMessage = written.ProcoreMessage } : l);
}
