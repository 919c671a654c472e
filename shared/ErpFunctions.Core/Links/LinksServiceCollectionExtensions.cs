using ErpFunctions.Links;

namespace Microsoft.Extensions.DependencyInjection;

public static class LinksServiceCollectionExtensions
{
    /// <summary>Linking Spectrum jobs and Procore projects, and the catalog of the company's jobs.</summary>
    public static IServiceCollection AddLinks(this IServiceCollection services)
    {
        services.AddTransient<JobLinks>();
        services.AddTransient<JobCatalog>();
        return services;
    }
}
