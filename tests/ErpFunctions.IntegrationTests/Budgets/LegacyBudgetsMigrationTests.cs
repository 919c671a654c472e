using Azure.Data.Tables;
using ErpFunctions.Budgets;
using ErpFunctions.Domain.Runs;
using ErpFunctions.Storage;
using ErpFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ErpFunctions.IntegrationTests.Budgets;

/// <summary>A deployment of an earlier version keeps what its merged budgets table held.</summary>
public class LegacyBudgetsMigrationTests
{
    [Fact]
    public async Task Copies_each_job_of_the_earlier_budgets_table_into_its_concerns_once()
    {
        await using var harness = await ReimportHarness.StartAsync();
        var run = await harness.QueueRunAsync("77-100");
        await harness.Runs.ChangeAsync(run.RunId, r => r with { Status = RunStatus.Failed, CompletedAt = r.CreatedAt }, default);
        var tables = harness.Services.GetRequiredService<StorageTables>();
        // A run from before the latest runs were kept apart has no row of its own there.
        await (await tables.GetAsync(StorageTables.LastRuns, default)).DeleteEntityAsync("ABC", "77-100");
        var legacy = tables.Service.GetTableClient(harness.Settings["Storage:TablePrefix"] + LegacyBudgetsMigration.LegacyTable);
        await legacy.CreateIfNotExistsAsync();
        await legacy.AddEntityAsync(new TableEntity("ABC", "77-100")
        {
            ["Company"] = "ABC", ["Job"] = "77-100", ["JobName"] = "Depot", ["JobStatus"] = "A", ["Linked"] = true, ["ProjectId"] = 3000000777L,
            ["ProjectName"] = "Depot", ["LinkSource"] = "origin_id", ["LinkProblem"] = "", ["RefreshedAt"] = DateTimeOffset.UnixEpoch,
            ["RefreshProblem"] = "", ["SpectrumTotal"] = "1234.56", ["ProcoreTotal"] = "1000.00", ["NewProcoreTotal"] = "1234.56",
            ["TotalsAsOf"] = DateTimeOffset.UnixEpoch, ["Available"] = true, ["BlockedBy"] = "", ["BlockedReason"] = "",
            ["LastImportedAt"] = DateTimeOffset.UnixEpoch, ["Imported"] = true, ["ImportedSpectrumTotal"] = "1234.56",
            ["ImportedProcoreTotal"] = "1234.56", ["ImportedSpectrumFingerprint"] = "s1", ["ImportedProcoreFingerprint"] = "p1",
            ["EstimateShape"] = "shape", ["BudgetViewId"] = 55L, ["LastRunId"] = run.RunId,
        });
        await legacy.AddEntityAsync(new TableEntity("ABC", "77-101")
        {
            ["Company"] = "ABC", ["Job"] = "77-101", ["JobName"] = "Yard", ["Linked"] = false, ["LinkProblem"] = "No Procore project has job 77-101",
        });
        var migration = harness.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<LegacyBudgetsMigration>().Single();

        var copied = await migration.MigrateAsync(default);
        var again = await migration.MigrateAsync(default);

        (copied, again).Should().Be((2, 0), "the table is copied once");
        var synced = (await harness.Budgets.ListAsync("ABC", BudgetFilter.Synced, false, 50, null, default)).Entries.Should().ContainSingle().Subject;
        synced.Should().Match<BudgetEntry>(e => e.Job == "77-100" && e.ProjectId == 3000000777L && e.JobName == "Depot" && e.LinkProblem == null
            && e.SpectrumTotal == 1234.56m && e.TotalsAsOf == DateTimeOffset.UnixEpoch && e.Available == true && e.BlockedBy == null
            && e.Import!.SpectrumFingerprint == "s1" && e.EstimateShape == "shape" && e.BudgetViewId == 55L && e.LastRunId == run.RunId);
        (await harness.Budgets.ListAsync("ABC", BudgetFilter.NotLinked, false, 50, null, default)).Entries
            .Should().ContainSingle(e => e.Job == "77-101" && e.LinkProblem == "No Procore project has job 77-101");
        await legacy.DeleteAsync();
    }
}
