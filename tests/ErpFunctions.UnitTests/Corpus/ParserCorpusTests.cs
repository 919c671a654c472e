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
/// every shape in Spectrum's rows, and JSON that is no queue message or no Procore error. Every case names the outcome it must end in, and ends in exactly that: an answer
/// the caller can act on — rows with how complete they are, a typed Spectrum error, a row left out with its rule, a
/// refused message — and never in an exception of another kind.
/// </summary>
[Trait("Category", "Corpus")]
public class ParserCorpusTests(ParserLedger parsers) : IClassFixture<ParserLedger>
{
    private static readonly string Answer =
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Spectrum", "Fixtures", "GetPhaseEnhanced.response.xml"));

    private static readonly SpectrumResponse Sent = SpectrumResponseParser.Parse(Answer, SpectrumService.GetPhaseEnhanced);

    private static readonly string[] AmountColumns =
        ["JTD_Actual_Dollars", "Current_Estimate_Dollars", "Projected_Dollars", "Estimated_Hours", "Estimated_Quantity"];

    /// <summary>What a case must read as: rows exactly as sent, rows read with how they were cut, an amount refused, or an error.</summary>
    private const string AsSent = "rows as sent", Complete = "read: Complete", CutAfterRow = "read: CutAfterRow",
        CutInsideRow = "read: CutInsideRow", RowCap = "read: Complete, row cap reached", AmountRefused = "read; an amount refused (the job is not planned)",
        Garbled = nameof(SpectrumResponseGarbledException), Fault = nameof(SpectrumFaultException), ServiceError = nameof(SpectrumServiceErrorException);

    public static TheoryData<string, string, string> SoapAnswers
    {
        get
        {
            var cases = new TheoryData<string, string, string>();
            for (var cut = 0; cut < Answer.Length; cut += Answer.Length / 40)
            {
                cases.Add($"cut at byte {cut}", Answer[..cut], HowCut(cut));
            }

            (string Text, string Expected)[] inserts = [("<", AsSent), (">", AmountRefused), ("&", Garbled), ("]]>", AsSent), ("\0", Garbled),
                ("\u00ff\u00fe", AsSent), ("<response>", Garbled), ("</response>", Garbled), ("<!--", Garbled), ("<![CDATA[", AmountRefused),
                ("&bogus;", Garbled), ("&#0;", AsSent)];
            for (var i = 0; i < inserts.Length; i++)
            {
                var at = Answer.Length * (i + 1) / (inserts.Length + 2);
                cases.Add($"'{Printable(inserts[i].Text)}' inserted at byte {at}", Answer.Insert(at, inserts[i].Text), inserts[i].Expected);
            }

            (string Value, string Expected)[] values = [("abc", AmountRefused), ("1e5", AmountRefused), ("NaN", AmountRefused),
                ("Infinity", AmountRefused), ("12.345", Complete), ("10000000000.00", Complete), ("-99999999999999999999999999999", AmountRefused),
                ("1,2,3", AmountRefused), ("١٢٣", AmountRefused), ("12.50.1", AmountRefused), ("--1", AmountRefused), ("$5", AmountRefused),
                ("0x10", AmountRefused), ("<x/>", AmountRefused), ("&lt;5&gt;", AmountRefused), ("79228162514264337593543950336", AmountRefused),
                ("1.0000000000000000000000000001", Complete)];
            foreach (var (value, expected) in values)
            {
                cases.Add($"estimate '{value}'", Answer.Replace("<Current_Estimate_Dollars>.00</Current_Estimate_Dollars>",
                    $"<Current_Estimate_Dollars>{value}</Current_Estimate_Dollars>"), expected);
            }

            cases.Add("empty", "", CutAfterRow);
            cases.Add("whitespace", " \r\n\t ", CutAfterRow);
            cases.Add("an HTML error page", "<html><body><h1>502 Bad Gateway</h1></body></html>", CutAfterRow);
            cases.Add("JSON", """{"rows": []}""", CutAfterRow);
            cases.Add("a byte order mark", "\uFEFF" + Answer, AsSent);
            cases.Add("a fault without code or text", "<SOAP-ENV:Envelope><SOAP-ENV:Body><SOAP-ENV:Fault></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>", Fault);
            cases.Add("a fault with markup in its text", "<SOAP-ENV:Fault><faultcode>SOAP-ENV:Client</faultcode><faultstring><![CDATA[<b>x</b>]]></faultstring></SOAP-ENV:Fault>", Fault);
            cases.Add("a fault inside a row", Answer.Replace("<Job_Number>22-208</Job_Number>", "<Job_Number><Fault>x</Fault></Job_Number>"), Fault);
            cases.Add("an unknown error code", Answer.Replace("<Error_Code> </Error_Code>", "<Error_Code>Z</Error_Code>"), ServiceError);
            cases.Add("an authorization error", Answer.Replace("<Error_Code> </Error_Code>", "<Error_Code>A</Error_Code>"), ServiceError);
            cases.Add("the row-cap trailer in every row", Answer.Replace("<Error_Code> </Error_Code>", "<Error_Code>W</Error_Code>"), RowCap);
            cases.Add("an external entity", "<!DOCTYPE x [<!ENTITY xxe SYSTEM 'file:///etc/passwd'>]>" + Answer.Replace("CON", "&xxe;"), Complete);
            cases.Add("a billion laughs", "<!DOCTYPE l [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>]>" + Answer.Replace("CON", "&b;"), Complete);
            cases.Add("rows nested in rows", Answer.Replace("<Job_Number>22-208</Job_Number>", "<response><Job_Number>22-208</Job_Number></response>"), Garbled);
            cases.Add("a megabyte of one tag", "<response>" + new string('x', 1_000_000), CutInsideRow);
            cases.Add("ten thousand empty rows", "<getPhaseEnhanced>" + string.Concat(Enumerable.Repeat("<response></response>", 10_000)) + "</getPhaseEnhanced>", Complete);
            cases.Add("control characters in a value", Answer.Replace("Gestion de proyectos", "Gestion\u0001\u0007\u001b de proyectos"), Complete);
            cases.Add("right-to-left override in a code", Answer.Replace("<Phase_Code>013100</Phase_Code>", "<Phase_Code>\u202e001310</Phase_Code>"), Complete);
            cases.Add("a script in a description", Answer.Replace("Gestion de proyectos", "&lt;script&gt;alert(1)&lt;/script&gt;"), Complete);
            cases.Add("a huge job number", Answer.Replace("<Job_Number>22-208</Job_Number>", $"<Job_Number>{new string('9', 10_000)}</Job_Number>"), Complete);
            return cases;
        }
    }

    /// <summary>
    /// How an answer cut after <paramref name="cut"/> characters must read, worked out from where the fixture's tags are:
    /// whole once the row list's close has arrived, inside a row when a row began and did not close, else after a row.
    /// </summary>
    private static string HowCut(int cut)
    {
        var sent = Answer[..cut];
        if (sent.Contains("</getPhaseEnhanced", StringComparison.Ordinal))
        {
            return AsSent;
        }

        return sent.LastIndexOf("<response>", StringComparison.Ordinal) > sent.LastIndexOf("</response>", StringComparison.Ordinal) ? CutInsideRow : CutAfterRow;
    }

    private const string Planned = "planned to the cent", Skipped = "skipped: not above zero",
        NotMoney = "left out: AmountNotMoney (run not a success)", NotANumber = "refused: not a number (the job is not planned)";

    public static TheoryData<string, string> SpectrumAmounts => new()
    {
        { "", Skipped }, { ".00", Skipped }, { "859.51", Planned }, { "-12.50", Skipped }, { "12.50-", Skipped }, { "9999999999.99", Planned },
        { "0.01", Planned }, { "-0.00", Skipped }, { "12.345", NotMoney }, { "10000000000.00", NotMoney }, { "-10000000000.00", NotMoney },
        { "0.001", NotMoney }, { "1,234.56", NotANumber }, { "abc", NotANumber }, { "1e5", NotANumber }, { "1E-2", NotANumber },
        { "NaN", NotANumber }, { "Infinity", NotANumber }, { "-Infinity", NotANumber }, { "١٢", NotANumber }, { "12.5.1", NotANumber },
        { "--1", NotANumber }, { "+5", Planned }, { " 7 ", Planned }, { "$5", NotANumber }, { "5%", NotANumber }, { "0x10", NotANumber },
        { "79228162514264337593543950336", NotANumber }, { "-79228162514264337593543950335", NotMoney }, { "0.0000000000000000000000000001", NotMoney },
        { "1_000", NotANumber }, { "12 345", NotANumber }, { "\u00a0", Skipped }, { "12.50\u0000", Planned }, { "1/2", NotANumber },
        { "(12.50)", NotANumber }, { "12,50", NotANumber }, { "1,2,3", NotANumber },
    };

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
    public void A_Spectrum_answer_reads_exactly_as_its_case_expects(string name, string body, string expected)
    {
        string outcome;
        try
        {
            var answer = SpectrumResponseParser.Parse(body, SpectrumService.GetPhaseEnhanced);
            var refused = answer.Rows.SelectMany(row => AmountColumns.Select(column => Amount(row, column))).Count(read => !read);
            outcome = refused > 0 ? AmountRefused
                : answer.Completeness == Completeness.Complete && answer.Rows.Count == Sent.Rows.Count && answer.Rows.Zip(Sent.Rows).All(r => r.First.SameFields(r.Second)) ? AsSent
                : answer.RowCapReached ? $"read: {answer.Completeness}, row cap reached"
                : $"read: {answer.Completeness}";
            answer.Rows.Should().NotContain(r => r.IsBlank);
        }
        catch (SpectrumException refused)
        {
            outcome = refused.GetType().Name;
            refused.Message.Should().NotContain("/etc/passwd");
        }

        outcome.Should().Be(expected, name);
        parsers.Ledger.Record("Spectrum answers (SOAP)", outcome);
    }

    [Theory]
    [MemberData(nameof(SpectrumAmounts))]
    public void A_Spectrum_amount_is_planned_exactly_left_out_with_its_rule_or_refused(string text, string expected)
    {
        decimal amount;
        try
        {
            amount = SpectrumValues.ParseDecimal(text, "Current_Estimate_Dollars");
        }
        catch (SpectrumFormatException refused)
        {
            refused.Message.Should().Contain("Current_Estimate_Dollars");
            NotANumber.Should().Be(expected, text);
            parsers.Ledger.Record("Spectrum amounts", NotANumber);
            return;
        }

        var job = JobNumber.Parse("22-208");
        var plan = BudgetPlanner.Plan(NormalizedEstimate.From(job, [new EstimateRow(job.Value, "013100", "L", "", amount, 0m)]),
            new ProjectBudget(1, 1, [new CostCodeEntry(11, "01-3100", "013100", null, "PM")], [new CostTypeEntry(21, "L", "L", "Labor")],
                new Dictionary<(long, long), long>(), []),
            CodeMapping.Default with { Mask = new PhaseMask("##-####") }, PlanPolicy.Default);
        var line = plan.Lines.Single();

        var outcome = line.Kind switch
        {
            PlanKind.Create => Planned,
            PlanKind.Skipped => Skipped,
            PlanKind.Unmapped when line.Rule == LineRules.AmountNotMoney => NotMoney,
            _ => line.Kind.ToString(),
        };
        outcome.Should().Be(expected, text);
        line.To.Should().Be(line.Kind == PlanKind.Create ? amount : null, "a planned amount is Spectrum's to the cent");
        plan.AmountsNotMoney.Should().HaveCount(outcome == NotMoney ? 1 : 0);
        parsers.Ledger.Record("Spectrum amounts", outcome);
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
