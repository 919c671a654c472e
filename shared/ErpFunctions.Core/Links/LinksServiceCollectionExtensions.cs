using ErpFunctions.Links;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

public static class LinksServiceCollectionExtensions
{
    /// <summary>Linking Spectrum jobs and Procore projects.</summary>
    public static IServiceCollection AddLinks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<LinkOptions>(configuration, LinkOptions.Section, "linkSettings");
        services.AddTransient<JobLinks>();
        return services;
    }
}
