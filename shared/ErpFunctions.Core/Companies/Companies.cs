using ErpFunctions.Domain.Companies;
using ErpFunctions.Procore;
using ErpFunctions.Queueing;
using ErpFunctions.Spectrum;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Companies;

/// <summary>The companies this deployment serves. The one place that turns settings into <see cref="Company"/> values.</summary>
public interface ICompanies
{
    /// <summary>The company the routes without a company serve.</summary>
    Company Default { get; }

    IReadOnlyList<Company> All { get; }

    /// <summary>The company with this Spectrum company code, or null.</summary>
    Company? Find(string code);

    /// <summary>The company imported into this Procore company, or null.</summary>
    Company? FindByProcoreCompany(long procoreCompanyId);
}

/// <summary>Today's settings describe one company: <c>Spectrum:CompanyCode</c>, <c>Procore:CompanyId</c> and the <c>Reimport</c> rules.</summary>
public sealed class CompanyRegistry(IOptions<SpectrumOptions> spectrum, IOptions<ProcoreOptions> procore, IOptions<ReimportOptions> reimport)
    : ICompanies
{
    private readonly Lazy<Company> single = new(() => new Company(spectrum.Value.CompanyCode, procore.Value.CompanyId, reimport.Value.Rules));

    public Company Default => single.Value;

    public IReadOnlyList<Company> All => [single.Value];

    public Company? Find(string code) => All.FirstOrDefault(c => string.Equals(c.Code, code, StringComparison.OrdinalIgnoreCase));

    public Company? FindByProcoreCompany(long procoreCompanyId) => All.FirstOrDefault(c => c.ProcoreCompanyId == procoreCompanyId);
}

/// <summary>Work for a company this deployment does not serve (its settings were removed after the work was queued).</summary>
public sealed class UnknownCompanyException(string code)
    : Exception($"Spectrum company {code} is not one this deployment serves (Spectrum:CompanyCode); nothing was done.");

public static class CompanyLookups
{
    /// <summary>The company a queue message's work is for; a message sent before messages carried their company is the default company's.</summary>
    public static Company Of(this ICompanies companies, ReimportMessage message) =>
        message.Company is { } code ? companies.Find(code) ?? throw new UnknownCompanyException(code) : companies.Default;
}
