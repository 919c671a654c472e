using ErpFunctions.Domain.Planning;
using ErpFunctions.Domain.Runs;
using ErpFunctions.TestSupport;
using ErpFunctions.Runs;

namespace ErpFunctions.IntegrationTests.Reimport;

/// <summary>What a re-import spends of Procore's hourly limit, counted from the simulator's request log.</summary>
public class CallBudgetTests : IAsyncLifetime
{
    private const string Job = "40-001";
    private static readonly string[] CostTypes = ["E", "L", "M", "O", "S"];
    private ReimportHarness harness = null!;

    public async Task InitializeAsync()
    {
        harness = await ReimportHarness.StartAsync();
        harness.AddLinkedJob(Job, phases: 200, CostTypes, projectId: 3000000400);
    }

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task A_first_import_of_1000_lines_uses_at_most_20_calls()
    {
        var run = await harness.RunAsync(Job);

        run.Status.Should().Be(RunStatus.Succeeded);
        harness.ProcoreLines(Job).Should().HaveCount(1000);
        harness.Procore.ApiCalls.Should().HaveCountLessThanOrEqualTo(20);
        run.ProcoreReads.Should().Be(harness.Procore.ApiCalls.Count(c => c.Method == "GET" || c.Path == "/oauth/token"));
        run.ProcoreWrites.Should().Be(harness.ProcoreWrites.Count);
    }

    [Fact]
    public async Task A_re_import_of_1000_lines_with_50_changed_uses_at_most_15_calls_and_one_write()
    {
        await harness.RunAsync(Job);
        for (var p = 0; p < 50; p++)
        {
            harness.Spectrum.Data.SetEstimate("ABC", Job, ReimportHarness.PhaseCode(p * 4), CostTypes[p % 5], 99999.99m);
        }

        await harness.RestartServicesAsync();
        harness.Procore.Log.Clear();

        var run = await harness.RunAsync(Job);

        run.Counts[PlanKind.Update].Should().Be(50);
        harness.ProcoreLines(Job).Values.Count(v => v == 99999.99m).Should().Be(50);
        harness.Procore.ApiCalls.Should().HaveCountLessThanOrEqualTo(15);
        harness.ProcoreWrites.Should().ContainSingle();
    }

    [Fact]
    public async Task A_re_import_with_nothing_changed_writes_nothing()
    {
        await harness.RunAsync(Job);
        harness.Procore.Log.Clear();

        var run = await harness.RunAsync(Job);

        run.Counts[PlanKind.Unchanged].Should().Be(1000);
        harness.ProcoreWrites.Should().BeEmpty();
        run.ProcoreWrites.Should().Be(0);
    }
}
