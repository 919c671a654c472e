using ErpFunctions.Spectrum;

namespace ErpFunctions.UnitTests.Spectrum;

/// <summary>Parses fixture files shaped exactly like the live captures in research/spectrum-api.md §2.3 and §3.4.</summary>
public class SpectrumResponseParserTests
{
    private static string Fixture(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Spectrum", "Fixtures", name));

    [Fact]
    public void Reads_every_row_of_a_live_shaped_GetPhaseEnhanced_response()
    {
        var response = SpectrumResponseParser.Parse(Fixture("GetPhaseEnhanced.response.xml"), SpectrumService.GetPhaseEnhanced);

        response.RowCapReached.Should().BeFalse();
        response.Completeness.Should().Be(Completeness.Complete);
        response.IsWhole.Should().BeTrue();
        response.Rows.Select(r => (r.Text("Phase_Code"), r.Text("Cost_Type"))).Should().Equal(
            ("013100", "CON"), ("013100", "EQA"), ("013118", "SUB"), ("014500", "CON"), ("099100", "SUB"));

        var first = response.Rows[0];
        first.Text("Job_Number").Should().Be("22-208");
        first.Decimal("JTD_Actual_Dollars").Should().Be(859.51m);
        first.Decimal("Current_Estimate_Dollars").Should().Be(0m);
        first.Text("Unit_of_Measure").Should().BeEmpty("<Unit_of_Measure/> is an empty value");
        first.Text("Error_Code").Should().BeEmpty("the single space of a live response is trimmed");
        first.Date("Start_Date").Should().BeNull();
    }

    [Theory]
    [InlineData(2, "12500.40")]
    [InlineData(3, "-150.00")]
    [InlineData(4, "0.50")]
    public void Reads_cents_and_negative_estimates_exactly(int row, string expected)
    {
        var response = SpectrumResponseParser.Parse(Fixture("GetPhaseEnhanced.response.xml"), SpectrumService.GetPhaseEnhanced);

        response.Rows[row].Decimal("Current_Estimate_Dollars", "Current_Estimated_Dollars")
            .Should().Be(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Reads_a_GetPhase_response_with_the_live_estimate_element_name()
    {
        var response = SpectrumResponseParser.Parse(Fixture("GetPhase.response.xml"), SpectrumService.GetPhase);

        response.Rows.Should().HaveCount(2);
        response.Rows[1].Decimal("Current_Estimate_Dollars", "Current_Estimated_Dollars").Should().Be(4100.00m);
    }

    [Fact]
    public void Reads_the_documented_estimate_element_name_too()
    {
        var response = SpectrumResponseParser.Parse(Fixture("GetPhase.documented-name.response.xml"), SpectrumService.GetPhase);

        var row = response.Rows.Single();
        row.Has("Current_Estimate_Dollars").Should().BeFalse();
        row.Decimal("Current_Estimate_Dollars", "Current_Estimated_Dollars").Should().Be(4100.00m);
    }

    [Fact]
    public void Drops_the_row_cap_trailer_and_reports_that_the_cap_was_reached()
    {
        var response = SpectrumResponseParser.Parse(Fixture("GetPhaseEnhanced.row-cap.response.xml"), SpectrumService.GetPhaseEnhanced);

        response.RowCapReached.Should().BeTrue();
        response.Rows.Should().HaveCount(3);
        response.Rows.Should().OnlyContain(r => r.Text("Error_Code").Length == 0);
    }

    [Fact]
    public void Keeps_the_whole_rows_of_an_answer_whose_closing_tags_are_cut_off_and_says_it_is_not_complete()
    {
        var response = SpectrumResponseParser.Parse(Fixture("GetPhaseEnhanced.tail-cut.response.xml"), SpectrumService.GetPhaseEnhanced);

        response.Rows.Should().HaveCount(5);
        response.Completeness.Should().Be(Completeness.CutAfterRow, "without the wrapper's close, rows may have been lost after the last");
        response.IsWhole.Should().BeFalse();
    }

    [Fact]
    public void Drops_a_row_cut_in_half_and_keeps_the_rows_before_it()
    {
        var response = SpectrumResponseParser.Parse(Fixture("GetPhaseEnhanced.row-cut.response.xml"), SpectrumService.GetPhaseEnhanced);

        response.Completeness.Should().Be(Completeness.CutInsideRow);
        response.Rows.Should().NotBeEmpty().And.OnlyContain(r => r.Text("Current_Estimate_Dollars").Length > 0);
    }

    [Fact]
    public void Says_an_answer_cut_before_its_result_element_closes_is_not_complete()
    {
        var body = Fixture("GetPhase.empty.response.xml");
        var cut = body[..(body.IndexOf("<getPhase>", StringComparison.Ordinal) + "<getPhase>".Length)];

        var response = SpectrumResponseParser.Parse(cut, SpectrumService.GetPhase);

        (response.Rows.Count, response.Completeness).Should().Be((0, Completeness.CutAfterRow));
    }

    [Fact]
    public void Says_an_answer_whose_wrapper_closes_only_before_the_last_row_is_not_complete()
    {
        var body = Fixture("GetPhaseEnhanced.response.xml");
        var lastRow = body.LastIndexOf("</response>", StringComparison.Ordinal) + "</response>".Length;
        var misleading = body[..lastRow].Replace("<getPhaseEnhanced>", "<getPhaseEnhanced></getPhaseEnhanced>");

        SpectrumResponseParser.Parse(misleading, SpectrumService.GetPhaseEnhanced).Completeness.Should().Be(Completeness.CutAfterRow);
    }

    [Fact]
    public void Reads_an_empty_result_as_no_rows()
    {
        var response = SpectrumResponseParser.Parse(Fixture("GetPhase.empty.response.xml"), SpectrumService.GetPhase);

        response.Rows.Should().BeEmpty();
        response.RowCapReached.Should().BeFalse();
    }

    [Fact]
    public void Drops_rows_of_only_blanks()
    {
        var response = SpectrumResponseParser.Parse(Fixture("GetJob.response.xml"), SpectrumService.GetJob);

        response.Rows.Should().ContainSingle().Which.Text("Job_Number").Should().Be("22-208");
    }

    [Fact]
    public void Turns_a_client_fault_into_a_non_retryable_fault()
    {
        var parse = () => SpectrumResponseParser.Parse(Fixture("GetVendors.fault.response.xml"), SpectrumService.GetJob);

        var fault = parse.Should().Throw<SpectrumFaultException>().Which;
        fault.IsServerFault.Should().BeFalse();
        fault.IsRetryable.Should().BeFalse();
        fault.FaultString.Should().Contain("Could not find WebService named: GetVendors");
    }

    [Fact]
    public void Turns_a_server_fault_into_a_retryable_fault()
    {
        var parse = () => SpectrumResponseParser.Parse(Fixture("GetPhase.server-fault.response.xml"), SpectrumService.GetPhase);

        parse.Should().Throw<SpectrumFaultException>().Which.IsRetryable.Should().BeTrue();
    }

    [Theory]
    [InlineData("GetJob.not-authorized.response.xml", "E", "The web service is not Authorized", "Authorization_ID")]
    [InlineData("GetJob.abort.response.xml", "A", "Not authorized for the web service", "Authorization_ID")]
    public void Turns_an_in_band_error_row_into_a_typed_error_with_description_and_column(
        string fixture, string code, string description, string column)
    {
        var parse = () => SpectrumResponseParser.Parse(Fixture(fixture), SpectrumService.GetJob);

        var error = parse.Should().Throw<SpectrumServiceErrorException>().Which;
        (error.Code, error.Description, error.Column).Should().Be((code, description, column));
        error.IsRetryable.Should().BeFalse();
    }

    [Fact]
    public void Decodes_entities_and_trims_padded_values()
    {
        const string body = "<getPhase><response><Description>  Doors &amp; frames   </Description>"
            + "<Phase_Code>081000    </Phase_Code></response></getPhase>";

        var row = SpectrumResponseParser.Parse(body, SpectrumService.GetPhase).Rows.Single();

        row.Text("Description").Should().Be("Doors & frames");
        row.Text("Phase_Code").Should().Be("081000");
    }
}
