using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Spectrum;

/// <summary>What the product reads from Spectrum: a job, its user-defined fields and its estimate lines.</summary>
public interface ISpectrumJobReader
{
    Task<SpectrumJob?> FindJobAsync(string jobNumber, CancellationToken cancellationToken);

    Task<SpectrumJobUdfs?> FindJobUdfsAsync(string jobNumber, CancellationToken cancellationToken);

    /// <summary>Every phase × cost type row of the job, whatever its status, read completely despite the row cap.</summary>
    Task<IReadOnlyList<SpectrumEstimateLine>> ReadEstimateLinesAsync(string jobNumber, CancellationToken cancellationToken);
}

public sealed partial class SpectrumJobReader(
    SpectrumSoapClient client,
    IOptions<SpectrumOptions> options,
    ILogger<SpectrumJobReader> logger) : ISpectrumJobReader
{
    /// <summary>A blank status means "active and inactive"; completed jobs and phases must be asked for.</summary>
    private static readonly string[] StatusCalls = ["", "C"];

    /// <summary>When a blank-status call is capped, each status it covers is asked for on its own.</summary>
    private static readonly string[] BlankStatusParts = ["A", "I"];

    private string Company => options.Value.CompanyCode;

    public async Task<SpectrumJob?> FindJobAsync(string jobNumber, CancellationToken cancellationToken)
    {
        var row = await FindJobRowAsync(SpectrumService.GetJob, jobNumber, cancellationToken);
        return row is null
            ? null
            : new SpectrumJob(row.Text("Company_Code"), row.Text("Job_Number"), row.Text("Job_Description"),
                row.Text("Status_Code"), row.Text("Division"), row.Text("Cost_Center"), row.Text("Customer_Code"));
    }

    public async Task<SpectrumJobUdfs?> FindJobUdfsAsync(string jobNumber, CancellationToken cancellationToken)
    {
        var row = await FindJobRowAsync(SpectrumService.GetJobUdf, jobNumber, cancellationToken);
        if (row is null)
        {
            return null;
        }

        var values = Enumerable.Range(1, SpectrumJobUdfs.Count).ToDictionary(n => n, n => row.Text($"UDF{n}"));
        return new SpectrumJobUdfs(row.Text("Company_Code"), row.Text("Job_Number"), values);
    }

    public async Task<IReadOnlyList<SpectrumEstimateLine>> ReadEstimateLinesAsync(
        string jobNumber, CancellationToken cancellationToken)
    {
        var byStatus = await Task.WhenAll(
            StatusCalls.Select(status => ReadPhasesAsync(jobNumber, status, cancellationToken)));

        var lines = new List<SpectrumEstimateLine>();
        var sourceOfKey = new Dictionary<(string, string, string, string), int>();
        for (var call = 0; call < byStatus.Length; call++)
        {
            foreach (var line in byStatus[call])
            {
                // A row another call already returned is the same record seen twice; rows repeated within one call
                // are kept for the domain to sum and report.
                if (sourceOfKey.TryAdd(line.Key, call) || sourceOfKey[line.Key] == call)
                {
                    lines.Add(line);
                }
            }
        }

        return lines;
    }

    private async Task<SpectrumRow?> FindJobRowAsync(
        SpectrumService service, string jobNumber, CancellationToken cancellationToken)
    {
        foreach (var status in StatusCalls)
        {
            var row = await FindJobRowAsync(service, jobNumber, status, cancellationToken);
            if (row is not null)
            {
                return row;
            }
        }

        return null;
    }

    /// <summary>GetJob has no job-number filter: the job is picked out of the company's jobs of one status.</summary>
    private async Task<SpectrumRow?> FindJobRowAsync(
        SpectrumService service, string jobNumber, string status, CancellationToken cancellationToken)
    {
        var response = await CallAsync(service, JobFilter(status), cancellationToken);
        var match = response.Rows.FirstOrDefault(r =>
            string.Equals(r.Text("Job_Number"), jobNumber.Trim(), StringComparison.OrdinalIgnoreCase));
        if (match is not null || !response.RowCapReached)
        {
            return match;
        }

        if (status.Length > 0)
        {
            throw RowCapStillReached(service, $"company {Company}, status {status}");
        }

        foreach (var part in BlankStatusParts)
        {
            match = await FindJobRowAsync(service, jobNumber, part, cancellationToken);
            if (match is not null)
            {
                return match;
            }
        }

        return null;
    }

    private Dictionary<string, string> JobFilter(string status) =>
        new() { ["pCompany_Code"] = Company, ["pStatus_Code"] = status };

    private async Task<IReadOnlyList<SpectrumEstimateLine>> ReadPhasesAsync(
        string jobNumber, string status, CancellationToken cancellationToken)
    {
        var response = await CallAsync(SpectrumService.GetPhaseEnhanced, PhaseFilter(jobNumber, status, ""), cancellationToken);
        if (!response.RowCapReached)
        {
            return response.Rows.Select(ToEstimateLine).ToList();
        }

        var seen = response.Rows.Select(r => r.Text("Cost_Type")).Where(t => t.Length > 0);
        var costTypes = options.Value.KnownCostTypes.Select(t => t.Trim()).Concat(seen)
            .Where(t => t.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        LogPartitioning(jobNumber, status, costTypes.Count);

        return await ReadByCostTypeAsync(jobNumber, status, costTypes, costTypes, cancellationToken);
    }

    /// <param name="costTypes">The cost types to read now, one call each.</param>
    /// <param name="readSoFar">Every cost type read by now, these included: the exclusion list of the probe.</param>
    private async Task<IReadOnlyList<SpectrumEstimateLine>> ReadByCostTypeAsync(
        string jobNumber, string status, List<string> costTypes, List<string> readSoFar,
        CancellationToken cancellationToken)
    {
        var partitions = await Task.WhenAll(costTypes.Select(async costType =>
        {
            var response = await CallAsync(
                SpectrumService.GetPhaseEnhanced, PhaseFilter(jobNumber, status, costType), cancellationToken);
            return response.RowCapReached
                ? throw RowCapStillReached(SpectrumService.GetPhaseEnhanced,
                    $"job {jobNumber}, status '{status}', cost type {costType}")
                : response.Rows;
        }));

        var lines = partitions.SelectMany(rows => rows).Select(ToEstimateLine).ToList();
        if (!options.Value.ProbeUnlistedCostTypes)
        {
            return lines;
        }

        var others = await CallAsync(SpectrumService.GetPhaseEnhanced,
            PhaseFilter(jobNumber, status, "#" + string.Join(',', readSoFar)), cancellationToken);
        if (!others.RowCapReached)
        {
            return [.. lines, .. others.Rows.Select(ToEstimateLine)];
        }

        var unlisted = others.Rows.Select(r => r.Text("Cost_Type"))
            .Where(t => t.Length > 0 && !readSoFar.Contains(t, StringComparer.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (unlisted.Count == 0)
        {
            throw RowCapStillReached(SpectrumService.GetPhaseEnhanced,
                $"job {jobNumber}, status '{status}', cost types other than {string.Join(',', readSoFar)}");
        }

        var rest = await ReadByCostTypeAsync(
            jobNumber, status, unlisted, [.. readSoFar, .. unlisted], cancellationToken);
        return [.. lines, .. rest];
    }

    private Dictionary<string, string> PhaseFilter(string jobNumber, string status, string costType) => new()
    {
        ["pCompany_Code"] = Company,
        ["pJob_Number"] = jobNumber.Trim(),
        ["pStatus_Code"] = status,
        ["pCost_Type"] = costType,
    };

    private Task<SpectrumResponse> CallAsync(
        SpectrumService service, Dictionary<string, string> arguments, CancellationToken cancellationToken) =>
        client.CallAsync(service, arguments, cancellationToken);

    private static SpectrumRowCapException RowCapStillReached(SpectrumService service, string partition) =>
        new($"Spectrum {service.Name} still returns more rows than its cap for {partition}; "
            + "the job cannot be read completely through Data Exchange.");

    private static SpectrumEstimateLine ToEstimateLine(SpectrumRow row) => new(
        row.Text("Company_Code"),
        row.Text("Job_Number"),
        row.Text("Phase_Code"),
        row.Text("Cost_Type"),
        row.Text("Description"),
        row.Text("Status_Code"),
        row.Text("Unit_of_Measure"),
        row.Decimal("JTD_Actual_Dollars"),
        // The live server spells it Current_Estimate_Dollars; the documentation, Current_Estimated_Dollars.
        row.Decimal("Current_Estimate_Dollars", "Current_Estimated_Dollars"),
        row.Decimal("Projected_Dollars"),
        row.Decimal("Estimated_Hours"),
        row.Decimal("Estimated_Quantity"),
        row.Date("Start_Date"),
        row.Date("End_Date"),
        row.Date("Complete_Date"));

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Job {JobNumber} (status '{Status}') exceeds Spectrum's row cap; re-reading by {CostTypeCount} cost types")]
    private partial void LogPartitioning(string jobNumber, string status, int costTypeCount);
}
