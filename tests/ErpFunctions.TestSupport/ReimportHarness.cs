using ErpFunctions.Budgets;
using ErpFunctions.Domain.Planning;
using ErpFunctions.Domain.Prerequisites;
using ErpFunctions.Domain.Runs;
using ErpFunctions.Reimport;
using ErpFunctions.Runs;
using ErpFunctions.Simulators;
using ErpFunctions.Simulators.Procore;
using ErpFunctions.Simulators.Spectrum;
using ErpFunctions.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ErpFunctions.TestSupport;

/// <summary>
/// The re-import engine as the app wires it, against Azurite (tables under a prefix of its own) and both simulators
/// over real HTTP. One harness per test; tests may run in parallel.
/// </summary>
public sealed class ReimportHarness : IAsyncDisposable
{
    private readonly TimeProvider? time;

    private ReimportHarness(SpectrumSimulator spectrum, ProcoreSimulator procore, Dictionary<string, string?> settings, TimeProvider? time)
    {
        this.time = time;
        Spectrum = spectrum;
        Procore = procore;
        Settings = settings;
        Services = Build(settings, Logs, time);
    }

    /// <summary>Set by the test script to the Azurite it started; the default emulator ports otherwise.</summary>
    public static string StorageConnectionString =>
        Environment.GetEnvironmentVariable("ERPFUNCTIONS_TEST_STORAGE") is { Length: > 0 } value ? value : "UseDevelopmentStorage=true";

    public SpectrumSimulator Spectrum { get; }
    public ProcoreSimulator Procore { get; }
    public Dictionary<string, string?> Settings { get; }

    /// <summary>Every line the app logged, with its scopes (correlation id, run, job).</summary>
    public CapturedLogs Logs { get; } = new();
    public ServiceProvider Services { get; private set; }
    public ReimportEngine Engine => Services.GetRequiredService<ReimportEngine>();
    public BudgetPreviews Previews => Services.GetRequiredService<BudgetPreviews>();
    public RunStore Runs => Services.GetRequiredService<RunStore>();
    public BudgetEntries Budgets => Services.GetRequiredService<BudgetEntries>();

    /// <summary>Calls that change Procore (anything but reads and the token).</summary>
    public IReadOnlyList<RequestLogEntry> ProcoreWrites =>
        [.. Procore.ApiCalls.Where(c => c.Path.StartsWith("/rest/", StringComparison.Ordinal) && c.Method != "GET")];

    /// <param name="time">The app's clock, for a test that depends on the UTC day; the system's otherwise.</param>
    public static async Task<ReimportHarness> StartAsync(Action<Dictionary<string, string?>>? configure = null, TimeProvider? time = null)
    {
        var spectrum = await SpectrumSimulator.StartAsync();
        var procore = await ProcoreSimulator.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            [StorageOptions.ConnectionSetting] = StorageConnectionString,
            ["Storage:TablePrefix"] = "t" + Guid.NewGuid().ToString("N")[..12],
            ["Reimport:PhaseMask"] = "##-####",
            ["Reimport:CreateMissingCostCodes"] = "true",
            ["Reimport:SpectrumBudgetLockedUdf"] = "1",
            ["Reimport:EstimatesPostedUdf"] = "2",
        };
        foreach (var (key, value) in SpectrumClients.Settings(spectrum).Concat(ProcoreClients.Settings(procore)))
        {
            settings[key] = value;
        }

        configure?.Invoke(settings);
        return new ReimportHarness(spectrum, procore, settings, time);
    }

    /// <summary>Rebuilds the services, as a new worker process would (no cached token, same storage).</summary>
    public async Task RestartServicesAsync()
    {
        await Services.DisposeAsync();
        Services = Build(Settings, Logs, time);
    }

    public async Task<RunRecord> QueueRunAsync(string job, AccessLevel? operatorAccess = AccessLevel.Standard,
        RunTrigger trigger = RunTrigger.Operator)
    {
        var run = Runs.NewRun("ABC", job, trigger, "olivia@summit.example", Guid.NewGuid().ToString("N")) with { OperatorAccess = operatorAccess };
        return await Runs.CreateAsync(run, default);
    }

    public async Task<RunRecord> RunAsync(string job, AccessLevel? operatorAccess = AccessLevel.Standard)
    {
        var run = await QueueRunAsync(job, operatorAccess);
        var result = await Engine.RunAsync(run.RunId, default);
        result.Outcome.Should().Be(RunOutcome.Finished);
        await AssertMoneyTruthAsync(result.Run);
        return result.Run;
    }

    /// <summary>
    /// What every run must tell truly: Procore's total is the one the run reports it read back, and a run that says it
    /// succeeded left Procore holding exactly the plan's New Procore total, with every group of a positive estimate in
    /// it at that estimate (none left out of Procore).
    /// </summary>
    public async Task AssertMoneyTruthAsync(RunRecord run)
    {
        if (run.ProcoreTotalAfter is { } after)
        {
            ProcoreTotal(run.Job).Should().Be(after, "the run reports Procore's total as it read it back");
        }

        if (run.Status != RunStatus.Succeeded)
        {
            return;
        }

        run.ProcoreTotalAfter.Should().Be(run.TotalsBefore!.NewProcoreTotal, "a run succeeds only when Procore holds the plan's total");
        ProcoreTotal(run.Job).Should().Be(run.TotalsBefore.NewProcoreTotal);
        var positive = (await Runs.GetLinesAsync(run.RunId, default)).Where(l => l.Plan.Estimate > 0m).ToList();
        positive.Should().OnlyContain(l => l.Plan.Kind == PlanKind.Create || l.Plan.Kind == PlanKind.Update || l.Plan.Kind == PlanKind.Unchanged,
            "a run that leaves Spectrum money out of Procore is not a success");
        var held = ProcoreLines(run.Job);
        positive.Should().OnlyContain(l => held.ContainsKey(l.Plan.BudgetCode) && held[l.Plan.BudgetCode] == l.Plan.Estimate,
            "every group with a positive estimate is in Procore at that estimate");
    }

    /// <summary>The sum of every budget line of the job's project, as the simulator holds it.</summary>
    public decimal ProcoreTotal(string job)
    {
        var project = ProjectOf(job);
        return Procore.State.Read(s => s.BudgetLines.Where(l => l.ProjectId == project).Sum(l => l.Amount));
    }

    public long ProjectOf(string job) => Procore.State.Read(s => s.Projects.Single(p => p.OriginId == job).Id);

    /// <summary>The project's budget lines as Procore holds them: budget code → amount.</summary>
    public IReadOnlyDictionary<string, decimal> ProcoreLines(string job)
    {
        var project = ProjectOf(job);
        return Procore.State.Read(s => s.BudgetLines.Where(l => l.ProjectId == project)
            .ToDictionary(l => s.FlatCode(s.WbsCodes.Single(w => w.Id == l.WbsCodeId)), l => l.Amount));
    }

    /// <summary>A job in Spectrum (phases × cost types, every estimate above zero) and its linked, empty Procore project.</summary>
    public void AddLinkedJob(string job, int phases, string[] costTypes, long projectId)
    {
        Spectrum.Data.AddJob("ABC", new SeedJob
        {
            Number = job,
            Description = $"Job {job}",
            Udfs = new() { ["1"] = "Y", ["2"] = "Y" },
            Phases = [.. Enumerable.Range(0, phases).Select(p => new SeedPhase
            {
                Code = PhaseCode(p),
                Description = $"Phase {p}",
                CostTypes = [.. costTypes.Select((t, i) => new SeedCostLine { CostType = t, Estimate = 100m + p * 5 + i + 0.25m })],
            })],
        });
        Procore.State.Write(s => s.AddProject(new SeedProject
        {
            Id = projectId, CompanyId = ProcoreClients.CompanyId, Name = $"Project {job}", ProjectNumber = job, OriginId = job,
            Tools = [new SeedTool { EngineName = "budget", Title = "Budget", IsActive = true }],
        }));
    }

    public static string PhaseCode(int index) => SpectrumData.GeneratedPhaseCode(index);

    public async ValueTask DisposeAsync()
    {
        var tables = Services.GetRequiredService<StorageTables>();
        var prefix = Settings["Storage:TablePrefix"];
        foreach (var name in StorageTables.All)
        {
            await tables.Service.DeleteTableAsync(prefix + name);
        }

        var blobs = Services.GetRequiredService<StorageBlobs>();
        foreach (var name in StorageBlobs.All)
        {
            await blobs.Service.GetBlobContainerClient(blobs.NameOf(name)).DeleteIfExistsAsync();
        }

        await Services.DisposeAsync();
        await Spectrum.DisposeAsync();
        await Procore.DisposeAsync();
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings, CapturedLogs logs, TimeProvider? time)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging(logging => logging.AddProvider(logs));
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        return services.AddErpFunctions(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
