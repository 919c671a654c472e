using ErpFunctions.Companies;
using ErpFunctions.Queueing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class CompaniesServiceCollectionExtensions
{
    /// <summary>
    /// The companies and their re-import rules, from the <c>Reimport</c> section (bound here, once); the queue's part of
    /// that section is handed to the queue.
    /// </summary>
    public static IServiceCollection AddCompanies(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<ReimportOptions>(configuration, ReimportOptions.Section, "reimportSettings");
        services.AddOptions<QueueOptions>().Configure<IOptions<ReimportOptions>>((queue, reimport) => queue.QueueName = reimport.Value.QueueName);
        services.AddSingleton<ICompanies, CompanyRegistry>();
        services.AddHealthChecks().AddCheck<SpectrumCallBudgetHealthCheck>("spectrumCallBudget");
        return services;
    }
}
