using ErpFunctions.Simulators.Spectrum;
using ErpFunctions.Spectrum;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ErpFunctions.TestSupport;

/// <summary>The product's real Spectrum client, wired by its own DI registration, pointed at a simulator (and Azurite, where it counts its calls).</summary>
public static class SpectrumClients
{
    public static Dictionary<string, string?> Settings(SpectrumSimulator simulator) => new()
    {
        ["Spectrum:BaseUrl"] = simulator.BaseAddress.ToString(),
        ["Spectrum:AuthorizationId"] = simulator.AuthorizationId,
        ["Spectrum:CompanyCode"] = simulator.CompanyCode,
        ["Spectrum:RetryBaseDelay"] = "00:00:00.010",
        // Every call is counted against the daily budget, in the test's own table.
        ["AzureWebJobsStorage"] = ReimportHarness.StorageConnectionString,
        ["Storage:TablePrefix"] = "s" + Guid.NewGuid().ToString("N")[..12],
    };

    public static ServiceProvider Create(SpectrumSimulator simulator, Action<Dictionary<string, string?>>? configure = null)
    {
        var settings = Settings(simulator);
        configure?.Invoke(settings);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddLogging()
            .AddStorage(configuration)
            .AddSpectrum(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public static ISpectrumJobReader Reader(this ServiceProvider services) =>
        services.GetRequiredService<ISpectrumJobReader>();
}
