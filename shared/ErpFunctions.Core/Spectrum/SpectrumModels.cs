using ErpFunctions.Domain.Estimates;
using ErpFunctions.Domain.Prerequisites;

namespace ErpFunctions.Spectrum;

/// <summary>A job header from <c>GetJob</c>. <see cref="StatusCode"/> is A (active), I (inactive) or C (complete).</summary>
public sealed record SpectrumJob(
    string CompanyCode,
    string JobNumber,
    string Description,
    string StatusCode,
    string Division,
    string CostCenter,
    string CustomerCode);

/// <summary>A job's user-defined fields <c>UDF1</c>…<c>UDF20</c> from <c>GetJobUDF</c>.</summary>
public sealed record SpectrumJobUdfs(string CompanyCode, string JobNumber, IReadOnlyDictionary<int, string> Values)
{
    public const int Count = 20;

    public string this[int number] => Values.GetValueOrDefault(number, "");

    public JobUdfs ToJobUdfs() => new(Values);
}

/// <summary>One job × phase × cost type row of <c>GetPhaseEnhanced</c>, as Spectrum reports it.</summary>
public sealed record SpectrumEstimateLine(
    string CompanyCode,
    string JobNumber,
    string PhaseCode,
    string CostType,
    string Description,
    string StatusCode,
    string UnitOfMeasure,
    decimal JobToDateCost,
    decimal CurrentEstimate,
    decimal ProjectedCost,
    decimal EstimatedHours,
    decimal EstimatedQuantity,
    DateOnly? StartDate,
    DateOnly? EndDate,
    DateOnly? CompleteDate)
{
    public (string, string, string, string) Key => (CompanyCode, JobNumber, PhaseCode, CostType);

    /// <summary>What the plan is made from: the current estimate and the job-to-date cost.</summary>
    public EstimateRow ToEstimateRow() => new(JobNumber, PhaseCode, CostType, Description, CurrentEstimate, JobToDateCost);
}
