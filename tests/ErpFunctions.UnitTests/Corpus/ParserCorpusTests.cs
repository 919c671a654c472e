using ErpFunctions.Domain.Estimates;
using ErpFunctions.Domain.Jobs;
using ErpFunctions.Domain.Mapping;
using ErpFunctions.Domain.Planning;
using ErpFunctions.Procore;
using ErpFunctions.Queueing;
using ErpFunctions.Spectrum;
using ErpFunctions.TestSupport;

namespace ErpFunctions.UnitTests.Corpus;

/// <summary>The tally of the parser corpus, written when its tests end.</summary>
public sealed class ParserLedger : IDisposable
{
    public CorpusLedger Ledger { get; } = new();

    public void Dispose() => Ledger.Write("parsers");
}

/// <summary>
/// The parser half of the bad-input corpus: Spectrum answers cut, garbled and hostile (the SOAP parser), amounts of
/// every shape in Spectrum's rows, and JSON that is no queue message or no Procore error. Every case ends in an answer
/// the caller can act on — rows with how complete they are, a typed Spectrum error, a row left out with its rule, a
/// refused message — and never in an exception of another kind.
/// </summary>
[Trait("Category", "Corpus")]
public class ParserCorpusTests(ParserLedger parsers) : IClassFixture<ParserLedger>
{
    private static readonly string Answer =
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Spectrum", "Fixtures", "GetPhaseEnhanced.response.xml"));

    private static readonly string[] AmountColumns =
        ["JTD_Actual_Dollars", "Current_Estimate_Dollars", "Projected_Dollars", "Estimated_Hours", "Estimated_Quantity"];

    public static TheoryData<string, string> SoapAnswers
    {
        get
        {
            var cases = new TheoryData<string, string>();
            for (var cut = 0; cut < Answer.Length; cut += Answer.Length / 40)
            {
                cases.Add($"cut at byte {cut}", Answer[..cut]);
            }

            string[] inserts = ["<", ">", "&", "]]>", "\0", "\u00ff\u00fe", "<response>", "</response>", "<!--", "<![CDATA[", "&bogus;", "&#0;"];
            for (var i = 0; i < inserts.Length; i++)
            {
                var at = Answer.Length * (i + 1) / (inserts.Length + 2);
                cases.Add($"'{Printable(inserts[i])}' inserted at byte {at}", Answer.Insert(at, inserts[i]));
            }

            string[] values = ["abc", "1e5", "NaN", "Infinity", "12.345", "10000000000.00", "-99999999999999999999999999999", "1,2,3", "١٢٣",
                "12.50.1", "--1", "$5", "0x10", "<x/>", "&lt;5&gt;", "79228162514264337593543950336", "1.0000000000000000000000000001"];
            foreach (var value in values)
            {
                cases.Add($"estimate '{value}'", Answer.Replace("<Current_Estimate_Dollars>.00</Current_Estimate_Dollars>",
                    $"<Current_Estimate_Dollars>{value}</Current_Estimate_Dollars>"));
            }

            cases.Add("empty", "");
            cases.Add("whitespace", " \r\n\t ");
            cases.Add("an HTML error page", "<html><body><h1>502 Bad Gateway</h1></body></html>");
            cases.Add("JSON", """{"rows": []}""");
            cases.Add("a byte order mark", "\uFEFF" + Answer);
            cases.Add("a fault without code or text", "<SOAP-ENV:Envelope><SOAP-ENV:Body><SOAP-ENV:Fault></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>");
            cases.Add("a fault with markup in its text", "<SOAP-ENV:Fault><faultcode>SOAP-ENV:Client</faultcode><faultstring><![CDATA[<b>x</b>]]></faultstring></SOAP-ENV:Fault>");
            cases.Add("a fault inside a row", Answer.Replace("<Job_Number>22-208</Job_Number>", "<Job_Number><Fault>x</Fault></Job_Number>"));
            cases.Add("an unknown error code", Answer.Replace("<Error_Code> </Error_Code>", "<Error_Code>Z</Error_Code>"));
            cases.Add("an authorization error", Answer.Replace("<Error_Code> </Error_Code>", "<Error_Code>A</Error_Code>"));
            cases.Add("the row-cap trailer first", Answer.Replace("<Error_Code> </Error_Code>", "<Error_Code>W</Error_Code>"));
            cases.Add("an external entity", "<!DOCTYPE x [<!ENTITY xxe SYSTEM 'file:///etc/passwd'>]>" + Answer.Replace("CON", "&xxe;"));
            cases.Add("a billion laughs", "<!DOCTYPE l [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>]>" + Answer.Replace("CON", "&b;"));
            cases.Add("rows nested in rows", Answer.Replace("<Job_Number>22-208</Job_Number>", "<response><Job_Number>22-208</Job_Number></response>"));
            cases.Add("a megabyte of one tag", "<response>" + new string('x', 1_000_000));
            cases.Add("ten thousand empty rows", "<getPhaseEnhanced>" + string.Concat(Enumerable.Repeat("<response></response>", 10_000)) + "</getPhaseEnhanced>");
            cases.Add("control characters in a value", Answer.Replace("Gestion de proyectos", "Gestion\u0001\u0007\u001b de proyectos"));
            cases.Add("right-to-left override in a code", Answer.Replace("<Phase_Code>013100</Phase_Code>", "<Phase_Code>\u202e001310</Phase_Code>"));
            cases.Add("a script in a description", Answer.Replace("Gestion de proyectos", "&lt;script&gt;alert(1)&lt;/script&gt;"));
            cases.Add("a huge job number", Answer.Replace("<Job_Number>22-208</Job_Number>", $"<Job_Number>{new string('9', 10_000)}</Job_Number>"));
            return cases;
        }
    }

    public static TheoryData<string> SpectrumAmounts =>
    [
        "", ".00", "859.51", "-12.50", "12.50-", "9999999999.99", "0.01", "-0.00", "12.345", "10000000000.00", "-10000000000.00",
        "0.001", "1,234.56", "abc", "1e5", "1E-2", "NaN", "Infinity", "-Infinity", "١٢", "12.5.1", "--1", "+5", " 7 ", "$5", "5%", "0x10",
        "79228162514264337593543950336", "-79228162514264337593543950335", "0.0000000000000000000000000001", "1_000", "12 345", "\u00a0", "12.50\u0000",
        "1/2", "(12.50)", "12,50",
    ];

    public static TheoryData<string> QueueMessages =>
    [
        "", " ", "null", "[]", "42", "\"run\"", "{}", "{", "{\"kind\": \"Run\"}", "{\"kind\": \"Run\", \"runId\": \"\"}", "{\"kind\": \"Nope\", \"runId\": \"r\"}",
        "{\"kind\": 7, \"runId\": \"r\"}", "{\"kind\": \"ErpRequest\"}", "{\"kind\": \"ErpRequest\", \"erpRequestId\": \"abc\"}",
        "{\"kind\": \"ErpRequest\", \"erpRequestId\": 1e400}", "{\"kind\": \"ProjectEvent\"}", "{\"kind\": \"ProjectEvent\", \"projectId\": -1.5}",
        "{\"kind\": \"Run\", \"runId\": 5}", "{\"kind\": \"Run\", \"runId\": [\"r\"]}", "<message/>", new string('[', 10_000),
        "{\"kind\": \"Run\", \"runId\": \"r\", \"run\": 3}", "{\"kind\": \"Run\", \"runId\": \"r\", \"run\": {\"createdAt\": \"yesterday\"}}", "\u00ff\u00fe",
    ];

    public static TheoryData<string> ProcoreErrorBodies =>
    [
        "", "null", "[]", "{}", "42", "<html>502</html>", "{\"errors\": null}", "{\"errors\": [[[[]]]]}", "{\"error\": {\"message\": {\"x\": 1}}}",
        "{\"errors\": {\"wbs_code_id\": [\"\\u0000\"]}}", new string('{', 5_000), "{\"message\": \"" + new string('m', 100_000) + "\"}", "\"text\"",
        "{\"errors\": \"<script>alert(1)</script>\"}", "{", "\u00ff",
    ];

    [Fact]
    public void The_parser_corpus_holds_its_cases()
    {
        (SoapAnswers.Count + SpectrumAmounts.Count + QueueMessages.Count + ProcoreErrorBodies.Count).Should().BeGreaterThanOrEqualTo(150);
    }

    [Theory]
    [MemberData(nameof(SoapAnswers))]
    public void A_Spectrum_answer_is_read_or_refused_with_a_Spectrum_error(string name, string body)
    {
        string outcome;
        try
        {
            var answer = SpectrumResponseParser.Parse(body, SpectrumService.GetPhaseEnhanced);
            var refused = answer.Rows.SelectMany(row => AmountColumns.Select(column => Amount(row, column))).Count(read => !read);
            outcome = refused > 0 ? "read; an amount refused (the job is not planned)" : $"read: {answer.Completeness}";
            answer.Rows.Should().NotContain(r => r.IsBlank);
        }
        catch (SpectrumException refused)
        {
            outcome = refused.GetType().Name;
            refused.Message.Should().NotContain("/etc/passwd");
        }

        parsers.Ledger.Record("Spectrum answers (SOAP)", outcome);
        name.Should().NotBeNullOrEmpty();
    }

    [Theory]
    [MemberData(nameof(SpectrumAmounts))]
    public void A_Spectrum_amount_is_planned_exactly_left_out_with_its_rule_or_refused(string text)
    {
        decimal amount;
        try
        {
            amount = SpectrumValues.ParseDecimal(text, "Current_Estimate_Dollars");
        }
        catch (SpectrumFormatException refused)
        {
            refused.Message.Should().Contain("Current_Estimate_Dollars");
            parsers.Ledger.Record("Spectrum amounts", "refused: not a number (the job is not planned)");
            return;
        }

        var job = JobNumber.Parse("22-208");
        var plan = BudgetPlanner.Plan(NormalizedEstimate.From(job, [new EstimateRow(job.Value, "013100", "L", "", amount, 0m)]),
            new ProjectBudget(1, 1, [new CostCodeEntry(11, "01-3100", "013100", null, "PM")], [new CostTypeEntry(21, "L", "L", "Labor")],
                new Dictionary<(long, long), long>(), []),
            CodeMapping.Default with { Mask = new PhaseMask("##-####") }, PlanPolicy.Default);
        var line = plan.Lines.Single();

        if (Money.IsMoney(amount))
        {
            (line.Kind is PlanKind.Create or PlanKind.Skipped).Should().BeTrue();
            line.To.Should().Be(line.Kind == PlanKind.Create ? amount : null);
            parsers.Ledger.Record("Spectrum amounts", line.Kind == PlanKind.Create ? "planned to the cent" : "skipped: not above zero");
        }
        else
        {
            (line.Kind, line.Rule, line.To).Should().Be((PlanKind.Unmapped, LineRules.AmountNotMoney, (decimal?)null));
            plan.AmountsNotMoney.Should().ContainSingle();
            parsers.Ledger.Record("Spectrum amounts", "left out: AmountNotMoney (run not a success)");
        }
    }

    [Theory]
    [MemberData(nameof(QueueMessages))]
    public void A_body_that_is_no_queue_message_is_refused_as_such(string body)
    {
        var parse = () => ReimportMessage.Parse(body);

        parse.Should().Throw<FormatException>();
        parsers.Ledger.Record("Queue messages (JSON)", "refused: not a message (dropped, not retried)");
    }

    [Theory]
    [MemberData(nameof(ProcoreErrorBodies))]
    public void Any_Procore_error_body_reads_as_a_sentence(string body)
    {
        var message = ProcoreErrors.Message(body);

        message.Should().NotBeNullOrWhiteSpace();
        message.Length.Should().BeLessThanOrEqualTo(1_000);
        parsers.Ledger.Record("Procore error bodies (JSON)", "read as a sentence");
    }

    private static bool Amount(SpectrumRow row, string column)
    {
        try
        {
            _ = row.Decimal(column);
            return true;
        }
        catch (SpectrumFormatException)
        {
            return false;
        }
    }

    private static string Printable(string text) => string.Concat(text.Select(c => char.IsControl(c) ? '·' : c));
}
