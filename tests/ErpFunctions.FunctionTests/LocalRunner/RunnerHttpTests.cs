using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ErpFunctions.FunctionTests.Support;

namespace ErpFunctions.FunctionTests.LocalRunner;

/// <summary>The local runner over real HTTP: its own errors are problems too, and the API's JSON is what the docs say.</summary>
public class RunnerHttpTests : IAsyncLifetime
{
    private RunnerHost runner = null!;

    public async Task InitializeAsync() => runner = await RunnerHost.StartAsync();

    public async Task DisposeAsync() => await runner.DisposeAsync();

    private static async Task<JsonElement> ProblemOf(HttpResponseMessage response, HttpStatusCode status)
    {
        response.StatusCode.Should().Be(status);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        problem.GetProperty("status").GetInt32().Should().Be((int)status);
        problem.GetProperty("title").GetString().Should().NotBeNullOrWhiteSpace();
        return problem;
    }

    [Theory]
    [InlineData("GET", "/api/nothing-here", HttpStatusCode.NotFound, "url")]
    [InlineData("GET", "/", HttpStatusCode.NotFound, "url")]
    [InlineData("DELETE", "/api/budgets", HttpStatusCode.MethodNotAllowed, "method")]
    [InlineData("PUT", "/api/webhooks/procore", HttpStatusCode.MethodNotAllowed, "method")]
    [InlineData("GET", "/api/budgets/22-208/reimport", HttpStatusCode.MethodNotAllowed, "method")]
    public async Task The_runner_s_own_errors_are_problems_naming_the_part_at_fault(string method, string path, HttpStatusCode status, string field)
    {
        var response = await runner.SendAsync(RunnerHost.Request(new HttpMethod(method), path));

        var problem = await ProblemOf(response, status);
        problem.GetProperty("field").GetString().Should().Be(field);
    }

    [Fact]
    public async Task An_overlong_URL_is_a_414_problem()
    {
        var response = await runner.SendAsync(RunnerHost.Request(HttpMethod.Get, "/api/budgets?filter=" + new string('a', 10_000)));

        (await ProblemOf(response, HttpStatusCode.RequestUriTooLong)).GetProperty("field").GetString().Should().Be("url");
    }

    [Fact]
    public async Task A_body_over_the_limit_is_a_413_problem_even_without_a_Content_Length()
    {
        var body = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"confirm\": true, \"note\": \"" + new string('x', 40_000) + "\"}")));
        body.Headers.ContentType = new("application/json");
        var request = RunnerHost.Request(HttpMethod.Post, "/api/budgets/22-208/reimport", body: body);
        request.Headers.TransferEncodingChunked = true;

        var response = await runner.SendAsync(request);

        (await ProblemOf(response, HttpStatusCode.RequestEntityTooLarge)).GetProperty("field").GetString().Should().Be("body");
    }

    [Fact]
    public async Task Amounts_have_two_decimals_and_every_key_is_camelCase()
    {
        var response = await runner.SendAsync(RunnerHost.Request(HttpMethod.Get, "/api/budgets/22-208/preview"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var text = await response.Content.ReadAsStringAsync();
        var preview = JsonDocument.Parse(text).RootElement;
        preview.GetProperty("counts").EnumerateObject().Select(p => p.Name).Should().Contain(["create", "update", "unchanged"])
            .And.OnlyContain(name => char.IsLower(name[0]));
        var first = preview.GetProperty("lines").EnumerateArray().First(l => l.GetProperty("estimate").GetDecimal() == 12500m);
        first.GetProperty("estimate").GetRawText().Should().Be("12500.00");
        Regex.Matches(text, "\"(estimate|jobToDate|currentSpectrum|currentProcore|newProcoreOnReimport)\":(-?[0-9.]+)")
            .Select(m => m.Groups[2].Value).Should().NotBeEmpty().And.OnlyContain(v => Regex.IsMatch(v, @"^-?[0-9]+\.[0-9]{2,}$"));
        Regex.Matches(text, "\"([A-Za-z]+)\":").Select(m => m.Groups[1].Value).Should().OnlyContain(name => char.IsLower(name[0]));
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("YjEKU3luY2VkCjIyLTIwOA")]
    [InlineData("YjEKQWxsCi4uL3g")]
    [InlineData("YjEKQWxsCjIyLTIwOCcgb3IgMSBlcSAx")]
    [InlineData("%00%00")]
    public async Task A_page_token_the_list_did_not_hand_out_is_a_400_problem(string token)
    {
        var response = await runner.SendAsync(RunnerHost.Request(HttpMethod.Get, "/api/budgets?pageToken=" + token));

        (await ProblemOf(response, HttpStatusCode.BadRequest)).GetProperty("field").GetString().Should().Be("pageToken");
    }

    [Fact]
    public async Task A_SOAP_fault_never_reaches_the_answer_only_the_correlation_id_does()
    {
        runner.Harness.Spectrum.Faults.FailNext(1000);
        var request = RunnerHost.Request(HttpMethod.Get, "/api/budgets/22-208/preview");
        request.Headers.Add("X-Correlation-Id", "corr-soap-fault");

        var response = await runner.SendAsync(request);

        var problem = await ProblemOf(response, HttpStatusCode.BadGateway);
        var text = problem.GetRawText();
        text.Should().NotContain("Error executing").And.NotContain("SOAP-ENV").And.NotContain("faultstring");
        problem.GetProperty("detail").GetString().Should().Contain("corr-soap-fault");
        problem.GetProperty("correlationId").GetString().Should().Be("corr-soap-fault");
        runner.Harness.Logs.Entries.Should().Contain(l => l.Scope.Values.Contains("corr-soap-fault"), "the details go to the log under the id");
    }
}
