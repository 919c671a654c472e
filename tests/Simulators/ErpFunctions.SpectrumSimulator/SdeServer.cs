using System.Xml;
using System.Xml.Linq;
using ErpFunctions.Spectrum;
using Microsoft.AspNetCore.Http;

namespace ErpFunctions.Simulators.Spectrum;

/// <summary>Answers <c>POST /ws/&lt;Service&gt;</c> the way a Spectrum Data Exchange server does.</summary>
public sealed class SdeServer(SpectrumData data, SpectrumQuirks quirks)
{
    public const string NotAuthorized = "The web service is not Authorized";
    public const string RowCapWarning = "WARNING - Number of returnable records exceeds maximum number of records allowed.";

    private static readonly Dictionary<string, int> Widths = new(StringComparer.Ordinal)
    {
        ["Company_Code"] = 3, ["Job_Number"] = 10, ["Phase_Code"] = 20, ["Cost_Type"] = 3, ["Description"] = 25,
        ["Job_Description"] = 25, ["Status_Code"] = 1, ["Unit_of_Measure"] = 3, ["Cost_Center"] = 10,
        ["Division"] = 5, ["Customer_Code"] = 10, ["Project_Manager"] = 15,
    };

    /// <summary>The lengths the Data Exchange documentation declares for each parameter.</summary>
    private static readonly Dictionary<string, int> DeclaredLengths = new(StringComparer.Ordinal)
    {
        ["Authorization_ID"] = 20, ["GUID"] = 36, ["pCompany_Code"] = 3, ["pCost_Type"] = 3, ["pJob_Number"] = 10,
        ["pStatus_Code"] = 1, ["pCost_Center"] = 10, ["pSort_By"] = 1, ["pDivision"] = 5, ["pProject_Manager"] = 15,
        ["pSuperintendent"] = 15, ["pEstimator"] = 15, ["pCustomer_Code"] = 10,
    };

    private static readonly string[] PhaseAmountFields =
    [
        "JTD_Quantity", "JTD_Hours", "JTD_Actual_Dollars", "Projected_Quantity", "Projected_Hours",
        "Projected_Dollars", "Estimated_Quantity", "Estimated_Hours",
    ];

    public async Task HandleAsync(HttpContext context, string serviceName)
    {
        var (status, body) = await AnswerAsync(context, serviceName);
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/xml; charset=utf-8";
        await context.Response.WriteAsync(body);
    }

    public static Task WriteServerFaultAsync(HttpContext context)
    {
        context.Response.ContentType = "text/xml; charset=utf-8";
        return context.Response.WriteAsync(SdeWriter.Fault("SOAP-ENV:Server", "Error executing Web Service"));
    }

    private async Task<(int Status, string Body)> AnswerAsync(HttpContext context, string serviceName)
    {
        var service = SpectrumService.Find(serviceName);
        if (service is null)
        {
            return ClientFault("Error identifying Web Service: class com.northgateis.proiv.ws.servlet."
                + $"WebServiceIdentificationException: Could not find WebService named: {serviceName}");
        }

        context.LogDetail("service", service.Name);
        if (quirks.TakeClientFault())
        {
            return ClientFault("Error identifying Web Service: the request could not be processed");
        }

        var soapAction = context.Request.Headers["SOAPAction"].ToString().Trim('"');
        context.LogDetail("soapAction", soapAction);
        if (!soapAction.EndsWith("/ws/" + service.Name, StringComparison.Ordinal))
        {
            return ClientFault($"SOAPAction '{soapAction}' does not name the {service.Name} endpoint");
        }

        using var reader = new StreamReader(context.Request.Body);
        var request = ReadCall(await reader.ReadToEndAsync(), service);
        if (request.Error is not null)
        {
            return ClientFault(request.Error);
        }

        var arguments = request.Arguments!;
        foreach (var (name, value) in arguments)
        {
            context.LogDetail(name, name == "Authorization_ID" ? (value == data.AuthorizationId ? "valid" : "invalid") : value);
        }

        if (quirks.EnforceDeclaredLengths
            && arguments.FirstOrDefault(a => a.Value.Length > DeclaredLengths.GetValueOrDefault(a.Key, int.MaxValue)) is { Key: not null } tooLong)
        {
            return ClientFault($"Error executing Web Service: {tooLong.Key} holds {tooLong.Value.Length} characters; at most "
                + $"{DeclaredLengths[tooLong.Key]} are allowed");
        }

        var rows = arguments["Authorization_ID"] != data.AuthorizationId
            ? [ErrorRow(service, "A", NotAuthorized, "Authorization_ID")]
            : Select(service, arguments);
        context.LogDetail("rows", rows.Count.ToString());

        var body = SdeWriter.Rows(service, rows);
        if (quirks.TakeTruncation(arguments) is { } cutsBefore)
        {
            body = Truncate(body, quirks.TruncationMode, cutsBefore);
            context.LogDetail("truncated", quirks.TruncationMode.ToString());
        }

        return (200, body);
    }

    private static (int, string) ClientFault(string text) => (500, SdeWriter.Fault("SOAP-ENV:Client", text));

    private static (Dictionary<string, string>? Arguments, string? Error) ReadCall(string body, SpectrumService service)
    {
        XElement call;
        try
        {
            var envelope = XDocument.Parse(body).Root!;
            var soapBody = envelope.Element(SoapEnvelope.Soap + "Body");
            call = soapBody?.Elements().FirstOrDefault() ?? throw new XmlException("no SOAP Body");
        }
        catch (XmlException e)
        {
            return (null, $"Error parsing request: {e.Message}");
        }

        if (call.Name.LocalName != service.Name || call.Name.Namespace != SoapEnvelope.Types)
        {
            return (null, $"Error identifying Web Service: request element {call.Name} is not {service.Name}");
        }

        var declared = new[] { "Authorization_ID", "GUID" }.Concat(service.Parameters).ToList();
        var given = call.Elements().Select(e => e.Name.LocalName).ToList();
        if (!given.SequenceEqual(declared))
        {
            return (null, $"Error executing Web Service: parameters must be exactly {string.Join(", ", declared)} in that order");
        }

        return (call.Elements().ToDictionary(e => e.Name.LocalName, e => e.Value), null);
    }

    private List<IReadOnlyList<SdeField>> Select(SpectrumService service, Dictionary<string, string> arguments)
    {
        var company = arguments["pCompany_Code"].Trim();
        company = company.Length == 0 ? data.DefaultCompany : company;
        if (!data.HasCompany(company))
        {
            return [ErrorRow(service, "I", "Invalid Company Code", "pCompany_Code")];
        }

        var status = arguments["pStatus_Code"].Trim().ToUpperInvariant();
        if (status is not ("" or "A" or "I" or "C"))
        {
            return [ErrorRow(service, "I", "Invalid Status Code", "pStatus_Code")];
        }

        bool StatusMatches(string s) => status.Length == 0 ? s is "A" or "I" : s == status;

        var rows = service.Name.StartsWith("GetPhase", StringComparison.Ordinal)
            ? PhaseRows(service, company, arguments, StatusMatches)
            : JobRows(service, company, arguments, StatusMatches);

        if (rows.Count <= data.RowCap)
        {
            return rows;
        }

        return [.. rows.Take(data.RowCap), ErrorRow(service, "W", RowCapWarning, " ", blankData: " ")];
    }

    private List<IReadOnlyList<SdeField>> JobRows(
        SpectrumService service, string company, Dictionary<string, string> arguments, Func<string, bool> statusMatches)
    {
        var costCenter = arguments["pCost_Center"].Trim();
        return data.Jobs
            .Where(j => j.Company == company && statusMatches(j.Status)
                && SuperSelect.Matches(arguments["pDivision"], j.Division)
                && SuperSelect.Matches(arguments["pCustomer_Code"], j.CustomerCode)
                && SuperSelect.Matches(arguments["pProject_Manager"], j.ProjectManager)
                && (costCenter.Length == 0 || costCenter == j.CostCenter))
            .OrderBy(j => j.Number, StringComparer.Ordinal)
            .Select(j => service == SpectrumService.GetJobUdf ? UdfRow(j) : JobRow(service, j))
            .ToList();
    }

    private IReadOnlyList<SdeField> JobRow(SpectrumService service, SimJob job)
    {
        var fields = new List<SdeField>
        {
            Text("Company_Code", job.Company), Text("Job_Number", job.Number), Text("Job_Description", job.Description),
            Text("Division", job.Division), Text("Address_1", ""), Text("Address_2", ""), Text("City", ""),
            Text("State", ""), Text("Zip_Code", ""), Text("Project_Manager", job.ProjectManager),
            Text("Superintendent", ""), Text("Estimator", ""), Text("Certified_Flag", "N"),
            Text("Customer_Code", job.CustomerCode), Text("Status_Code", job.Status), Text("Work_State_Tax_Code", ""),
            Text("Contract_Number", ""), Text("Cost_Center", job.CostCenter),
        };

        if (service == SpectrumService.GetJobMain)
        {
            fields.AddRange([
                Text("Phone", ""), Text("Fax_Phone", ""), Text("Job_Site_Phone", ""), Text("Customer_Name", ""),
                Number("Original_Contract", 0m), Text("Owner_Name", ""), Text("WO_Site", ""), Text("Comment", ""),
                Text("Price_Method_Code", "F"), Number("Total_Units", 0m), Text("Unit_of_Measure", ""),
            ]);
        }

        return [.. fields, new("Error_Code", null), new("Error_Description", null), new("Error_Column", null)];
    }

    private IReadOnlyList<SdeField> UdfRow(SimJob job) =>
    [
        Text("Company_Code", job.Company), Text("Job_Number", job.Number),
        .. Enumerable.Range(1, SpectrumJobUdfs.Count).Select(n => Text($"UDF{n}", job.Udfs.GetValueOrDefault(n, ""))),
        new("Error_Code", null), new("Error_Description", null), new("Error_Column", null),
    ];

    private List<IReadOnlyList<SdeField>> PhaseRows(
        SpectrumService service, string company, Dictionary<string, string> arguments, Func<string, bool> statusMatches)
    {
        var costCenter = arguments["pCost_Center"].Trim();
        var jobCostCenters = data.Jobs.Where(j => j.Company == company).ToDictionary(j => j.Number, j => j.CostCenter);
        var lines = data.Lines
            .Where(l => l.Company == company && statusMatches(l.Status)
                && SuperSelect.Matches(arguments["pJob_Number"], l.Job)
                && SuperSelect.Matches(arguments["pCost_Type"], l.CostType)
                && (costCenter.Length == 0 || jobCostCenters.GetValueOrDefault(l.Job) == costCenter));

        var sorted = arguments["pSort_By"].Trim() == "C"
            ? lines.OrderBy(l => l.CostType, StringComparer.Ordinal).ThenBy(l => l.Job, StringComparer.Ordinal).ThenBy(l => l.Phase, StringComparer.Ordinal)
            : lines.OrderBy(l => l.Job, StringComparer.Ordinal).ThenBy(l => l.Phase, StringComparer.Ordinal).ThenBy(l => l.CostType, StringComparer.Ordinal);

        return sorted.Select(l => PhaseRow(service, l)).ToList();
    }

    private IReadOnlyList<SdeField> PhaseRow(SpectrumService service, SimPhaseLine line)
    {
        var amounts = new Dictionary<string, decimal>
        {
            ["JTD_Actual_Dollars"] = line.Jtd, ["Projected_Dollars"] = line.Projected,
            ["Estimated_Quantity"] = line.Quantity, ["Estimated_Hours"] = line.Hours,
        };

        var fields = new List<SdeField>
        {
            Text("Company_Code", line.Company), Text("Job_Number", line.Job), Text("Phase_Code", line.Phase),
            Text("Cost_Type", line.CostType), Text("Description", line.Description), Text("Status_Code", line.Status),
            Text("Unit_of_Measure", line.UnitOfMeasure),
        };
        fields.AddRange(PhaseAmountFields.Select(name => Number(name, amounts.GetValueOrDefault(name))));
        fields.Add(Number(quirks.EstimateElementName ?? data.EstimateElementName, line.Estimate));
        fields.Add(Text("Cost_Center", ""));

        if (service == SpectrumService.GetPhaseEnhanced)
        {
            fields.AddRange([
                Text("Price_Method_Code", ""), new("Complete_Date", ""), new("Start_Date", line.StartDate),
                new("End_Date", line.EndDate), Text("Comment", ""),
            ]);
        }

        return [.. fields, new("Error_Code", " "), new("Error_Description", " "), new("Error_Column", " ")];
    }

    /// <summary>An error or row-cap trailer: every data field blank, then the error fields.</summary>
    private static IReadOnlyList<SdeField> ErrorRow(
        SpectrumService service, string code, string description, string column, string? blankData = null)
    {
        var template = service.Name.StartsWith("GetPhase", StringComparison.Ordinal)
            ? new[] { "Company_Code", "Job_Number", "Phase_Code", "Cost_Type", "Description", "Status_Code", "Unit_of_Measure" }
                .Concat(PhaseAmountFields).Append("Current_Estimate_Dollars").Append("Cost_Center")
                .Concat(service == SpectrumService.GetPhaseEnhanced
                    ? ["Price_Method_Code", "Complete_Date", "Start_Date", "End_Date", "Comment"] : Array.Empty<string>())
            : new[] { "Company_Code", "Job_Number" };

        return [.. template.Select(n => new SdeField(n, blankData)), new("Error_Code", code),
            new("Error_Description", description), new("Error_Column", column)];
    }

    private SdeField Text(string name, string value)
    {
        if (value.Length == 0)
        {
            return new SdeField(name, null);
        }

        return quirks.PadValues && Widths.TryGetValue(name, out var width)
            ? new SdeField(name, value.PadRight(width + 2))
            : new SdeField(name, value);
    }

    private SdeField Number(string name, decimal value)
    {
        var text = SdeWriter.Amount(value);
        return new SdeField(name, quirks.PadValues ? text.PadLeft(12) : text);
    }

    private static string Truncate(string body, TruncationMode mode, int cutsBefore)
    {
        var rowEnds = new List<int>();
        for (var at = body.IndexOf("</response>", StringComparison.Ordinal); at >= 0; at = body.IndexOf("</response>", at + 1, StringComparison.Ordinal))
        {
            rowEnds.Add(at + "</response>".Length);
        }

        if (rowEnds.Count == 0)
        {
            return body[..(body.IndexOf("<returnData>", StringComparison.Ordinal) + "<returnData>".Length)];
        }

        return mode switch
        {
            TruncationMode.AtWrapper => body[..(rowEnds[^1] + "\n</".Length)],
            TruncationMode.BetweenRows => body[..(rowEnds[(rowEnds.Count - 1) / (2 + cutsBefore % 2)] + 1)],
            _ => body[..(body.LastIndexOf("<response>", StringComparison.Ordinal) + 60)],
        };
    }
}
