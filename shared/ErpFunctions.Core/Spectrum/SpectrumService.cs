namespace ErpFunctions.Spectrum;

/// <summary>
/// A Spectrum Data Exchange "Get" service: its name and the parameters its WSDL declares, in WSDL order.
/// <c>Authorization_ID</c> and <c>GUID</c> always come first and are not listed here.
/// </summary>
public sealed record SpectrumService(string Name, IReadOnlyList<string> Parameters)
{
    private static readonly string[] JobFilters =
    [
        "pCompany_Code", "pDivision", "pStatus_Code", "pProject_Manager", "pSuperintendent",
        "pEstimator", "pCustomer_Code", "pCost_Center",
    ];

    private static readonly string[] PhaseFilters =
        ["pCompany_Code", "pCost_Type", "pJob_Number", "pStatus_Code", "pCost_Center", "pSort_By"];

    public static readonly SpectrumService GetJob = new("GetJob", [.. JobFilters, "pSort_By"]);
    public static readonly SpectrumService GetJobMain = new("GetJobMain", [.. JobFilters, "pSort_By"]);
    public static readonly SpectrumService GetJobUdf = new("GetJobUDF", JobFilters);
    public static readonly SpectrumService GetPhase = new("GetPhase", PhaseFilters);
    public static readonly SpectrumService GetPhaseEnhanced = new("GetPhaseEnhanced", PhaseFilters);

    public static IReadOnlyList<SpectrumService> All { get; } = [GetJob, GetJobMain, GetJobUdf, GetPhase, GetPhaseEnhanced];

    /// <summary>The element that wraps the rows of a response: the service name in lower camel case.</summary>
    public string RowWrapperElement => char.ToLowerInvariant(Name[0]) + Name[1..];

    public static SpectrumService? Find(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}
