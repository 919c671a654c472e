using ErpFunctions.Domain.Companies;

namespace ErpFunctions.Diagnostics;

/// <summary>
/// What external calls are made for, passed to every Spectrum and Procore call: the company they work for, the meter of
/// the work they belong to, and, for background work (the sweep, the preflight), the share of each Spectrum service's
/// daily call budget it may spend.
/// </summary>
/// <param name="BackgroundShare">Null for work an operator or Procore asked for; the share of the daily budget otherwise.</param>
public sealed record CallContext(Company Company, ApiCallMeter Meter, double? BackgroundShare = null)
{
    /// <summary>Calls for <paramref name="company"/>, counted by a meter of their own.</summary>
    public static CallContext For(Company company) => new(company, new ApiCallMeter());

    /// <summary>Calls of background work, which may spend only <paramref name="share"/> of each service's daily budget.</summary>
    public static CallContext InBackground(Company company, double share) => new(company, new ApiCallMeter(), share);
}
