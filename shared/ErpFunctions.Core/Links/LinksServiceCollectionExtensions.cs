using ErpFunctions.Links;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

public static class LinksServiceCollectionExtensions
{
    /// <summary>Linking Spectrum jobs and Procore projects, and the catalog of the company's jobs.</summary>
    public static IServiceCollection AddLinks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<LinkOptions>(configuration, LinkOptions.Section, "linkSettings");
        services.AddSettings<CatalogOptions>(configuration, CatalogOptions.Section, "catalogSettings");
        services.AddTransient<JobLinks>();
        services.AddTransient<JobCatalog>();
        return services;
    }
}
