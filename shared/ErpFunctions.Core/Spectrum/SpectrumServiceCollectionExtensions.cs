using ErpFunctions.Spectrum;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Polly;

namespace Microsoft.Extensions.DependencyInjection;

public static class SpectrumServiceCollectionExtensions
{
    /// <summary>Registers the Spectrum Data Exchange reader, its options (validated at start-up) and resilience.</summary>
    public static IServiceCollection AddSpectrum(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<SpectrumOptions>(configuration, SpectrumOptions.Section, "spectrumSettings");

        services.AddResiliencePipeline(SpectrumResilience.PipelineName,
            (builder, context) => SpectrumResilience.Configure(builder, context.ServiceProvider));

        // Each attempt is bounded by the pipeline's timeout, not by HttpClient's.
        services.AddHttpClient<SpectrumSoapClient>(http => http.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<SpectrumFilterLengths>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SpectrumCallBudget>();
        services.AddTransient<ISpectrumJobReader, SpectrumJobReader>();
        return services;
    }
}
