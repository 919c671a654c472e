using ErpFunctions.Diagnostics;
using ErpFunctions.Domain.Jobs;
using ErpFunctions.Domain.Mapping;
using ErpFunctions.Domain.Planning;
using ErpFunctions.Domain.Runs;
using Microsoft.Extensions.Logging;

namespace ErpFunctions.Procore;

/// <summary>
/// Writes a plan's creates and updates: the cost codes, cost types and budget codes they need first, then the lines
/// through the budget sync (<see cref="ProcoreLineSync"/>), then reads the budget back so that every line's outcome is
/// what Procore holds, not what it answered, and every budget code that does not hold what the plan expected is named.
/// Everything is keyed by Procore id or budget code, so writing the same plan again (after a crash at any point)
/// converges on the same budget and never doubles a line.
/// </summary>
internal sealed partial class ProcoreBudgetWriter(
    IProcoreCostStructure structure,
    ProcoreBudgetReader reader,
    ProcoreLineSync lines,
    ILogger<ProcoreBudgetWriter> logger)
{
    /// <param name="beforeEachWrite">Called before every write call and before the read-back; it throws to stop there.</param>
    public async Task<WriteReport> WriteAsync(CallContext calls, JobNumber job, BudgetPlan plan, ProjectBudget snapshot,
        Func<CancellationToken, Task> beforeEachWrite, CancellationToken cancellationToken)
    {
        var writes = plan.Lines.Select((line, index) => (Line: line, Index: index + 1)).Where(w => w.Line.IsWrite).ToList();
        if (writes.Count == 0)
        {
            return new WriteReport(new Dictionary<int, LineWrite>(), snapshot.Total, []) { ProcoreFingerprint = snapshot.Fingerprint };
        }

        var messages = new List<string>();
        var failures = new Dictionary<int, string>();
        var projectId = snapshot.ProjectId;

        var costCodes = snapshot.CostCodes.GroupBy(c => c.FullCode).ToDictionary(g => g.Key, g => g.First().Id);
        var costCodesCreated = await EnsureCostCodesAsync(calls, projectId, job, writes.Where(w => w.Line.CostCodeId is null).Select(w => w.Line),
            costCodes, messages, beforeEachWrite, cancellationToken);

        var costTypes = snapshot.CostTypes.GroupBy(t => t.Code, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Id, StringComparer.OrdinalIgnoreCase);
        await EnsureCostTypesAsync(calls, writes.Where(w => w.Line.CostTypeId is null).Select(w => w.Line), costTypes, messages, beforeEachWrite,
            cancellationToken);

        var keyed = new List<(PlanLine Line, int Index, (long CostCode, long CostType) Key)>();
        foreach (var (line, index) in writes)
        {
            var costCode = line.CostCodeId ?? costCodes.GetValueOrDefault(line.CostCode ?? "");
            var costType = line.CostTypeId ?? costTypes.GetValueOrDefault(line.ProcoreCostType ?? "");
            if (costCode == 0 || costType == 0)
            {
                failures[index] = costCode == 0 ? $"Procore did not create cost code {line.CostCode}" : $"Procore did not create cost type {line.ProcoreCostType}";
                continue;
            }

            keyed.Add((line, index, (costCode, costType)));
        }

        var budgetCodes = new Dictionary<(long, long), long>(snapshot.BudgetCodes);
        var budgetCodesCreated = await EnsureBudgetCodesAsync(calls, projectId,
            keyed.Select(k => k.Key).Where(k => !budgetCodes.ContainsKey(k)).Distinct().ToList(),
            costCodes, costTypes, budgetCodes, messages, beforeEachWrite, cancellationToken);

        var items = new List<LineItem>();
        foreach (var (line, index, key) in keyed)
        {
            if (budgetCodes.TryGetValue(key, out var budgetCode))
            {
                items.Add(new LineItem(index, key, new BudgetLineWrite(line.BudgetLineId, budgetCode, line.To!.Value)));
            }
            else
            {
                failures[index] = $"Procore did not create budget code {line.BudgetCode}";
            }
        }

        var refusals = await lines.SendAsync(calls, projectId, snapshot.BudgetViewId, items, beforeEachWrite, cancellationToken);
        messages.Add($"Sent {items.Count} budget line(s) to Procore; it refused {refusals.Count}");

        await beforeEachWrite(cancellationToken);
        var (outcomes, rows) = await ReconcileAsync(calls, projectId, snapshot.BudgetViewId, items, refusals, beforeEachWrite, cancellationToken);
        foreach (var (index, message) in failures)
        {
            outcomes[index] = new LineWrite(LineOutcome.Failed, message, null);
        }

        var names = new BudgetCodeNames(costCodes, costTypes);
        var keyedIndexes = keyed.Select(k => k.Index).ToHashSet();
        var differences = Differences(snapshot, keyed.Select(k => (k.Key, k.Line.To!.Value)), rows, names)
            .Concat(writes.Where(w => failures.ContainsKey(w.Index) && !keyedIndexes.Contains(w.Index))
                .Select(w => new BudgetDifference(w.Line.BudgetCode, w.Line.To!.Value, 0m)))
            .ToList();
        LogWritten(projectId, items.Count, outcomes.Values.Count(o => o.Outcome == LineOutcome.Failed), differences.Count);
        return new WriteReport(outcomes, rows.Sum(r => r.OriginalBudgetAmount), messages)
        {
            CostCodesCreated = costCodesCreated,
            BudgetCodesCreated = budgetCodesCreated,
            Differences = differences,
            ProcoreFingerprint = ProcoreBudgetSnapshots.FingerprintOf(rows),
        };
    }

    /// <summary>
    /// Each written line's outcome as Procore holds it, and the budget as it is after the write. A line that exists
    /// with another amount (made by an earlier, interrupted run) is updated by id; one that Procore holds twice is failed
    /// and named, with both lines.
    /// </summary>
    private async Task<(Dictionary<int, LineWrite> Outcomes, IReadOnlyList<ProcoreBudgetRow> Rows)> ReconcileAsync(CallContext calls, long projectId,
        long viewId, IReadOnlyList<LineItem> items, IReadOnlyDictionary<int, string> refusals, Func<CancellationToken, Task> beforeEachWrite,
        CancellationToken cancellationToken)
    {
        var rows = await reader.ReadLineRowsAsync(calls, projectId, viewId, cancellationToken);
        var rowsByKey = rows.ToLookup(r => (r.CostCodeId!.Value, r.CategoryId!.Value));
        var outcomes = new Dictionary<int, LineWrite>();
        var repairs = new List<LineItem>();
        foreach (var item in items)
        {
            var refusal = refusals.GetValueOrDefault(item.Index);
            switch (rowsByKey[item.Key].ToList())
            {
                case [var row] when row.OriginalBudgetAmount == item.Write.OriginalBudgetAmount:
                    outcomes[item.Index] = new LineWrite(LineOutcome.Written, null, row.Id);
                    break;
                case [var row] when refusal is null || refusal.Contains(SyncError.BudgetCodeExists, StringComparison.OrdinalIgnoreCase):
                    repairs.Add(item with { Write = item.Write with { Id = row.Id } });
                    break;
                case [var row]:
                    outcomes[item.Index] = new LineWrite(LineOutcome.Failed, refusal, row.Id);
                    break;
                case []:
                    outcomes[item.Index] = new LineWrite(LineOutcome.Failed, refusal ?? "Procore does not show the line after the write", null);
                    break;
                case var twice:
                    outcomes[item.Index] = new LineWrite(LineOutcome.Failed,
                        $"{LineRules.DuplicateInProcore}: Procore now holds {twice.Count} lines on this budget code: "
                        + string.Join(", ", twice.Select(r => $"line {r.Id} of {Money.Format(r.OriginalBudgetAmount)}")), twice[0].Id);
                    break;
            }
        }

        if (repairs.Count == 0)
        {
            return (outcomes, rows);
        }

        // The line exists but holds another amount (e.g. created by an earlier, interrupted run): update it by id.
        var repairRefusals = await lines.SendAsync(calls, projectId, viewId, repairs, beforeEachWrite, cancellationToken);
        await beforeEachWrite(cancellationToken);
        var repaired = await reader.ReadLineRowsAsync(calls, projectId, viewId, cancellationToken);
        var repairedById = repaired.Where(r => r.Id is not null).GroupBy(r => r.Id!.Value).ToDictionary(g => g.Key, g => g.First());
        foreach (var item in repairs)
        {
            var row = repairedById.GetValueOrDefault(item.Write.Id!.Value);
            outcomes[item.Index] = row?.OriginalBudgetAmount == item.Write.OriginalBudgetAmount
                ? new LineWrite(LineOutcome.Written, null, item.Write.Id)
                : new LineWrite(LineOutcome.Failed, repairRefusals.GetValueOrDefault(item.Index) ?? "Procore did not take the amount", item.Write.Id);
        }

        return (outcomes, repaired);
    }

    /// <summary>
    /// Every budget code whose amount read back is not what the plan expected: the planned amount where a line was to be
    /// written, else what Procore held before.
    /// </summary>
    private static IEnumerable<BudgetDifference> Differences(ProjectBudget before, IEnumerable<((long, long) Key, decimal Planned)> written,
        IReadOnlyList<ProcoreBudgetRow> after, BudgetCodeNames names)
    {
        var expected = before.Lines.GroupBy(l => (l.CostCodeId, l.CostTypeId)).ToDictionary(g => g.Key, g => g.Sum(l => l.Amount));
        foreach (var (key, planned) in written)
        {
            expected[key] = planned;
        }

        var actual = after.GroupBy(r => (r.CostCodeId!.Value, r.CategoryId!.Value))
            .ToDictionary(g => g.Key, g => (Amount: g.Sum(r => r.OriginalBudgetAmount), Row: g.First()));
        return expected.Keys.Union(actual.Keys)
            .Select(key => (Key: key, Expected: expected.GetValueOrDefault(key), Actual: actual.GetValueOrDefault(key)))
            .Where(x => x.Expected != x.Actual.Amount)
            .Select(x => new BudgetDifference(names.Of(x.Key, x.Actual.Row), x.Expected, x.Actual.Amount));
    }

    /// <summary>Budget codes as operators read them (<c>01-3100.L</c>), from the ids this write knows.</summary>
    private sealed class BudgetCodeNames(Dictionary<string, long> costCodes, Dictionary<string, long> costTypes)
    {
        private readonly Dictionary<long, string> costCodeById = costCodes.ToDictionary(c => c.Value, c => c.Key);
        private readonly Dictionary<long, string> costTypeById = costTypes.ToDictionary(t => t.Value, t => t.Key);

        public string Of((long CostCode, long CostType) key, ProcoreBudgetRow? row) =>
            $"{costCodeById.GetValueOrDefault(key.CostCode) ?? row?.CostCode ?? key.CostCode.ToString()}."
            + $"{costTypeById.GetValueOrDefault(key.CostType) ?? row?.Category ?? key.CostType.ToString()}";
    }

    /// <summary>Creates missing cost codes tier by tier (division before its codes), each tier in one sync call; answers how many.</summary>
    private async Task<int> EnsureCostCodesAsync(CallContext calls, long projectId, JobNumber job, IEnumerable<PlanLine> lines,
        Dictionary<string, long> costCodes, List<string> messages, Func<CancellationToken, Task> beforeEachWrite, CancellationToken cancellationToken)
    {
        var leaves = lines.Where(l => l.CostCode is not null).GroupBy(l => l.CostCode!).ToDictionary(g => g.Key, g => g.First());
        var tiers = leaves.Keys.Select(calls.Company.Rules.Mapping.Mask.Tiers).ToList();
        var depth = tiers.Count == 0 ? 0 : tiers.Max(t => t.Count);
        var created = 0;
        for (var level = 0; level < depth; level++)
        {
            var missing = tiers.Where(t => t.Count > level && !costCodes.ContainsKey(t[level].FullCode))
                .Select(t => (Tier: t[level], Parent: level == 0 ? null : t[level - 1].FullCode))
                .DistinctBy(t => t.Tier.FullCode).ToList();
            var updates = missing
                .Where(t => t.Parent is null || costCodes.ContainsKey(t.Parent))
                .Select(t => new CostCodeUpdate(t.Tier.Code, CostCodeName(t.Tier.FullCode, leaves),
                    $"{job}:{t.Tier.FullCode}", t.Parent is null ? null : costCodes[t.Parent]))
                .ToList();
            if (updates.Count == 0)
            {
                continue;
            }

            await beforeEachWrite(cancellationToken);
            var result = await structure.SyncCostCodesAsync(calls, projectId, updates, cancellationToken);
            foreach (var code in result.Entities)
            {
                costCodes[code.FullCode ?? code.Code] = code.Id;
            }

            created += result.Entities.Count;
            messages.AddRange(result.Errors.Select(e => $"Procore refused cost code {e.OriginId}: {e.Message}"));
        }

        if (created > 0)
        {
            messages.Add($"Created {created} cost code(s)");
        }

        return created;
    }

    private static string CostCodeName(string fullCode, Dictionary<string, PlanLine> leaves) =>
        leaves.TryGetValue(fullCode, out var line) && line.Description.Length > 0 ? line.Description : $"Cost code {fullCode}";

    private async Task EnsureCostTypesAsync(CallContext calls, IEnumerable<PlanLine> lines, Dictionary<string, long> costTypes, List<string> messages,
        Func<CancellationToken, Task> beforeEachWrite, CancellationToken cancellationToken)
    {
        var missing = lines.Select(l => (Procore: l.ProcoreCostType!, Spectrum: l.CostType))
            .Where(t => t.Procore is not null && !costTypes.ContainsKey(t.Procore)).DistinctBy(t => t.Procore.ToUpperInvariant()).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        await beforeEachWrite(cancellationToken);
        var result = await structure.SyncLineItemTypesAsync(calls,
            [.. missing.Select(t => new LineItemTypeUpdate(t.Procore, t.Procore, calls.Company.Rules.NewCostTypeBaseType, t.Spectrum))], cancellationToken);
        foreach (var type in result.Entities)
        {
            costTypes[type.Code ?? ""] = type.Id;
        }

        messages.Add($"Created {result.Entities.Count} cost type(s)");
        messages.AddRange(result.Errors.Select(e => $"Procore refused cost type {e.OriginId}: {e.Message}"));
    }

    /// <summary>Creates missing budget codes from the segment items of their cost code and cost type; answers how many.</summary>
    private async Task<int> EnsureBudgetCodesAsync(CallContext calls, long projectId, IReadOnlyList<(long CostCode, long CostType)> missing,
        Dictionary<string, long> costCodes, Dictionary<string, long> costTypes, Dictionary<(long, long), long> budgetCodes,
        List<string> messages, Func<CancellationToken, Task> beforeEachWrite, CancellationToken cancellationToken)
    {
        if (missing.Count == 0)
        {
            return 0;
        }

        var segments = await structure.ListWbsSegmentsAsync(calls, projectId, cancellationToken);
        var costCodeSegment = segments.First(s => s.Type == WbsSegmentTypes.CostCode);
        var costTypeSegment = segments.First(s => s.Type == WbsSegmentTypes.CostType);
        var codeItems = structure.ListSegmentItemsAsync(calls, projectId, costCodeSegment.Id, cancellationToken);
        var typeItems = structure.ListSegmentItemsAsync(calls, projectId, costTypeSegment.Id, cancellationToken);
        await Task.WhenAll(codeItems, typeItems);

        var codeItemByFullCode = codeItems.Result.Where(i => i.PathCode is not null).GroupBy(i => i.PathCode!).ToDictionary(g => g.Key, g => g.First().Id);
        var typeItemByCode = typeItems.Result.Where(i => i.Code is not null).GroupBy(i => i.Code!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Id, StringComparer.OrdinalIgnoreCase);
        var fullCodeById = costCodes.ToDictionary(c => c.Value, c => c.Key);
        var typeCodeById = costTypes.ToDictionary(t => t.Value, t => t.Key);

        var requests = missing
            .Select(key => (Key: key, Code: fullCodeById.GetValueOrDefault(key.CostCode), Type: typeCodeById.GetValueOrDefault(key.CostType)))
            .Where(k => k.Code is not null && k.Type is not null && codeItemByFullCode.ContainsKey(k.Code) && typeItemByCode.ContainsKey(k.Type))
            .Select(k => new WbsCodeCreate($"{k.Code}.{k.Type}",
                [(costCodeSegment.Id, codeItemByFullCode[k.Code!]), (costTypeSegment.Id, typeItemByCode[k.Type!])]))
            .ToList();
        await beforeEachWrite(cancellationToken);
        var result = await structure.BulkCreateWbsCodesAsync(calls, projectId, requests, cancellationToken);
        foreach (var created in result.Entities)
        {
            if (ProcoreBudgetSnapshots.BudgetCodeParts(created) is var (code, type)
                && costCodes.TryGetValue(code, out var costCodeId) && costTypes.TryGetValue(type, out var costTypeId))
            {
                budgetCodes[(costCodeId, costTypeId)] = created.Id;
            }
        }

        messages.Add($"Created {result.Entities.Count} budget code(s)");
        messages.AddRange(result.Errors.Select(e => $"Procore refused a budget code: {e.Message}"));
        return result.Entities.Count;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Wrote {LineCount} budget lines to project {ProjectId}; {FailedCount} not taken; {DifferenceCount} budget codes differ from the plan")]
    private partial void LogWritten(long projectId, int lineCount, int failedCount, int differenceCount);
}
