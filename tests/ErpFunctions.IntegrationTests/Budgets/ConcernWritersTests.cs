using ErpFunctions.Budgets;
using ErpFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ErpFunctions.IntegrationTests.Budgets;

/// <summary>Each concern of a job's entry has its own row and writer: writers of different concerns never undo each other.</summary>
public class ConcernWritersTests : IAsyncLifetime
{
    private ReimportHarness harness = null!;

    public async Task InitializeAsync() => harness = await ReimportHarness.StartAsync();

    public async Task DisposeAsync() => await harness.DisposeAsync();

    private T Get<T>() where T : notnull => harness.Services.GetRequiredService<T>();

    [Fact]
    public async Task A_link_written_from_an_entry_read_before_an_import_keeps_the_import()
    {
        var listings = Get<JobListings>();
        await listings.ChangeAsync("ABC", "77-001", _ => new JobListing("ABC", "77-001", "Depot", "A"), default);
        var readBefore = await harness.Budgets.FindAsync("ABC", "77-001", default);

        // The run finishes while the link writer holds what it read.
        await Get<ImportBaselines>().SaveAsync("ABC", "77-001", new ImportBaseline(DateTimeOffset.UnixEpoch, 10m, 10m, "s", "p"), default);
        await Get<BudgetSnapshots>().ChangeAsync("ABC", "77-001", s => (s ?? new BudgetSnapshot()) with { SpectrumTotal = 10m }, default);
        await listings.ChangeAsync("ABC", "77-001", current => (current ?? readBefore!.Listing!) with
        {
            ProjectId = 3000000999, ProjectName = "Depot", LinkSource = "origin_id",
        }, default);

        readBefore!.IsSynced.Should().BeFalse("the link writer read the job before it was imported");
        var synced = await harness.Budgets.ListAsync("ABC", BudgetFilter.Synced, includeCompleted: false, 50, null, default);
        synced.Entries.Should().ContainSingle(e => e.Job == "77-001").Which.Should().Match<BudgetEntry>(e =>
            e.ProjectId == 3000000999 && e.JobName == "Depot" && e.SpectrumTotal == 10m && e.LastImportedAt == DateTimeOffset.UnixEpoch);
        (await harness.Budgets.ListAsync("ABC", BudgetFilter.Ready, includeCompleted: false, 50, null, default)).Entries
            .Should().NotContain(e => e.Job == "77-001");
    }

    [Fact]
    public async Task Writers_of_different_concerns_at_the_same_moment_all_keep_their_fields()
    {
        var listings = Get<JobListings>();
        var snapshots = Get<BudgetSnapshots>();
        var reads = Get<JobReads>();
        var writes = Enumerable.Range(0, 10).SelectMany(i => new[]
        {
            (Func<Task>)(() => listings.ChangeAsync("ABC", "77-002", c => (c ?? new JobListing("ABC", "77-002")) with { JobName = $"Name {i}" }, default)),
            () => snapshots.ChangeAsync("ABC", "77-002", s => (s ?? new BudgetSnapshot()) with { RefreshProblem = $"Problem {i}" }, default),
            () => snapshots.ChangeAsync("ABC", "77-002", s => (s ?? new BudgetSnapshot()) with { SpectrumTotal = (s?.SpectrumTotal ?? 0m) + 1m }, default),
            () => reads.SaveAsync("ABC", "77-002", new JobRead($"shape {i}", null), default),
            () => reads.SaveAsync("ABC", "77-002", new JobRead(null, 500 + i), default),
        });

        await Task.WhenAll(writes.Select(write => Task.Run(write)));

        var entry = (await harness.Budgets.FindAsync("ABC", "77-002", default))!;
        entry.JobName.Should().StartWith("Name ");
        entry.RefreshProblem.Should().StartWith("Problem ");
        entry.SpectrumTotal.Should().Be(10m, "ten increments of one row, each read and written under its ETag, lose none");
        entry.EstimateShape.Should().StartWith("shape ");
        entry.BudgetViewId.Should().BeInRange(500, 509);
    }
}
