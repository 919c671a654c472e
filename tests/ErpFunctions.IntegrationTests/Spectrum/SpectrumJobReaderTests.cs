using ErpFunctions.TestSupport;
using ErpFunctions.Simulators;
using ErpFunctions.Simulators.Spectrum;
using ErpFunctions.Spectrum;
using Microsoft.Extensions.DependencyInjection;

namespace ErpFunctions.IntegrationTests.Spectrum;

/// <summary>The Spectrum client against the simulator over real HTTP; one fresh simulator per test.</summary>
public class SpectrumJobReaderTests : IAsyncLifetime
{
    private SpectrumSimulator simulator = null!;

    public async Task InitializeAsync() => simulator = await SpectrumSimulator.StartAsync();

    public async Task DisposeAsync() => await simulator.DisposeAsync();

    private static async Task<IReadOnlyList<SpectrumEstimateLine>> Lines(ServiceProvider services, string job) =>
        (await services.Reader().ReadEstimateAsync(TestCalls.New(), job, EstimateHints.None, default)).Lines;

    private IReadOnlyList<RequestLogEntry> Calls(string service) =>
        [.. simulator.ServiceCalls.Where(c => c.Path == "/ws/" + service)];

    [Fact]
    public async Task Finds_a_job_by_number_among_the_company_jobs()
    {
        await using var services = SpectrumClients.Create(simulator);

        var job = await services.Reader().FindJobUdfsAsync(TestCalls.New(), "22-208", default);

        (job!.CompanyCode, job.JobNumber, job[1], job[2]).Should().Be(("ABC", "22-208", "Y", "Y"));
        Calls("GetJobUDF").Should().ContainSingle().Which.Details["pStatus_Code"].Should().BeEmpty();
    }

    [Fact]
    public async Task Asks_for_completed_jobs_when_the_job_is_neither_active_nor_inactive()
    {
        await using var services = SpectrumClients.Create(simulator);

        var job = await services.Reader().FindJobUdfsAsync(TestCalls.New(), "19-101", default);

        job!.JobNumber.Should().Be("19-101");
        Calls("GetJobUDF").Select(c => c.Details["pStatus_Code"]).Should().Equal("", "C");
    }

    [Fact]
    public async Task Reports_an_unknown_job_as_absent()
    {
        await using var services = SpectrumClients.Create(simulator);

        (await services.Reader().FindJobUdfsAsync(TestCalls.New(), "99-999", default)).Should().BeNull();
    }

    [Fact]
    public async Task Finds_a_job_among_more_open_jobs_than_an_answer_holds_asking_for_the_active_ones_apart()
    {
        simulator.Data.RowCap = 5;
        await using var services = SpectrumClients.Create(simulator);

        var job = await services.Reader().FindJobUdfsAsync(TestCalls.New(), "26-607", default);

        job!.JobNumber.Should().Be("26-607");
        Calls("GetJobUDF").Select(c => c.Details["pStatus_Code"]).Should().Equal(["", "A"], "the active jobs had it: the inactive ones are not asked for");
    }

    [Fact]
    public async Task Lists_every_job_of_the_company_when_the_open_ones_are_more_than_an_answer_holds()
    {
        simulator.Data.RowCap = 5;
        await using var services = SpectrumClients.Create(simulator);

        var jobs = await services.Reader().ListJobsAsync(TestCalls.New(), default);

        jobs.Select(j => (j.JobNumber, j.StatusCode)).Should().BeEquivalentTo([("19-101", "C"), ("21-150", "I"), ("22-208", "A"), ("24-404", "A"),
            ("25-505", "A"), ("26-606", "A"), ("26-607", "A")]);
        Calls("GetJob").Select(c => c.Details["pStatus_Code"]).Should().BeEquivalentTo(["", "C", "A", "I"]);
    }

    [Fact]
    public async Task Refuses_to_list_jobs_when_one_status_alone_is_more_than_an_answer_holds()
    {
        simulator.Data.RowCap = 4;
        await using var services = SpectrumClients.Create(simulator);

        var list = () => services.Reader().ListJobsAsync(TestCalls.New(), default);

        (await list.Should().ThrowAsync<SpectrumRowCapException>()).WithMessage("*GetJob*company ABC, status A*");
    }

    [Fact]
    public async Task Reads_a_job_user_defined_fields()
    {
        simulator.Data.SetUdf("ABC", "22-208", 20, "last one");
        await using var services = SpectrumClients.Create(simulator);

        var udfs = await services.Reader().FindJobUdfsAsync(TestCalls.New(), "22-208", default);

        udfs![1].Should().Be("Y");
        udfs[2].Should().Be("Y");
        udfs[20].Should().Be("last one");
        udfs[7].Should().BeEmpty();
    }

    [Fact]
    public async Task Sends_every_parameter_the_endpoint_as_SOAPAction_and_a_fresh_GUID_per_call()
    {
        await using var services = SpectrumClients.Create(simulator);

        await services.Reader().FindJobUdfsAsync(TestCalls.New(), "19-101", default);
        await Lines(services, "22-208");

        var calls = simulator.ServiceCalls;
        calls.Should().HaveCount(4).And.OnlyContain(c => c.Status == 200, "the simulator faults on a missing parameter");
        calls.Should().OnlyContain(c => c.Details["soapAction"] == $"{simulator.BaseAddress}ws/{c.Details["service"]}");
        calls.Should().OnlyContain(c => c.Details["Authorization_ID"] == "valid");
        var guids = calls.Select(c => Guid.Parse(c.Details["GUID"])).ToList();
        guids.Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Reads_every_line_of_a_job_with_cents_zero_and_negative_estimates()
    {
        await using var services = SpectrumClients.Create(simulator);

        var lines = await Lines(services, "22-208");

        lines.Should().HaveCount(15);
        lines.Sum(l => l.CurrentEstimate).Should().Be(503613.39m);
        lines.Single(l => l.PhaseCode == "014500" && l.CostType == "E").CurrentEstimate.Should().Be(-150.00m);
        lines.Single(l => l.PhaseCode == "099100").CurrentEstimate.Should().Be(0.50m);
        lines.Single(l => l.PhaseCode == "013100" && l.CostType == "M")
            .Should().Match<SpectrumEstimateLine>(l => l.CurrentEstimate == 0m && l.JobToDateCost == 120.00m);
        Calls("GetPhaseEnhanced").Select(c => (c.Details["pJob_Number"], c.Details["pStatus_Code"]))
            .Should().BeEquivalentTo([("22-208", ""), ("22-208", "C")]);
    }

    [Fact]
    public async Task Reads_the_phases_of_a_completed_job()
    {
        await using var services = SpectrumClients.Create(simulator);

        var lines = await Lines(services, "19-101");

        lines.Should().HaveCount(3).And.OnlyContain(l => l.StatusCode == "C");
    }

    [Fact]
    public async Task Reads_the_estimate_under_its_documented_element_name()
    {
        simulator.Quirks.EstimateElementName = "Current_Estimated_Dollars";
        await using var services = SpectrumClients.Create(simulator);

        var lines = await Lines(services, "22-208");

        lines.Sum(l => l.CurrentEstimate).Should().Be(503613.39m);
    }

    [Fact]
    public async Task Trims_padded_values()
    {
        simulator.Quirks.PadValues = true;
        await using var services = SpectrumClients.Create(simulator);

        var job = await services.Reader().FindJobUdfsAsync(TestCalls.New(), "22-208", default);
        var lines = await Lines(services, "22-208");

        (job!.JobNumber, job[1]).Should().Be(("22-208", "Y"));
        lines.Should().Contain(l => l.PhaseCode == "013100" && l.CostType == "L" && l.JobNumber == "22-208"
            && l.Description == "Project management" && l.JobToDateCost == 859.51m);
    }

    [Fact]
    public async Task Keeps_the_rows_of_an_envelope_whose_closing_tags_are_cut_off_without_asking_again()
    {
        simulator.Quirks.TruncateNext(1, TruncationMode.AtWrapper);
        await using var services = SpectrumClients.Create(simulator);

        var udfs = await services.Reader().FindJobUdfsAsync(TestCalls.New(), "26-607", default);

        udfs![1].Should().Be("Y");
        Calls("GetJobUDF").Should().ContainSingle().Which.Details.Should().ContainKey("truncated");
    }

    [Fact]
    public async Task Asks_again_when_an_empty_result_is_cut_before_it_closes()
    {
        simulator.Data.AddJob("ABC", new SeedJob { Number = "30-003", Description = "No phases yet" });
        await using var services = SpectrumClients.Create(simulator);
        simulator.Quirks.TruncateNext(1, TruncationMode.AtWrapper);

        var lines = await Lines(services, "30-003");

        lines.Should().BeEmpty();
        Calls("GetPhaseEnhanced").Should().HaveCount(3, "an empty answer without its closing tags could have lost rows");
    }

    [Fact]
    public async Task Asks_again_when_the_job_is_not_among_the_rows_of_an_answer_cut_inside_a_row()
    {
        await using var services = SpectrumClients.Create(simulator);
        simulator.Quirks.TruncateNext(1, TruncationMode.InsideRow);

        var job = await services.Reader().FindJobUdfsAsync(TestCalls.New(), "26-607", default);

        job.Should().NotBeNull("26-607 is the last job of the answer, the row that was cut");
        Calls("GetJobUDF").Should().HaveCount(2);
        Calls("GetJobUDF")[0].Details.Should().ContainKey("truncated");
    }

    [Fact]
    public async Task Takes_a_job_row_that_arrived_whole_from_an_answer_cut_after_it()
    {
        await using var services = SpectrumClients.Create(simulator);
        simulator.Quirks.TruncateNext(1, TruncationMode.InsideRow);

        var job = await services.Reader().FindJobUdfsAsync(TestCalls.New(), "21-150", default);

        job!.JobNumber.Should().Be("21-150");
        Calls("GetJobUDF").Should().ContainSingle();
    }

    [Fact]
    public async Task Fails_clearly_when_the_company_s_jobs_keep_arriving_cut_short()
    {
        await using var services = SpectrumClients.Create(simulator);
        simulator.Quirks.TruncateNext(10, TruncationMode.BetweenRows);

        var find = () => services.Reader().FindJobUdfsAsync(TestCalls.New(), "26-607", default);

        (await find.Should().ThrowAsync<SpectrumResponseIncompleteException>()).WithMessage("SpectrumResponseIncomplete: *GetJob*");
    }

    [Fact]
    public async Task Retries_a_server_fault_and_then_succeeds()
    {
        simulator.Faults.FailNext(1);
        await using var services = SpectrumClients.Create(simulator);

        var job = await services.Reader().FindJobUdfsAsync(TestCalls.New(), "22-208", default);

        job.Should().NotBeNull();
        Calls("GetJobUDF").Select(c => c.Status).Should().Equal(500, 200);
    }

    [Fact]
    public async Task Retries_a_dropped_connection_and_then_succeeds()
    {
        simulator.Faults.DropNext(1);
        await using var services = SpectrumClients.Create(simulator);

        var job = await services.Reader().FindJobUdfsAsync(TestCalls.New(), "22-208", default);

        job.Should().NotBeNull();
        Calls("GetJobUDF").Should().HaveCount(2);
    }

    [Fact]
    public async Task Reads_again_an_answer_whose_connection_ends_inside_its_body()
    {
        await using var services = SpectrumClients.Create(simulator);
        var whole = await Lines(services, "22-208");
        simulator.Log.Clear();
        simulator.Faults.CutBodyNext(1, "/ws/GetPhaseEnhanced");

        var lines = await Lines(services, "22-208");

        lines.Select(l => l.Key).Should().BeEquivalentTo(whole.Select(l => l.Key));
        var calls = Calls("GetPhaseEnhanced");
        calls.Should().HaveCount(3, "one call per status, and the one cut off once more");
        calls.Should().ContainSingle(c => c.Details.GetValueOrDefault("fault") == "body cut off");
    }

    [Fact]
    public async Task Gives_up_after_the_configured_attempts_of_server_faults()
    {
        simulator.Faults.FailNext(10);
        await using var services = SpectrumClients.Create(simulator, s => s["Spectrum:MaxAttempts"] = "3");

        var read = () => services.Reader().FindJobUdfsAsync(TestCalls.New(), "22-208", default);

        (await read.Should().ThrowAsync<SpectrumFaultException>()).Which.IsServerFault.Should().BeTrue();
        Calls("GetJobUDF").Should().HaveCount(3);
    }

    [Fact]
    public async Task Does_not_retry_a_client_fault()
    {
        simulator.Quirks.ClientFaultNext(1);
        await using var services = SpectrumClients.Create(simulator);

        var read = () => services.Reader().FindJobUdfsAsync(TestCalls.New(), "22-208", default);

        (await read.Should().ThrowAsync<SpectrumFaultException>()).Which.IsRetryable.Should().BeFalse();
        Calls("GetJobUDF").Should().ContainSingle();
    }

    [Fact]
    public async Task Reports_a_wrong_Authorization_ID_as_a_typed_error_without_retrying()
    {
        await using var services = SpectrumClients.Create(simulator, s => s["Spectrum:AuthorizationId"] = "WRONG");

        var read = () => services.Reader().ReadEstimateAsync(TestCalls.New(), "22-208", EstimateHints.None, default);

        var error = (await read.Should().ThrowAsync<SpectrumServiceErrorException>()).Which;
        (error.Code, error.Description, error.Column).Should().Be(("A", SdeServer.NotAuthorized, "Authorization_ID"));
        Calls("GetPhaseEnhanced").Should().HaveCountLessThanOrEqualTo(2, "one call per status, none retried");
    }

    [Fact]
    public async Task Reads_a_job_over_the_row_cap_completely_page_by_page_in_cost_type_order()
    {
        await using var services = SpectrumClients.Create(simulator);

        var lines = await Lines(services, "24-404");

        var expected = simulator.Data.Lines.Where(l => l.Job == "24-404").ToList();
        expected.Should().HaveCountGreaterThan(500);
        lines.Should().HaveCount(expected.Count);
        lines.Select(l => (l.PhaseCode, l.CostType)).Should().OnlyHaveUniqueItems();
        lines.Sum(l => l.CurrentEstimate).Should().Be(expected.Sum(l => l.Estimate));
        var blank = Calls("GetPhaseEnhanced").Where(c => c.Details["pStatus_Code"] == "").ToList();
        blank.Should().OnlyContain(c => c.Details["pSort_By"] == "C" && c.Details["pCost_Type"].Length <= 3);
        blank.Select(c => c.Details["pCost_Type"]).Should().Equal("", "L/~", "M/~", "O/~", "S/~");
    }

    [Fact]
    public async Task Reads_a_job_over_the_row_cap_completely_when_its_first_answer_is_cut_between_rows_every_time()
    {
        simulator.Quirks.TruncateNext(3, TruncationMode.BetweenRows, when: p => p.GetValueOrDefault("pCost_Type") == "" && p.GetValueOrDefault("pStatus_Code") == "");
        await using var services = SpectrumClients.Create(simulator);

        var lines = await Lines(services, "24-404");

        lines.Should().HaveCount(simulator.Data.Lines.Count(l => l.Job == "24-404"));
        lines.Sum(l => l.CurrentEstimate).Should().Be(simulator.Data.Lines.Where(l => l.Job == "24-404").Sum(l => l.Estimate));
        Calls("GetPhaseEnhanced").Count(c => c.Details.ContainsKey("truncated")).Should().Be(3);
    }

    [Fact]
    public async Task Reads_a_2000_row_job_in_at_most_4_plus_cost_types_calls_within_the_concurrency_limit()
    {
        string[] costTypes = ["E", "L", "M", "O", "S"];
        simulator.Data.AddJob("ABC", new SeedJob
        {
            Number = "30-001", Description = "Two thousand rows", Status = "A",
            Generate = new SeedGeneratedPhases { Phases = 400, CostTypes = [.. costTypes], Seed = 9 },
        });
        simulator.Faults.Latency = TimeSpan.FromMilliseconds(100);
        await using var services = SpectrumClients.Create(simulator, s => s["Spectrum:MaxConcurrentCalls"] = "2");

        var job = await services.Reader().FindJobUdfsAsync(TestCalls.New(), "30-001", default);
        var lines = await Lines(services, "30-001");

        job.Should().NotBeNull();
        lines.Should().HaveCount(2000);
        simulator.ServiceCalls.Should().HaveCountLessThanOrEqualTo(4 + costTypes.Length);
        simulator.Log.PeakInFlight.Should().Be(2, "partitions are read in parallel, never beyond the limit");
        simulator.ServiceCalls.Should().OnlyContain(c => c.InFlightAtStart <= 2);
    }

    [Fact]
    public async Task Finds_a_cost_type_that_the_capped_answer_did_not_show()
    {
        simulator.Data.AddJob("ABC", LateCostTypeJob());
        await using var services = SpectrumClients.Create(simulator);

        var lines = await Lines(services, "30-002");

        lines.Should().HaveCount(610);
        lines.Count(l => l.CostType == "X").Should().Be(10);
        Calls("GetPhaseEnhanced").Should().OnlyContain(c => c.Details["pCost_Type"].Length <= 3);
    }

    [Fact]
    public async Task Finds_it_with_filters_of_at_most_three_characters_when_longer_ones_are_off()
    {
        simulator.Data.AddJob("ABC", LateCostTypeJob());
        await using var services = SpectrumClients.Create(simulator, s => s["Spectrum:LongFilters"] = "false");

        var lines = await Lines(services, "30-002");

        lines.Should().HaveCount(610);
        Calls("GetPhaseEnhanced").Where(c => c.Details["pStatus_Code"] == "").Select(c => c.Details["pCost_Type"])
            .Should().BeEquivalentTo(["", "S*", "T/~"], "the S group and what follows it are asked for at the same time");
    }

    [Fact]
    public async Task Pages_with_filters_longer_than_three_characters_where_the_server_takes_them()
    {
        simulator.Quirks.EnforceDeclaredLengths = false;
        simulator.Data.AddJob("ABC", ManyCostTypesJob("30-005", phases: 40));
        await using var services = SpectrumClients.Create(simulator);

        var lines = await Lines(services, "30-005");

        lines.Should().HaveCount(1000);
        Calls("GetPhaseEnhanced").Where(c => c.Details["pStatus_Code"] == "").Select(c => c.Details["pCost_Type"])
            .Should().Equal("", "C13/~~~", "C25/~~~");
    }

    [Fact]
    public async Task Fails_clearly_rather_than_read_part_of_a_job_that_filters_of_three_characters_cannot_narrow()
    {
        simulator.Data.AddJob("ABC", ManyCostTypesJob("30-005", phases: 40));
        await using var services = SpectrumClients.Create(simulator);

        var read = () => services.Reader().ReadEstimateAsync(TestCalls.New(), "30-005", EstimateHints.None, default);

        (await read.Should().ThrowAsync<SpectrumRowCapException>()).WithMessage("*30-005*within the 3 characters*the server refused a longer one*");
        Calls("GetPhaseEnhanced").Count(c => c.Details["pCost_Type"].Length > 3).Should().Be(1, "a refused long filter is not sent again");
    }

    [Fact]
    public async Task Keeps_one_cost_type_cut_at_the_wrapper_when_two_reads_return_the_same_rows_and_says_so()
    {
        simulator.Data.AddJob("ABC", TwoCostTypesJob("30-004"));
        simulator.Quirks.TruncateNext(20, TruncationMode.AtWrapper, when: p => p.GetValueOrDefault("pCost_Type") is "M/~" or "M");
        await using var services = SpectrumClients.Create(simulator);

        var estimate = await services.Reader().ReadEstimateAsync(TestCalls.New(), "30-004", EstimateHints.None, default);

        estimate.Lines.Should().HaveCount(600);
        estimate.Notes.Should().ContainSingle().Which.Should().Contain("cost types 'M'").And.Contain("same 300 rows");
    }

    [Fact]
    public async Task Fails_rather_than_keep_one_cost_type_cut_between_rows()
    {
        simulator.Data.AddJob("ABC", TwoCostTypesJob("30-004"));
        simulator.Quirks.TruncateNext(20, TruncationMode.BetweenRows, when: p => p.GetValueOrDefault("pCost_Type") is "M/~" or "M");
        await using var services = SpectrumClients.Create(simulator);

        var read = () => services.Reader().ReadEstimateAsync(TestCalls.New(), "30-004", EstimateHints.None, default);

        (await read.Should().ThrowAsync<SpectrumResponseIncompleteException>()).WithMessage("SpectrumResponseIncomplete: *cost types 'M'*");
    }

    [Fact]
    public async Task Fails_clearly_when_one_cost_type_alone_exceeds_the_row_cap()
    {
        simulator.Data.RowCap = 50;
        await using var services = SpectrumClients.Create(simulator);

        var read = () => services.Reader().ReadEstimateAsync(TestCalls.New(), "24-404", EstimateHints.None, default);

        (await read.Should().ThrowAsync<SpectrumRowCapException>()).WithMessage("*24-404*cost type*");
    }

    [Fact]
    public async Task Reads_1000_rows_over_25_cost_types_in_four_calls_once_the_company_s_cost_types_are_known()
    {
        simulator.Quirks.EnforceDeclaredLengths = false;
        simulator.Data.AddJob("ABC", ManyCostTypesJob("30-005", phases: 40));
        await using var services = SpectrumClients.Create(simulator);
        IReadOnlyCollection<string> companyTypes = [.. Enumerable.Range(1, 25).Select(t => $"C{t:00}")];

        var first = await services.Reader().ReadEstimateAsync(TestCalls.New(), "30-005", new EstimateHints(null, Task.FromResult(companyTypes)), default);
        var firstCalls = simulator.ServiceCalls.Count;
        var again = await services.Reader().ReadEstimateAsync(TestCalls.New(), "30-005", new EstimateHints(first.Shape, null), default);

        first.Lines.Should().HaveCount(1000);
        again.Lines.Should().BeEquivalentTo(first.Lines);
        firstCalls.Should().BeLessThanOrEqualTo(4, "one capped answer, then the rest planned at once, and the completed-status call");
        (simulator.ServiceCalls.Count - firstCalls).Should().BeLessThanOrEqualTo(4, "the shape plans every call before the first answer");
        first.Shape.Open.Should().HaveCount(25).And.AllSatisfy(t => t.Value.Should().Be(40));
    }

    [Fact]
    public async Task Plans_a_first_read_from_the_cost_types_the_job_s_rows_cover_not_from_those_the_company_has_before_them()
    {
        simulator.Quirks.EnforceDeclaredLengths = false;
        simulator.Data.AddJob("ABC", ManyCostTypesJob("30-006", phases: 100, costTypes: 50));
        await using var services = SpectrumClients.Create(simulator);
        // The company has 50 cost types the job never uses, all sorted before the job's own 50 of 100 rows each.
        IReadOnlyCollection<string> companyTypes = [.. Enumerable.Range(1, 50).Select(t => $"A{t:00}"), .. Enumerable.Range(1, 50).Select(t => $"C{t:00}")];

        var estimate = await services.Reader().ReadEstimateAsync(TestCalls.New(), "30-006", new EstimateHints(null, Task.FromResult(companyTypes)), default);

        estimate.Lines.Should().HaveCount(5000);
        var capped = Calls("GetPhaseEnhanced").Count(c => c.Details.GetValueOrDefault("rows") == "501");
        capped.Should().BeLessThanOrEqualTo(5, "ranges planned at 100 rows a cost type come back whole; only each round's last asks for the "
            + "rest and reaches the cap (a guess spread over the 50 unused cost types makes every answer a capped one)");
    }

    [Fact]
    public async Task Reads_many_jobs_in_lists_that_each_fill_an_answer_and_every_job_completely()
    {
        simulator.Quirks.EnforceDeclaredLengths = false;
        var jobs = AddSmallJobs(30);
        await using var services = SpectrumClients.Create(simulator);
        var alone = new Dictionary<string, SpectrumEstimate>();
        foreach (var job in jobs)
        {
            alone[job] = await services.Reader().ReadEstimateAsync(TestCalls.New(), job, EstimateHints.None, default);
        }

        var rows = alone.Values.Sum(e => e.Lines.Count);
        var withoutShapes = await services.Reader().ReadEstimatesAsync(TestCalls.New(), [.. jobs.Select(j => new JobToRead(j, null))], default);
        var before = simulator.ServiceCalls.Count;
        var withShapes = await services.Reader().ReadEstimatesAsync(TestCalls.New(), [.. jobs.Select(j => new JobToRead(j, alone[j].Shape))], default);

        foreach (var read in withoutShapes.Concat(withShapes))
        {
            read.Failure.Should().BeNull();
            read.Estimate!.Lines.Should().BeEquivalentTo(alone[read.Job].Lines, $"job {read.Job} is read whole");
        }

        var calls = simulator.ServiceCalls.Skip(before).ToList();
        calls.Should().HaveCountLessThanOrEqualTo((int)Math.Ceiling(rows / 500.0) + 2, "the lists are packed from each job's last shape");
        calls.Should().OnlyContain(c => c.Details["pJob_Number"].Contains(','), "every call reads several jobs");
    }

    [Fact]
    public async Task Takes_from_an_answer_at_the_row_cap_only_the_jobs_before_its_last_and_reads_on()
    {
        simulator.Quirks.EnforceDeclaredLengths = false;
        var jobs = AddSmallJobs(30);
        await using var services = SpectrumClients.Create(simulator);
        var understated = new EstimateShape(new Dictionary<string, int> { ["E"] = 1 }, new Dictionary<string, int>());

        var read = await services.Reader().ReadEstimatesAsync(TestCalls.New(), [.. jobs.Select(j => new JobToRead(j, understated))], default);

        read.Should().HaveCount(30).And.OnlyContain(r => r.Failure == null);
        foreach (var job in read)
        {
            job.Estimate!.Lines.Should().BeEquivalentTo((await services.Reader().ReadEstimateAsync(TestCalls.New(), job.Job, EstimateHints.None, default)).Lines);
        }

        simulator.ServiceCalls.Should().Contain(c => c.Details["pJob_Number"].Contains(',') && c.Details["pStatus_Code"] == "",
            "all 30 jobs were expected to fit one answer");
    }

    [Fact]
    public async Task Reads_job_by_job_once_the_server_refuses_a_list_longer_than_the_declared_length()
    {
        var jobs = AddSmallJobs(5);
        await using var services = SpectrumClients.Create(simulator);

        var read = await services.Reader().ReadEstimatesAsync(TestCalls.New(), [.. jobs.Select(j => new JobToRead(j, null))], default);

        read.Should().HaveCount(5).And.OnlyContain(r => r.Failure == null && r.Estimate!.Lines.Count > 0);
        Calls("GetPhaseEnhanced").Count(c => c.Details["pJob_Number"].Length > 10).Should().BeLessThanOrEqualTo(2,
            "each status's first list is refused once, then jobs are asked for one at a time");
        Calls("GetPhaseEnhanced").Select(c => c.Details["pJob_Number"]).Where(j => j.Length <= 10).Distinct().Should().BeEquivalentTo(jobs);
    }

    /// <summary>Jobs of 20 to 60 rows over up to 5 cost types, some with a completed phase.</summary>
    private List<string> AddSmallJobs(int count)
    {
        var jobs = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var number = $"40-{i:000}";
            var rows = 20 + i * 37 % 41;
            simulator.Data.AddJob("ABC", new SeedJob
            {
                Number = number, Description = $"Small job {i}", Status = "A",
                Phases = [.. Enumerable.Range(0, (rows + 4) / 5).Select(p => new SeedPhase
                {
                    Code = $"07{p:0000}", Description = $"Phase {p}", Status = p == 0 && i % 4 == 0 ? "C" : "A",
                    CostTypes = [.. new[] { "E", "L", "M", "O", "S" }.Take(Math.Min(5, rows - p * 5))
                        .Select(t => new SeedCostLine { CostType = t, Estimate = 10m + i + p })],
                })],
            });
            jobs.Add(number);
        }

        return jobs;
    }

    private static SeedJob LateCostTypeJob()
    {
        var phases = Enumerable.Range(0, 200).Select(p => new SeedPhase
        {
            Code = $"04{p:0000}",
            Description = $"Phase {p}",
            CostTypes = [.. new[] { "L", "M", "S" }.Concat(p >= 190 ? ["X"] : [])
                .Select(t => new SeedCostLine { CostType = t, Estimate = 100m + p })],
        });
        return new SeedJob { Number = "30-002", Description = "Late cost type", Phases = [.. phases] };
    }

    /// <summary>Two cost types of 300 rows each: the second one's rows arrive in an answer of its own.</summary>
    private static SeedJob TwoCostTypesJob(string number) => new()
    {
        Number = number,
        Description = "Two cost types",
        Phases = [.. Enumerable.Range(0, 300).Select(p => new SeedPhase
        {
            Code = $"05{p:0000}", Description = $"Phase {p}",
            CostTypes = [new SeedCostLine { CostType = "L", Estimate = 10m + p }, new SeedCostLine { CostType = "M", Estimate = 20m + p }],
        })],
    };

    /// <summary>Cost types that share their first character (<c>C01</c>…<c>C25</c> by default), as the benchmark's jobs have.</summary>
    private static SeedJob ManyCostTypesJob(string number, int phases, int costTypes = 25) => new()
    {
        Number = number,
        Description = "Many cost types",
        Phases = [.. Enumerable.Range(0, phases).Select(p => new SeedPhase
        {
            Code = $"06{p:0000}", Description = $"Phase {p}",
            CostTypes = [.. Enumerable.Range(1, costTypes).Select(t => new SeedCostLine { CostType = $"C{t:00}", Estimate = 1m + p + t })],
        })],
    };
}
