using ErpFunctions.Companies;
using ErpFunctions.Diagnostics;
using ErpFunctions.Domain.Companies;

namespace ErpFunctions.TestSupport;

/// <summary>The company the simulators' default seeds hold, as a client under test is called for it.</summary>
public static class TestCalls
{
    /// <summary>Spectrum company ABC, imported into Procore company 4101, with the default re-import rules.</summary>
    public static Company Company { get; } = new("ABC", ProcoreClients.CompanyId, new ReimportOptions().Rules);

    /// <summary>Calls for <see cref="Company"/>, counted by a meter of their own.</summary>
    public static CallContext New() => CallContext.For(Company);
}
