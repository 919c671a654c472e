using ErpFunctions.Domain.Planning;
using ErpFunctions.Domain.Runs;
using ErpFunctions.TestSupport;
using ErpFunctions.Reimport;
using ErpFunctions.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace ErpFunctions.IntegrationTests.Runs;

public class RunStoreTests : IAsyncLifetime
{
    private ReimportHarness harness = null!;

    public async Task InitializeAsync() => harness = await ReimportHarness.StartAsync();

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task Applies_each_change_to_the_run_as_it_is_so_that_a_writer_that_read_it_earlier_cannot_undo_a_newer_state()
    {
        var run = await harness.QueueRunAsync("22-208");
        var readEarlier = await harness.Runs.FindAsync(run.RunId, default);
        await harness.Runs.ChangeAsync(run.RunId, r => r with { Status = RunStatus.Failed, Error = "given up" }, default);

        var late = () => harness.Runs.ChangeAsync(run.RunId, r => r with { Status = RunStatus.Running }, default);

        readEarlier!.Status.Should().Be(RunStatus.Queued);
        await late.Should().ThrowAsync<RunTransitionException>("the change is checked against the run as stored: Failed");
        var stored = await harness.Runs.FindAsync(run.RunId, default);
        (stored!.Status, stored.Error).Should().Be((RunStatus.Failed, "given up"));
    }

    [Fact]
    public async Task Keeps_every_change_of_writers_changing_a_run_at_once()
    {
        var run = await harness.QueueRunAsync("22-208");

        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() =>
            harness.Runs.ChangeAsync(run.RunId, r => r with { Messages = [.. r.Messages, $"note {i}"] }, default))));

        (await harness.Runs.FindAsync(run.RunId, default))!.Messages.Should().HaveCount(10).And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Never_moves_a_finished_run()
    {
        var run = await harness.QueueRunAsync("22-208");
        await harness.Runs.ChangeAsync(run.RunId, r => r with { Status = RunStatus.Failed }, default);

        var reopen = () => harness.Runs.ChangeAsync(run.RunId, r => r with { Status = RunStatus.Running }, default);

        await reopen.Should().ThrowAsync<RunTransitionException>();
    }

    [Fact]
    public async Task Never_shows_a_finished_run_unfinished_again_as_the_job_s_latest_run()
    {
        var run = await harness.QueueRunAsync("22-208");
        await harness.Runs.ChangeAsync(run.RunId, r => r with { Status = RunStatus.Running }, default);
        var running = await harness.Runs.FindAsync(run.RunId, default);
        await harness.Runs.ChangeAsync(run.RunId, r => r with { Status = RunStatus.Succeeded, CompletedAt = r.CreatedAt.AddMinutes(1) }, default);

        // A request that raced the worker records the run as it found it a moment earlier: still Running.
        await harness.Services.GetRequiredService<LastRuns>().RecordAsync(running!, default);

        (await harness.Budgets.FindAsync("ABC", "22-208", default))!.LastRunStatus.Should().Be(RunStatus.Succeeded);
    }

    [Fact]
    public async Task Lists_a_job_runs_newest_first_and_finds_the_queued_one()
    {
        var older = await harness.QueueRunAsync("22-208");
        await harness.Runs.ChangeAsync(older.RunId, r => r with { Status = RunStatus.Failed }, default);
        var newer = await harness.QueueRunAsync("22-208");
        await harness.QueueRunAsync("19-101");

        var listed = await harness.Runs.ListForJobAsync("ABC", "22-208", 10, default);

        listed.Select(r => r.RunId).Should().Equal(newer.RunId, older.RunId);
        listed.Select(r => r.Status).Should().Equal(RunStatus.Queued, RunStatus.Failed);
        (await harness.Runs.FindQueuedRunAsync("ABC", "22-208", default))!.RunId.Should().Be(newer.RunId);
        await harness.Runs.ChangeAsync(newer.RunId, r => r with { Status = RunStatus.Running }, default);
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
