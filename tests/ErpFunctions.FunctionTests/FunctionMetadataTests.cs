using System.Text.Json;
using ErpFunctions.Functions.Http;

namespace ErpFunctions.FunctionTests;

/// <summary>
/// Reads the <c>functions.metadata</c> the Worker SDK generated when it built the function app, which is what the
/// Functions host indexes: every function must be bound as intended.
/// </summary>
public class FunctionMetadataTests
{
    private static readonly Lazy<JsonElement[]> Metadata = new(Load);

    private static JsonElement Function(string name) =>
        Metadata.Value.Single(f => f.GetProperty("name").GetString() == name);

    private static JsonElement Trigger(string name) =>
        Function(name).GetProperty("bindings").EnumerateArray()
            .Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));

    [Theory]
    [InlineData("ListBudgets", "get", "api/budgets")]
    [InlineData("PreviewBudget", "get", "api/budgets/{job}/preview")]
    [InlineData("RefreshBudget", "post", "api/budgets/{job}/refresh")]
    [InlineData("ReimportBudget", "post", "api/budgets/{job}/reimport")]
    [InlineData("BudgetHistory", "get", "api/budgets/{job}/runs")]
    [InlineData("StartPreflight", "post", "api/preflight")]
    [InlineData("GetPreflight", "get", "api/preflight")]
    [InlineData("GetReimport", "get", "api/reimports/{id}")]
    [InlineData("GetReimportLines", "get", "api/reimports/{id}/lines")]
    [InlineData("Me", "get", "api/me")]
    [InlineData("ProcoreWebhook", "post", "api/webhooks/procore")]
    [InlineData("Health", "get", "api/health")]
    [InlineData("SignIn", "get", "auth/signin")]
    [InlineData("SignInCallback", "get", "auth/callback")]
    [InlineData("SignOut", "post", "auth/signout")]
    [InlineData("App", "get", "app/{*asset}")]
    public void Binds_each_HTTP_function_to_its_route(string name, string method, string route)
    {
        var trigger = Trigger(name);

        trigger.GetProperty("type").GetString().Should().Be("httpTrigger");
        trigger.GetProperty("route").GetString().Should().Be(route);
        // Operators authenticate themselves (a Procore token, or the page's session), and the page must load without a
        // key: no route asks the Functions host for a function key.
        trigger.GetProperty("authLevel").GetString().Should().Be("Anonymous");
        trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()).Should().Equal(method);
        Function(name).GetProperty("scriptFile").GetString().Should().Be("ErpFunctions.Functions.dll");
    }

    [Theory]
    [InlineData("ReimportWorker", "%Reimport:QueueName%")]
    [InlineData("ReimportPoison", "%Reimport:QueueName%-poison")]
    public void Binds_the_queue_functions_to_the_configured_queue_and_its_poison_queue(string name, string queue)
    {
        var trigger = Trigger(name);

        trigger.GetProperty("type").GetString().Should().Be("queueTrigger");
        trigger.GetProperty("queueName").GetString().Should().Be(queue);
        trigger.GetProperty("connection").GetString().Should().Be("AzureWebJobsStorage");
    }

    [Fact]
    public void Binds_the_re_sync_to_the_configured_schedule()
    {
        var trigger = Trigger("NightlyResync");

        trigger.GetProperty("type").GetString().Should().Be("timerTrigger");
        trigger.GetProperty("schedule").GetString().Should().Be("%Resync:Schedule%");
    }

    [Fact]
    public void Has_no_function_the_tests_do_not_know_of()
    {
        Metadata.Value.Select(f => f.GetProperty("name").GetString()).Should().BeEquivalentTo(
        [
            "ListBudgets", "PreviewBudget", "RefreshBudget", "ReimportBudget", "BudgetHistory", "StartPreflight", "GetPreflight",
            "GetReimport", "GetReimportLines", "Me", "ProcoreWebhook", "Health", "SignIn", "SignInCallback", "SignOut", "App",
            "ReimportWorker", "ReimportPoison", "NightlyResync",
        ]);
    }

    [Fact]
    public void Serves_routes_as_they_are_written_so_that_the_page_and_the_API_share_one_host()
    {
        var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root.FullName, "host.json")));

        host.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString().Should().BeEmpty();
    }

    [Fact]
    public void Queues_messages_in_the_encoding_host_json_tells_the_trigger_to_expect()
    {
        var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root.FullName, "host.json")));
        var encoding = host.RootElement.GetProperty("extensions").GetProperty("queues").GetProperty("messageEncoding").GetString();

        encoding.Should().Be("base64");
        ErpFunctions.Queueing.ReimportQueue.ClientOptions.MessageEncoding.Should().Be(Azure.Storage.Queues.QueueMessageEncoding.Base64);
    }

    [Fact]
    public void Documents_every_HTTP_route_in_the_OpenAPI_file()
    {
        var openApi = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root.FullName, "functions", "ErpFunctions.Functions", "openapi.json")));
        var documented = openApi.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => $"{o.Name} {p.Name}")).ToList();

        var bound = Metadata.Value.Select(f => f.GetProperty("bindings").EnumerateArray().First())
            .Where(t => t.GetProperty("type").GetString() == "httpTrigger")
            .Select(t => $"{t.GetProperty("methods")[0].GetString()} /{t.GetProperty("route").GetString()!.Replace("{*", "{")}");
        documented.Should().BeEquivalentTo(bound);
    }

    [Theory]
    [InlineData(typeof(BudgetModel), "Budget")]
    [InlineData(typeof(BudgetListModel), "BudgetList")]
    [InlineData(typeof(PlanLineModel), "PlanLine")]
    [InlineData(typeof(PreviewModel), "Preview")]
    [InlineData(typeof(ReimportAcceptedModel), "ReimportAccepted")]
    [InlineData(typeof(RunModel), "Run")]
    [InlineData(typeof(RunLinesModel), "RunLines")]
    [InlineData(typeof(TotalsModel), "Totals")]
    [InlineData(typeof(LeftOutModel), "LeftOut")]
    [InlineData(typeof(PrerequisiteModel), "Prerequisite")]
    [InlineData(typeof(PreflightModel), "Preflight")]
    [InlineData(typeof(MeModel), "Me")]
    [InlineData(typeof(JobHistoryModel), "JobHistory")]
    public void Documents_every_field_of_each_answer_in_the_OpenAPI_file(Type model, string schema)
    {
        var openApi = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root.FullName, "functions", "ErpFunctions.Functions", "openapi.json")));
        var documented = openApi.RootElement.GetProperty("components").GetProperty("schemas").GetProperty(schema).GetProperty("properties")
            .EnumerateObject().Select(p => p.Name);

        documented.Should().BeEquivalentTo(model.GetProperties().Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)));
    }

    private static DirectoryInfo Root
    {
        get
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (!File.Exists(Path.Combine(root.FullName, "ErpFunctions.sln")))
            {
                root = root.Parent!;
            }

            return root;
        }
    }

    private static JsonElement[] Load()
    {
        var output = Path.GetDirectoryName(typeof(ErpFunctions.Functions.Health.HealthFunction).Assembly.Location)!;
        var configuration = new DirectoryInfo(output).Parent!.Name;
        var path = Path.Combine(Root.FullName, "functions", "ErpFunctions.Functions", "bin", configuration, "net10.0",
            "functions.metadata");
        File.Exists(path).Should().BeTrue($"the Worker SDK writes {path} when it builds the function app");
        return JsonSerializer.Deserialize<JsonElement[]>(File.ReadAllText(path))!;
    }
}
