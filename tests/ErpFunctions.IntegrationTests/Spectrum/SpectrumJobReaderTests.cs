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

    private IReadOnlyList<RequestLogEntry> Calls(string service) =>
        [.. simulator.ServiceCalls.Where(c => c.Path == "/ws/" + service)];

    [Fact]
    public async Task Finds_a_job_by_number_among_the_company_jobs()
    {
        await using var services = SpectrumClients.Create(simulator);

        var job = await services.Reader().FindJobAsync("22-208", default);

        job.Should().Be(new SpectrumJob("ABC", "22-208", "Harbor Pier Expansion", "A", "", "MAR", "A00003"));
        Calls("GetJob").Should().ContainSingle().Which.Details["pStatus_Code"].Should().BeEmpty();
    }

    [Fact]
    public async Task Asks_for_completed_jobs_when_the_job_is_neither_active_nor_inactive()
    {
        await using var services = SpectrumClients.Create(simulator);

        var job = await services.Reader().FindJobAsync("19-101", default);

        job!.StatusCode.Should().Be("C");
        Calls("GetJob").Select(c => c.Details["pStatus_Code"]).Should().Equal("", "C");
    }

    [Fact]
    public async Task Reports_an_unknown_job_as_absent()
    {
        await using var services = SpectrumClients.Create(simulator);

        (await services.Reader().FindJobAsync("99-999", default)).Should().BeNull();
    }

    [Fact]
    public async Task Reads_a_job_user_defined_fields()
    {
        simulator.Data.SetUdf("ABC", "22-208", 20, "last one");
        await using var services = SpectrumClients.Create(simulator);

        var udfs = await services.Reader().FindJobUdfsAsync("22-208", default);

        udfs![1].Should().Be("Y");
        udfs[2].Should().Be("Y");
        udfs[20].Should().Be("last one");
        udfs[7].Should().BeEmpty();
    }

    [Fact]
    public async Task Sends_every_parameter_the_endpoint_as_SOAPAction_and_a_fresh_GUID_per_call()
    {
        await using var services = SpectrumClients.Create(simulator);

        await services.Reader().FindJobAsync("19-101", default);
        await services.Reader().ReadEstimateLinesAsync("22-208", default);

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

        var lines = await services.Reader().ReadEstimateLinesAsync("22-208", default);

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

        var lines = await services.Reader().ReadEstimateLinesAsync("19-101", default);

        lines.Should().HaveCount(3).And.OnlyContain(l => l.StatusCode == "C");
    }

    [Fact]
    public async Task Reads_the_estimate_under_its_documented_element_name()
    {
        simulator.Quirks.EstimateElementName = "Current_Estimated_Dollars";
        await using var services = SpectrumClients.Create(simulator);

        var lines = await services.Reader().ReadEstimateLinesAsync("22-208", default);

        lines.Sum(l => l.CurrentEstimate).Should().Be(503613.39m);
    }

    [Fact]
    public async Task Trims_padded_values()
    {
        simulator.Quirks.PadValues = true;
        await using var services = SpectrumClients.Create(simulator);

        var job = await services.Reader().FindJobAsync("22-208", default);
        var lines = await services.Reader().ReadEstimateLinesAsync("22-208", default);

        job!.Description.Should().Be("Harbor Pier Expansion");
        lines.Should().Contain(l => l.PhaseCode == "013100" && l.CostType == "L" && l.JobNumber == "22-208"
            && l.Description == "Project management" && l.JobToDateCost == 859.51m);
    }

    [Fact]
    public async Task Keeps_the_rows_of_an_envelope_whose_closing_tags_are_cut_off_without_asking_again()
    {
        simulator.Quirks.TruncateNext(1, TruncationMode.AfterLastRow);
        await using var services = SpectrumClients.Create(simulator);

        var udfs = await services.Reader().FindJobUdfsAsync("26-607", default);

        udfs![1].Should().Be("Y");
        Calls("GetJobUDF").Should().ContainSingle().Which.Details.Should().ContainKey("truncated");
    }

    [Fact]
    public async Task Asks_again_when_an_empty_result_is_cut_before_it_closes()
    {
        simulator.Data.AddJob("ABC", new SeedJob { Number = "30-003", Description = "No phases yet" });
        await using var services = SpectrumClients.Create(simulator);
        simulator.Quirks.TruncateNext(1, TruncationMode.AfterLastRow);

        var lines = await services.Reader().ReadEstimateLinesAsync("30-003", default);

        lines.Should().BeEmpty();
        Calls("GetPhaseEnhanced").Should().HaveCount(3, "an empty answer without its closing tags could have lost rows");
    }

    [Fact]
    public async Task Asks_again_when_a_response_is_cut_inside_a_row()
    {
        await using var services = SpectrumClients.Create(simulator);
        await services.Reader().FindJobAsync("22-208", default);
        simulator.Log.Clear();
        simulator.Quirks.TruncateNext(1, TruncationMode.InsideRow);

        var job = await services.Reader().FindJobAsync("22-208", default);

        job.Should().NotBeNull();
        Calls("GetJob").Should().HaveCount(2);
        Calls("GetJob")[0].Details.Should().ContainKey("truncated");
    }

    [Fact]
    public async Task Retries_a_server_fault_and_then_succeeds()
    {
        simulator.Faults.FailNext(1);
        await using var services = SpectrumClients.Create(simulator);

        var job = await services.Reader().FindJobAsync("22-208", default);

        job.Should().NotBeNull();
        Calls("GetJob").Select(c => c.Status).Should().Equal(500, 200);
    }

    [Fact]
    public async Task Retries_a_dropped_connection_and_then_succeeds()
    {
        simulator.Faults.DropNext(1);
        await using var services = SpectrumClients.Create(simulator);

        var job = await services.Reader().FindJobAsync("22-208", default);

        job.Should().NotBeNull();
        Calls("GetJob").Should().HaveCount(2);
    }

    [Fact]
    public async Task Gives_up_after_the_configured_attempts_of_server_faults()
    {
        simulator.Faults.FailNext(10);
        await using var services = SpectrumClients.Create(simulator, s => s["Spectrum:MaxAttempts"] = "3");

        var read = () => services.Reader().FindJobAsync("22-208", default);

        (await read.Should().ThrowAsync<SpectrumFaultException>()).Which.IsServerFault.Should().BeTrue();
        Calls("GetJob").Should().HaveCount(3);
    }

    [Fact]
    public async Task Does_not_retry_a_client_fault()
    {
        simulator.Quirks.ClientFaultNext(1);
        await using var services = SpectrumClients.Create(simulator);

        var read = () => services.Reader().FindJobAsync("22-208", default);

        (await read.Should().ThrowAsync<SpectrumFaultException>()).Which.IsRetryable.Should().BeFalse();
        Calls("GetJob").Should().ContainSingle();
    }

    [Fact]
    public async Task Reports_a_wrong_Authorization_ID_as_a_typed_error_without_retrying()
    {
        await using var services = SpectrumClients.Create(simulator, s => s["Spectrum:AuthorizationId"] = "WRONG");

        var read = () => services.Reader().ReadEstimateLinesAsync("22-208", default);

        var error = (await read.Should().ThrowAsync<SpectrumServiceErrorException>()).Which;
        (error.Code, error.Description, error.Column).Should().Be(("A", SdeServer.NotAuthorized, "Authorization_ID"));
        Calls("GetPhaseEnhanced").Should().HaveCountLessThanOrEqualTo(2, "one call per status, none retried");
    }

    [Fact]
    public async Task Reads_a_job_over_the_row_cap_completely_by_cost_type()
    {
        await using var services = SpectrumClients.Create(simulator);

        var lines = await services.Reader().ReadEstimateLinesAsync("24-404", default);

        var expected = simulator.Data.Lines.Where(l => l.Job == "24-404").ToList();
        expected.Should().HaveCountGreaterThan(500);
        lines.Should().HaveCount(expected.Count);
        lines.Select(l => (l.PhaseCode, l.CostType)).Should().OnlyHaveUniqueItems();
        lines.Sum(l => l.CurrentEstimate).Should().Be(expected.Sum(l => l.Estimate));
        Calls("GetPhaseEnhanced").Where(c => c.Details["pCost_Type"].Length == 1)
            .Select(c => c.Details["pCost_Type"]).Should().BeEquivalentTo(["E", "L", "M", "O", "S"]);
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

        var job = await services.Reader().FindJobAsync("30-001", default);
        var lines = await services.Reader().ReadEstimateLinesAsync("30-001", default);

        job.Should().NotBeNull();
        lines.Should().HaveCount(2000);
        simulator.ServiceCalls.Should().HaveCountLessThanOrEqualTo(4 + costTypes.Length);
        simulator.Log.PeakInFlight.Should().Be(2, "partitions are read in parallel, never beyond the limit");
        simulator.ServiceCalls.Should().OnlyContain(c => c.InFlightAtStart <= 2);
    }

    [Fact]
    public async Task Finds_a_cost_type_neither_configured_nor_seen_in_the_capped_rows()
    {
        simulator.Data.AddJob("ABC", LateCostTypeJob());
        await using var services = SpectrumClients.Create(simulator);

        var lines = await services.Reader().ReadEstimateLinesAsync("30-002", default);

        lines.Should().HaveCount(610);
        lines.Count(l => l.CostType == "X").Should().Be(10);
        Calls("GetPhaseEnhanced").Should().Contain(c => c.Details["pCost_Type"] == "#L,M,S");
    }

    [Fact]
    public async Task Misses_a_late_cost_type_when_probing_is_turned_off_unless_it_is_configured()
    {
        simulator.Data.AddJob("ABC", LateCostTypeJob());
        await using var unprobed = SpectrumClients.Create(simulator, s => s["Spectrum:ProbeUnlistedCostTypes"] = "false");
        await using var configured = SpectrumClients.Create(simulator, s =>
        {
            s["Spectrum:ProbeUnlistedCostTypes"] = "false";
            s["Spectrum:KnownCostTypes:0"] = "X";
        });

        (await unprobed.Reader().ReadEstimateLinesAsync("30-002", default)).Should().HaveCount(600);
        (await configured.Reader().ReadEstimateLinesAsync("30-002", default)).Should().HaveCount(610);
    }

    [Fact]
    public async Task Fails_clearly_when_one_cost_type_alone_exceeds_the_row_cap()
    {
        simulator.Data.RowCap = 50;
        await using var services = SpectrumClients.Create(simulator);

        var read = () => services.Reader().ReadEstimateLinesAsync("24-404", default);

        (await read.Should().ThrowAsync<SpectrumRowCapException>()).WithMessage("*24-404*cost type*");
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
}
