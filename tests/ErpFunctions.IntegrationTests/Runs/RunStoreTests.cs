using ErpFunctions.Domain.Planning;
using ErpFunctions.Domain.Runs;
using ErpFunctions.TestSupport;
using ErpFunctions.Reimport;
using ErpFunctions.Runs;

namespace ErpFunctions.IntegrationTests.Runs;

public class RunStoreTests : IAsyncLifetime
{
    private ReimportHarness harness = null!;

    public async Task InitializeAsync() => harness = await ReimportHarness.StartAsync();

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task Rejects_a_status_write_from_a_stale_copy_and_keeps_the_newer_state()
    {
        var run = await harness.QueueRunAsync("22-208");
        var mine = await harness.Runs.FindAsync(run.RunId, default);
        var theirs = await harness.Runs.FindAsync(run.RunId, default);
        await harness.Runs.UpdateAsync(theirs!, theirs! with { Status = RunStatus.Failed, Error = "given up" }, default);

        var stale = () => harness.Runs.UpdateAsync(mine!, mine! with { Status = RunStatus.Running }, default);

        await stale.Should().ThrowAsync<StaleRunUpdateException>();
        var stored = await harness.Runs.FindAsync(run.RunId, default);
        (stored!.Status, stored.Error).Should().Be((RunStatus.Failed, "given up"));
    }

    [Fact]
    public async Task Never_moves_a_finished_run()
    {
        var run = await harness.QueueRunAsync("22-208");
        var failed = await harness.Runs.UpdateAsync(run, run with { Status = RunStatus.Failed }, default);

        var reopen = () => harness.Runs.UpdateAsync(failed, failed with { Status = RunStatus.Running }, default);

        await reopen.Should().ThrowAsync<RunTransitionException>();
    }

    [Fact]
    public async Task Lists_a_job_runs_newest_first_and_finds_the_queued_one()
    {
        var older = await harness.QueueRunAsync("22-208");
        await harness.Runs.UpdateAsync(older, older with { Status = RunStatus.Failed }, default);
        var newer = await harness.QueueRunAsync("22-208");
        await harness.QueueRunAsync("19-101");

        var listed = await harness.Runs.ListForJobAsync("ABC", "22-208", 10, default);

        listed.Select(r => r.RunId).Should().Equal(newer.RunId, older.RunId);
        listed.Select(r => r.Status).Should().Equal(RunStatus.Queued, RunStatus.Failed);
        (await harness.Runs.FindQueuedRunAsync("ABC", "22-208", default))!.RunId.Should().Be(newer.RunId);
        await harness.Runs.UpdateAsync(newer, newer with { Status = RunStatus.Running }, default);
        (await harness.Runs.FindQueuedRunAsync("ABC", "22-208", default)).Should().BeNull("a running run is not joined");
    }

    [Fact]
    public async Task Keeps_every_line_of_a_large_run_with_amounts_to_the_cent()
    {
        var run = await harness.QueueRunAsync("22-208");
        var lines = Enumerable.Range(1, 250).Select(i => new RunLine(i,
            new PlanLine(PlanKind.Update, $"{i:000000}", "L", $"01-{i:0000}", "L", "d", i + 0.01m, 0m, i + 0.02m, i + 0.01m, null, "r", i),
            LineOutcome.Written, null)).ToList();

        await harness.Runs.SaveLinesAsync(run.RunId, lines, default);
        var read = await harness.Runs.GetLinesAsync(run.RunId, default);

        read.Should().BeEquivalentTo(lines, o => o.WithStrictOrdering());
    }
}
