using ErpFunctions.Domain.Runs;
using ErpFunctions.TestSupport;
using ErpFunctions.Domain.Prerequisites;
using ErpFunctions.Procore;
using ErpFunctions.Runs;

namespace ErpFunctions.IntegrationTests.Reimport;

/// <summary>Each prerequisite failing against the real simulators: the run is blocked, says why, and writes nothing.</summary>
public class PrerequisiteTests : IAsyncLifetime
{
    private ReimportHarness harness = null!;

    public async Task InitializeAsync() => harness = await ReimportHarness.StartAsync();

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Theory]
    [InlineData("26-606", PrerequisiteCode.JobNotLinked)]
    [InlineData("99-999", PrerequisiteCode.JobNotLinked)]
    [InlineData("21-150", PrerequisiteCode.BudgetToolInactive)]
    [InlineData("26-607", PrerequisiteCode.ProcoreBudgetLocked)]
    [InlineData("25-505", PrerequisiteCode.SpectrumBudgetNotLocked)]
    public async Task Blocks_the_run_with_zero_writes(string job, PrerequisiteCode code)
    {
        var run = await harness.RunAsync(job);

        run.Status.Should().Be(RunStatus.Blocked);
        run.Prerequisites.Where(p => p.State == PrerequisiteState.Failed).Select(p => p.Code).Should().Equal(code);
        run.Messages.Should().ContainSingle().Which.Should().StartWith(code.ToString());
        harness.ProcoreWrites.Should().BeEmpty();
        (await harness.Runs.GetLinesAsync(run.RunId, default)).Should().BeEmpty();
    }

    [Fact]
    public async Task Blocks_when_the_estimate_entries_are_not_posted()
    {
        harness.Spectrum.Data.SetUdf("ABC", "22-208", 2, "N");

        var run = await harness.RunAsync("22-208");

        run.Status.Should().Be(RunStatus.Blocked);
        run.Prerequisites.Single(p => p.State == PrerequisiteState.Failed).Code.Should().Be(PrerequisiteCode.EstimatesNotPosted);
        harness.ProcoreWrites.Should().BeEmpty();
    }

    [Fact]
    public async Task Blocks_an_operator_below_Standard()
    {
        var run = await harness.RunAsync("22-208", AccessLevel.ReadOnly);

        run.Status.Should().Be(RunStatus.Blocked);
        run.Prerequisites.Single(p => p.State == PrerequisiteState.Failed).Code.Should().Be(PrerequisiteCode.PermissionDenied);
        harness.ProcoreWrites.Should().BeEmpty();
    }

    [Fact]
    public async Task Reports_every_failure_in_one_run()
    {
        harness.Spectrum.Data.SetUdf("ABC", "22-208", 1, "");
        harness.Spectrum.Data.SetUdf("ABC", "22-208", 2, "");
        harness.Procore.State.Write(s => s.Projects.Single(p => p.OriginId == "22-208").BudgetLocked = true);

        var run = await harness.RunAsync("22-208", AccessLevel.None);

        run.Prerequisites.Where(p => p.State == PrerequisiteState.Failed).Select(p => p.Code).Should().BeEquivalentTo(
        [
            PrerequisiteCode.PermissionDenied, PrerequisiteCode.ProcoreBudgetLocked,
            PrerequisiteCode.SpectrumBudgetNotLocked, PrerequisiteCode.EstimatesNotPosted,
        ]);
        run.Messages.Should().HaveCount(4);
        harness.ProcoreWrites.Should().BeEmpty();
    }

    [Fact]
    public async Task Records_unconfigured_Spectrum_checks_as_not_verified_and_runs()
    {
        await using var unconfigured = await ReimportHarness.StartAsync(s =>
        {
            s.Remove("Reimport:SpectrumBudgetLockedUdf");
            s.Remove("Reimport:EstimatesPostedUdf");
        });

        var run = await unconfigured.RunAsync("25-505", operatorAccess: null);

        run.Status.Should().Be(RunStatus.Succeeded);
        run.Prerequisites.Where(p => p.State == PrerequisiteState.NotVerified).Select(p => p.Code).Should().BeEquivalentTo(
            [PrerequisiteCode.PermissionDenied, PrerequisiteCode.SpectrumBudgetNotLocked, PrerequisiteCode.EstimatesNotPosted]);
    }
}
