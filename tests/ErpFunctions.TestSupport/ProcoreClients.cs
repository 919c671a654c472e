using ErpFunctions.Procore;
using ErpFunctions.Simulators.Procore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ErpFunctions.TestSupport;

/// <summary>The product's real Procore client, wired by its own DI registration, pointed at a simulator.</summary>
public static class ProcoreClients
{
    public const long CompanyId = 4101;
    public const long HarborProject = 3000000101;
    public const long CostaNorteProject = 3000000102;
    public const long LockedProject = 3000000107;

    public static Dictionary<string, string?> Settings(ProcoreSimulator simulator) => new()
    {
        ["Procore:LoginBaseUrl"] = simulator.BaseAddress.ToString(),
        ["Procore:ApiBaseUrl"] = simulator.BaseAddress.ToString(),
        ["Procore:ClientId"] = "sim-client-id",
        ["Procore:ClientSecret"] = "sim-client-secret",
        ["Procore:CompanyId"] = CompanyId.ToString(),
        ["Procore:RetryBaseDelay"] = "00:00:00.010",
    };

    public static ServiceProvider Create(ProcoreSimulator simulator, Action<Dictionary<string, string?>>? configure = null,
        TimeProvider? time = null, CapturedLogs? logs = null)
    {
        var settings = Settings(simulator);
        configure?.Invoke(settings);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging(logging =>
        {
            if (logs is not null)
            {
                logging.AddProvider(logs);
            }
        });
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        return services.AddProcore(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public static ProcoreClient Procore(this ServiceProvider services) => services.GetRequiredService<ProcoreClient>();

    /// <summary>Gives a project budget codes for <paramref name="count"/> new cost codes × one cost type, straight in the state.</summary>
    public static List<long> AddBudgetCodes(this ProcoreSimulator simulator, long projectId, int count, string costType = "L") =>
        simulator.State.Write(s =>
        {
            var division = s.AddCostCode(projectId, "77", "Bulk division", null, null);
            var type = s.LineItemTypes.Single(t => t.Code == costType);
            return Enumerable.Range(0, count)
                .Select(i => s.EnsureWbsCode(projectId, s.AddCostCode(projectId, $"{i:00000}", $"Bulk {i}", division.Id, null).Id, type.Id).Id)
                .ToList();
        });
}
