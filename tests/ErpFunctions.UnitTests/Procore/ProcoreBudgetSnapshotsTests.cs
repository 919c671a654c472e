using ErpFunctions.Domain.Planning;
using ErpFunctions.Procore;

namespace ErpFunctions.UnitTests.Procore;

public class ProcoreBudgetSnapshotsTests
{
    private static readonly ProcoreCostCode[] Codes =
    [
        new(1, "01", "General", "01", null, null),
        new(11, "3100", "Project management", "01-3100", "013100", new ProcoreReference(1)),
    ];

    private static readonly ProcoreLineItemType[] Types = [new(201, "Labor", "L", "other", "L")];

    [Fact]
    public void Resolves_budget_codes_from_segment_items_or_from_the_flat_code()
    {
        var bySegments = new ProcoreWbsCode(900, "ignored", null, "active",
        [
            new ProcoreSegmentItem(7, "3100", "PM", "01-3100", new ProcoreSegmentRef(1, "cost_code")),
            new ProcoreSegmentItem(8, "L", "Labor", "L", new ProcoreSegmentRef(2, "line_item_type")),
        ]);
        var byFlatCode = bySegments with { Id = 901, FlatCode = "01-3100.L", SegmentItems = null };

        ProcoreBudgetSnapshots.From(1, 1, Codes, ProcoreBudgetSnapshots.CostTypes(Types), [bySegments], []).BudgetCodes[(11, 201)].Should().Be(900);
        ProcoreBudgetSnapshots.From(1, 1, Codes, ProcoreBudgetSnapshots.CostTypes(Types), [byFlatCode], []).BudgetCodes[(11, 201)].Should().Be(901);
    }

    [Fact]
    public void Keeps_only_rows_that_are_budget_lines_and_totals_them()
    {
        ProcoreBudgetRow[] rows =
        [
            new(500, 900, 11, "01-3100", "013100", 201, "L", 1000.10m, true),
            new(null, null, 11, "01-3100", "013100", 201, "L", 0m, null),
        ];

        var snapshot = ProcoreBudgetSnapshots.From(1, 1, Codes, ProcoreBudgetSnapshots.CostTypes(Types), [], rows);

        snapshot.Lines.Should().ContainSingle().Which.Should().Be(new BudgetLineEntry(500, 900, 11, 201, 1000.10m));
        snapshot.Total.Should().Be(1000.10m);
        snapshot.BudgetCodes[(11, 201)].Should().Be(900);
    }
}
