using Microsoft.Extensions.Options;

namespace ErpFunctions.Spectrum;

/// <summary>
/// Whether this process may send SuperSelect filters longer than a parameter's declared length: allowed by
/// <c>Spectrum:LongFilters</c> until the server refuses one, then never again (one refused call per process at most).
/// </summary>
public sealed class SpectrumFilterLengths(IOptions<SpectrumOptions> options)
{
    private volatile string? refused;

    public bool LongFiltersAllowed => options.Value.LongFilters && refused is null;

    /// <summary>The filter the server refused, if it refused one.</summary>
    public string? RefusedFilter => refused;

    public void Refused(string filter) => refused ??= filter;
}
