using ErpFunctions.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Spectrum;

/// <summary>A job's estimate rows, read completely, what the operator should know about how they were read, and their shape.</summary>
public sealed record SpectrumEstimate(IReadOnlyList<SpectrumEstimateLine> Lines, IReadOnlyList<string> Notes)
{
    /// <summary>Rows per cost type, open and completed: the hint for the job's next read.</summary>
    public EstimateShape Shape { get; init; } = EstimateShape.Empty;
}

/// <summary>What the product reads from Spectrum: a job, its user-defined fields and its estimate lines.</summary>
public interface ISpectrumJobReader
{
    Task<SpectrumJobUdfs?> FindJobUdfsAsync(CallContext calls, string jobNumber, CancellationToken cancellationToken);

    /// <summary>Every job of the company, active, inactive and complete, read completely or not at all.</summary>
    Task<IReadOnlyList<SpectrumJob>> ListJobsAsync(CallContext calls, CancellationToken cancellationToken);

    /// <summary>
    /// Every phase × cost type row of the job, whatever its status, read completely despite the row cap and answers cut
    /// short, or a <see cref="SpectrumException"/> that says why it cannot be. <paramref name="hints"/> only decide how
    /// the calls are cut.
    /// </summary>
    Task<SpectrumEstimate> ReadEstimateAsync(CallContext calls, string jobNumber, EstimateHints hints, CancellationToken cancellationToken);

    /// <summary>
    /// The estimates of many jobs, read together in as few calls as the row cap allows (each job as completely as
    /// <see cref="ReadEstimateAsync"/> reads it); a job that could not be read says why, and the others still count.
    /// </summary>
    Task<IReadOnlyList<JobEstimate>> ReadEstimatesAsync(CallContext calls, IReadOnlyList<JobToRead> jobs, CancellationToken cancellationToken);
}

/// <summary>A job to read among others, with the shape of its last read (null when it has none).</summary>
public sealed record JobToRead(string Job, EstimateShape? Shape);

/// <summary>One job's estimate from a read of many: read completely, or the failure that stopped it.</summary>
public sealed record JobEstimate(string Job, SpectrumEstimate? Estimate, Exception? Failure);

/// <summary>
/// Reads jobs and estimates through Data Exchange, taking nothing for complete that is not: a row list counts only
/// when its wrapper element closes after the last row and no row-cap trailer came. An answer cut short is asked for
/// again; a job's rows that do not fit one answer are read in cost type order, slice by slice
/// (<see cref="CostTypeSlice"/>).
/// </summary>
public sealed partial class SpectrumJobReader(
    SpectrumSoapClient client,
    SpectrumFilterLengths filterLengths,
    IOptions<SpectrumOptions> options,
    ILogger<SpectrumJobReader> logger) : ISpectrumJobReader
{
    /// <summary>A blank status means "active and inactive"; completed jobs and phases must be asked for.</summary>
    private static readonly string[] StatusCalls = ["", "C"];

    /// <summary>When a blank-status call is capped, each status it covers is asked for on its own.</summary>
    private static readonly string[] BlankStatusParts = ["A", "I"];

    public async Task<IReadOnlyList<SpectrumJob>> ListJobsAsync(CallContext calls, CancellationToken cancellationToken)
    {
        var byStatus = await Task.WhenAll(StatusCalls.Select(status =>
            JobRowsAsync(calls, SpectrumService.GetJob, status, wanted: null, cancellationToken)));
        return [.. byStatus.SelectMany(rows => rows).Select(ToJob).Where(j => j.JobNumber.Length > 0)
            .DistinctBy(j => j.JobNumber, StringComparer.OrdinalIgnoreCase)];
    }

    private static SpectrumJob ToJob(SpectrumRow row) => new(row.Text("Company_Code"), row.Text("Job_Number"), row.Text("Job_Description"),
        row.Text("Status_Code"), row.Text("Division"), row.Text("Cost_Center"), row.Text("Customer_Code"));

    public async Task<SpectrumJobUdfs?> FindJobUdfsAsync(CallContext calls, string jobNumber, CancellationToken cancellationToken)
    {
        var row = await FindJobRowAsync(calls, SpectrumService.GetJobUdf, jobNumber, cancellationToken);
        if (row is null)
        {
            return null;
        }

        var values = Enumerable.Range(1, SpectrumJobUdfs.Count).ToDictionary(n => n, n => row.Text($"UDF{n}"));
        return new SpectrumJobUdfs(row.Text("Company_Code"), row.Text("Job_Number"), values);
    }

    public async Task<SpectrumEstimate> ReadEstimateAsync(CallContext calls, string jobNumber, EstimateHints hints, CancellationToken cancellationToken)
    {
        var byStatus = await Task.WhenAll(StatusCalls.Select(status => ReadPhasesAsync(calls, jobNumber, status, hints, cancellationToken)));
        return Merge(byStatus[0], byStatus[1]);
    }

    /// <summary>One job's estimate from its open (active and inactive) and its completed rows.</summary>
    private static SpectrumEstimate Merge(SpectrumEstimate open, SpectrumEstimate completed)
    {
        SpectrumEstimate[] byStatus = [open, completed];
        var lines = new List<SpectrumEstimateLine>();
        var sourceOfKey = new Dictionary<(string, string, string, string), int>();
        for (var call = 0; call < byStatus.Length; call++)
        {
            foreach (var line in byStatus[call].Lines)
            {
                // A row another status call already returned is the same record seen twice; rows repeated within one
                // call are kept for the domain to sum and report.
                if (sourceOfKey.TryAdd(line.Key, call) || sourceOfKey[line.Key] == call)
                {
                    lines.Add(line);
                }
            }
        }

        return new SpectrumEstimate(lines, [.. byStatus.SelectMany(read => read.Notes)])
        {
            Shape = new EstimateShape(byStatus[0].Shape.Open, byStatus[1].Shape.Open),
        };
    }

    private async Task<SpectrumRow?> FindJobRowAsync(CallContext calls, SpectrumService service, string jobNumber, CancellationToken cancellationToken)
    {
        bool IsTheJob(SpectrumRow row) => string.Equals(row.Text("Job_Number"), jobNumber.Trim(), StringComparison.OrdinalIgnoreCase);

        foreach (var status in StatusCalls)
        {
            if ((await JobRowsAsync(calls, service, status, IsTheJob, cancellationToken)).FirstOrDefault(IsTheJob) is { } row)
            {
                return row;
            }
        }

        return null;
    }

    /// <summary>
    /// The company's job rows of one status, whole (GetJob and GetJobUdf have no job-number filter); a blank status over
    /// the row cap is asked for as active and inactive apart. Looking for a <paramref name="wanted"/> row, it stops as
    /// soon as one arrives whole: that none is there counts only from a whole answer.
    /// </summary>
    private async Task<IReadOnlyList<SpectrumRow>> JobRowsAsync(CallContext calls, SpectrumService service, string status, Func<SpectrumRow, bool>? wanted,
        CancellationToken cancellationToken)
    {
        bool Found(SpectrumResponse answer) => wanted is not null && answer.Rows.Any(wanted);

        var arguments = new Dictionary<string, string> { ["pCompany_Code"] = calls.Company.Code, ["pStatus_Code"] = status };
        var answer = await CallUntilWholeAsync(calls, service, arguments, done: Found, cancellationToken);
        if (answer.IsWhole || Found(answer))
        {
            return answer.Rows;
        }

        if (!answer.RowCapReached)
        {
            throw new SpectrumResponseIncompleteException(
                $"Spectrum {service.Name} kept answering cut short for company {calls.Company.Code}, status '{status}'");
        }

        if (status.Length > 0)
        {
            throw RowCapStillReached(service, $"company {calls.Company.Code}, status {status}");
        }

        if (wanted is null)
        {
            var parts = await Task.WhenAll(BlankStatusParts.Select(part => JobRowsAsync(calls, service, part, wanted, cancellationToken)));
            return [.. parts.SelectMany(rows => rows)];
        }

        // One job is in one part: the next is asked for only when the one before has not got it.
        foreach (var part in BlankStatusParts)
        {
            var rows = await JobRowsAsync(calls, service, part, wanted, cancellationToken);
            if (rows.Any(wanted))
            {
                return rows;
            }
        }

        return [];
    }

    /// <summary>
    /// Every row of the job with one status, read slice by slice until each cost type has come whole. With the job's
    /// last shape, the slices are planned from it and asked for at once; with only the company's cost type names, the
    /// first answer tells how many rows a cost type has, and the rest is planned from that. A slice's answer starts the
    /// slices it leaves to read at once, without waiting for the others in flight.
    /// </summary>
    private async Task<SpectrumEstimate> ReadPhasesAsync(CallContext calls, string jobNumber, string status, EstimateHints hints, CancellationToken cancellationToken)
    {
        var read = new PhaseRead();
        var fromShape = filterLengths.LongFiltersAllowed && hints.Shape?.Of(status) is { Count: > 0 };
        var started = new HashSet<CostTypeSlice>();
        var reading = new List<Task<IReadOnlyList<CostTypeSlice>>>();
        // One slice that fails ends the read: the slices still in flight are called off, so that none goes on spending
        // calls (or overlaps a retry of the read), and waited for, so that their failures are observed too.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void Start(IEnumerable<CostTypeSlice> slices)
        {
            // Slices that a server refused all fall back to the same strict slice: it is read once.
            reading.AddRange(slices.Where(started.Add).Select(slice => ReadSliceAsync(calls, jobNumber, status, slice, read, stop.Token)));
        }

        try
        {
            Start(fromShape ? CostTypeSlice.Planned("!", hints.Shape!.Of(status).Select(t => (t.Key, t.Value))) : [CostTypeSlice.All]);
            while (reading.Count > 0)
            {
                var answered = await Task.WhenAny(reading);
                reading.Remove(answered);
                var next = await answered;
                if (!fromShape && next is [{ OpenFrom: { } from }] && filterLengths.LongFiltersAllowed && hints.CostTypes is { } names)
                {
                    // Planned from a guess, each answer that leaves the rest to read asks for no more slices than can be
                    // in flight at once, the last one asking for the rest: a guess too high for a job that uses few of
                    // the company's cost types costs no call, and one too low costs no time.
                    next = [.. CostTypeSlice.Planned(from, Expected(await names, from, read), options.Value.MaxConcurrentCalls)];
                }

                Start(next);
            }
        }
        finally
        {
            if (reading.Count > 0)
            {
                await stop.CancelAsync();
                await Task.WhenAll(reading).ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
            }
        }

        return read.ToEstimate();
    }

    /// <summary>
    /// The rows each cost type from <paramref name="from"/> on is expected to have, from what the answers so far showed:
    /// the rows its cost types had on average, spread over the company's cost types in the share the job used of those
    /// its rows have covered so far (a company may have many more cost types than one job uses, and those before the
    /// job's first one say nothing about how many it uses after).
    /// </summary>
    private static IEnumerable<(string Type, int Rows)> Expected(IReadOnlyCollection<string> companyTypes, string from, PhaseRead read)
    {
        var counts = read.Counts;
        var first = counts.Keys.Order(StringComparer.Ordinal).FirstOrDefault() ?? from;
        var covered = companyTypes.Where(t => string.CompareOrdinal(t, first) >= 0 && string.CompareOrdinal(t, from) < 0).ToList();
        var used = covered.Count == 0 ? 1.0 : covered.Count(counts.ContainsKey) / (double)covered.Count;
        var rows = Math.Max(1, (int)Math.Ceiling(read.AverageRows * Math.Max(used, 1.0 / Math.Max(1, covered.Count))));
        return companyTypes.Append(from).Select(type => (type, rows));
    }

    /// <summary>Reads one slice; answers the slices still to read.</summary>
    private async Task<IReadOnlyList<CostTypeSlice>> ReadSliceAsync(CallContext calls, string jobNumber, string status, CostTypeSlice slice, PhaseRead read,
        CancellationToken cancellationToken)
    {
        var partition = $"job {jobNumber}, status '{status}', cost types '{slice.Filter}'";
        SpectrumResponse answer;
        try
        {
            answer = await CallUntilWholeAsync(calls, SpectrumService.GetPhaseEnhanced, PhaseFilter(calls, jobNumber, status, slice), done: _ => false,
                cancellationToken);
        }
        catch (SpectrumFaultException refused) when (!refused.IsServerFault && !slice.FitsDeclaredLength)
        {
            if (filterLengths.LongFiltersAllowed)
            {
                filterLengths.Refused(slice.Filter);
                LogLongFilterRefused(slice.Filter, refused.FaultString);
            }

            return [slice switch
            {
                CostTypeSlice.From from => new CostTypeSlice.From(from.Type[..1]),
                CostTypeSlice.Between between => new CostTypeSlice.From(between.First[..1]),
                _ => CostTypeSlice.All,
            }];
        }

        if (answer.IsWhole)
        {
            read.AcceptAll(answer.Rows);
            return [];
        }

        if (slice is CostTypeSlice.Exactly)
        {
            return await ReadSmallestSliceAsync(calls, answer, partition, jobNumber, status, slice, read, cancellationToken);
        }

        var types = read.CostTypesInOrder(answer.Rows, partition);
        if (types.Count == 0)
        {
            throw new SpectrumResponseIncompleteException($"Spectrum answered {partition} cut short before its first row");
        }

        read.Accept(answer.Rows, [.. types.Take(types.Count - 1)]);
        LogSliced(partition, answer.RowCapReached ? "reached the row cap" : "was cut short", types[^1]);
        return slice.After(types[^1], alone: types.Count == 1, filterLengths.LongFiltersAllowed)
            ?? throw RowCapStillReached(SpectrumService.GetPhaseEnhanced, partition + FilterAdvice());
    }

    /// <summary>
    /// One cost type that did not come whole. Over the row cap it cannot be read through Data Exchange. Cut short, it is
    /// accepted only as the documented tail cut (every row whole, the closing tags lost) and only when a second read
    /// returns the same rows; anything else fails rather than plan on part of the job.
    /// </summary>
    private async Task<IReadOnlyList<CostTypeSlice>> ReadSmallestSliceAsync(CallContext calls, SpectrumResponse answer, string partition, string jobNumber,
        string status, CostTypeSlice slice, PhaseRead read, CancellationToken cancellationToken)
    {
        if (answer.RowCapReached)
        {
            throw RowCapStillReached(SpectrumService.GetPhaseEnhanced, partition);
        }

        if (answer.Completeness == Completeness.CutAfterRow)
        {
            var again = await CallUntilWholeAsync(calls, SpectrumService.GetPhaseEnhanced, PhaseFilter(calls, jobNumber, status, slice), done: _ => false,
                cancellationToken);
            if (again.IsWhole || (again.Completeness == Completeness.CutAfterRow && !again.RowCapReached && SameRows(answer, again)))
            {
                read.AcceptAll(again.Rows);
                if (!again.IsWhole)
                {
                    read.Note($"Spectrum's answers for {partition} lost their closing tags; two reads returned the same {again.Rows.Count} rows, which were kept");
                }

                return [];
            }
        }

        throw new SpectrumResponseIncompleteException($"Spectrum kept answering {partition} cut short, and it cannot be split further");
    }

    /// <summary>Asks again while an answer arrives cut short (up to <c>MaxAttempts</c>), unless <paramref name="done"/> says it holds enough.</summary>
    private async Task<SpectrumResponse> CallUntilWholeAsync(CallContext calls, SpectrumService service, Dictionary<string, string> arguments,
        Func<SpectrumResponse, bool> done, CancellationToken cancellationToken)
    {
        var answer = await client.CallAsync(calls, service, arguments, cancellationToken);
        for (var attempt = 1; attempt < options.Value.MaxAttempts && answer.Completeness != Completeness.Complete && !done(answer); attempt++)
        {
            answer = await client.CallAsync(calls, service, arguments, cancellationToken);
        }

        return answer;
    }

    /// <summary>One job's rows of a cost type slice, sorted by cost type.</summary>
    private Dictionary<string, string> PhaseFilter(CallContext calls, string jobNumber, string status, CostTypeSlice slice) =>
        PhaseArguments(calls, jobNumber.Trim(), status, slice.Filter, sortBy: "C");

    /// <param name="sortBy">Blank: by job, phase, cost type; <c>C</c>: by cost type, job, phase.</param>
    private Dictionary<string, string> PhaseArguments(CallContext calls, string jobs, string status, string costTypes, string sortBy) => new()
    {
        ["pCompany_Code"] = calls.Company.Code,
        ["pJob_Number"] = jobs,
        ["pStatus_Code"] = status,
        ["pCost_Type"] = costTypes,
        ["pSort_By"] = sortBy,
    };

    private string FilterAdvice() => filterLengths.LongFiltersAllowed
        ? ""
        : $"; within the {CostTypeSlice.DeclaredLength} characters pCost_Type declares no filter asks for fewer rows"
            + (options.Value.LongFilters ? " (the server refused a longer one)" : " (Spectrum:LongFilters is off)");

    private static bool SameRows(SpectrumResponse first, SpectrumResponse second) =>
        first.Rows.Count == second.Rows.Count && first.Rows.Zip(second.Rows).All(pair => pair.First.SameFields(pair.Second));

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

    /// <summary>
    /// The rows of one status read so far: a cost type's rows are taken from the first answer that holds all of them,
    /// as estimate lines at once, so that a large job's answers are not all held at the same time.
    /// </summary>
    private sealed class PhaseRead
    {
        private readonly Lock gate = new();
        private readonly Dictionary<string, List<SpectrumEstimateLine>> byCostType = new(StringComparer.OrdinalIgnoreCase);
        private readonly List<string> notes = [];

        public IEnumerable<SpectrumEstimateLine> Lines => byCostType.Values.SelectMany(lines => lines);

        /// <summary>Rows per cost type read so far.</summary>
        public IReadOnlyDictionary<string, int> Counts
        {
            get
            {
                lock (gate)
                {
                    return byCostType.ToDictionary(t => t.Key, t => t.Value.Count, StringComparer.OrdinalIgnoreCase);
                }
            }
        }

        /// <summary>The rows a cost type has had on average so far (at least one).</summary>
        public int AverageRows
        {
            get
            {
                lock (gate)
                {
                    return byCostType.Count == 0 ? 1 : Math.Max(1, (int)Math.Ceiling(byCostType.Values.Average(rows => rows.Count)));
                }
            }
        }

        public IReadOnlyList<string> Notes => notes;

        /// <summary>What was read, as one status call's estimate: its shape counts the rows per cost type under <c>Open</c>.</summary>
        public SpectrumEstimate ToEstimate() => new([.. Lines], notes) { Shape = new EstimateShape(Counts, EstimateShape.Empty.Open) };

        public void AcceptAll(IReadOnlyList<SpectrumRow> rows) => Accept(rows, [.. rows.Select(CostType).Distinct(StringComparer.OrdinalIgnoreCase)]);

        public void Accept(IReadOnlyList<SpectrumRow> rows, IReadOnlyList<string> completeTypes)
        {
            lock (gate)
            {
                foreach (var type in completeTypes.Where(t => !byCostType.ContainsKey(t)))
                {
                    byCostType[type] = [.. rows.Where(r => string.Equals(CostType(r), type, StringComparison.OrdinalIgnoreCase)).Select(ToEstimateLine)];
                }
            }
        }

        public void Note(string note)
        {
            lock (gate)
            {
                notes.Add(note);
            }
        }

        /// <summary>The answer's cost types in the order they came; an answer not sorted by cost type cannot be sliced.</summary>
        public IReadOnlyList<string> CostTypesInOrder(IReadOnlyList<SpectrumRow> rows, string partition)
        {
            var order = new List<string>();
            foreach (var type in rows.Select(CostType))
            {
                if (order.Count > 0 && string.Equals(order[^1], type, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (order.Contains(type, StringComparer.OrdinalIgnoreCase))
                {
                    throw new SpectrumResponseIncompleteException(
                        $"Spectrum did not sort {partition} by cost type as asked, so its rows cut short cannot be told complete");
                }

                order.Add(type);
            }

            return order;
        }

        private static string CostType(SpectrumRow row) => row.Text("Cost_Type");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Spectrum's answer for {Partition} {What}; reading on from cost type {Last}")]
    private partial void LogSliced(string partition, string what, string last);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Spectrum refused the filter '{Filter}' ({Fault}); only filters within a parameter's declared length are sent from now on")]
    private partial void LogLongFilterRefused(string filter, string fault);
}
