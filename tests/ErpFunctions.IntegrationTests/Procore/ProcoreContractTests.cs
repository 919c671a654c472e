using System.Text.Json;
using System.Text.Json.Nodes;
using System.Web;
using ErpFunctions.IntegrationTests.Support;
using ErpFunctions.TestSupport;
using ErpFunctions.Procore;
using ErpFunctions.Simulators;
using ErpFunctions.Simulators.Procore;

namespace ErpFunctions.IntegrationTests.Procore;

/// <summary>
/// Runs every Procore operation the product uses through the real client against the simulator, then checks each
/// request the client sent and each answer the simulator gave against Procore's published schema for the operation.
/// </summary>
public class ProcoreContractTests : IAsyncLifetime
{
    private ProcoreSimulator simulator = null!;

    public async Task InitializeAsync()
    {
        simulator = await ProcoreSimulator.StartAsync();
        simulator.Log.CaptureBodies = true;
    }

    public async Task DisposeAsync() => await simulator.DisposeAsync();

    [ProcoreContractFact]
    public async Task Every_request_and_answer_matches_Procore_published_schemas()
    {
        var exchanges = await RunEveryOperationAsync();
        var violations = new List<string>();
        var checkedOperations = new HashSet<string>();

        foreach (var call in exchanges.Where(c => c.Path.StartsWith("/rest/", StringComparison.Ordinal) || c.Path == "/oauth/token"))
        {
            var operation = ProcoreContracts.Match(call.Method, call.Path);
            if (operation is null)
            {
                call.Path.Should().Contain("erp_request", "only the ERP platform calls are absent from the public catalogue");
                continue;
            }

            checkedOperations.Add(operation.OperationId);
            violations.AddRange(CheckQuery(operation, call));
            violations.AddRange(CheckRequest(operation, call));
            violations.AddRange(CheckAnswer(operation, call));
        }

        string.Join(Environment.NewLine, violations).Should().BeEmpty();
        checkedOperations.Should().BeEquivalentTo(
        [
            "OauthTokenPost", "RestV10MeGet", "RestV10SettingsPermissionsGet", "RestV10ProjectsGet", "RestV10ProjectsIdGet",
            "RestV10ProjectsProjectIdToolsGet", "RestV10ProjectsProjectIdBudgetGet", "RestV10BudgetViewsGet",
            "RestV10BudgetViewsBudgetViewIdDetailRowsGet",
            "RestV10CostCodesGet", "RestV10CostCodesSyncPatch", "RestV10LineItemTypesGet", "RestV10LineItemTypesSyncPatch",
            "RestV10ProjectsProjectIdWorkBreakdownStructureWbsCodesGet", "RestV10ProjectsProjectIdWorkBreakdownStructureSegmentsGet",
            "RestV10ProjectsProjectIdWorkBreakdownStructureSegmentsSegmentIdSegmentItemsGet",
            "RestV10ProjectsProjectIdWorkBreakdownStructureWbsCodesBulkCreatePatch", "RestV10BudgetLineItemsSyncPost",
        ]);
    }

    [ProcoreContractFact]
    public void The_fields_the_product_relies_on_are_declared_where_it_uses_them()
    {
        string[] Properties(string operationId, params string[] path)
        {
            JsonNode node = JsonNode.Parse(File.ReadAllText(Path.Combine(ProcoreContracts.Directory!, operationId + ".json")))!;
            foreach (var step in path)
            {
                node = node[step]!;
            }

            return [.. node["properties"]!.AsObject().Select(p => p.Key)];
        }

        Properties("RestV11BudgetLineItemsPost", "requestBody", "schema", "properties", "budget_line_item")
            .Should().Contain(["wbs_code_id", "original_budget_amount"]);
        Properties("RestV10BudgetLineItemsPost", "requestBody", "schema", "properties", "budget_line_item")
            .Should().Contain(["cost_code_id", "line_item_type_id", "original_budget_amount"]);
        Properties("RestV10CostCodesSyncPatch", "requestBody", "schema", "properties", "updates", "items")
            .Should().Contain(["code", "name", "origin_id", "parent_id"]);
        Properties("RestV10LineItemTypesSyncPatch", "requestBody", "schema", "properties", "updates", "items")
            .Should().Contain(["csv_import_code", "base_type", "origin_id"]);
        Properties("RestV10ProjectsProjectIdWorkBreakdownStructureWbsCodesGet", "responses", "200", "schema", "items")
            .Should().Contain(["id", "flat_code", "segment_items"]);
        Properties("RestV10BudgetViewsBudgetViewIdDetailRowsGet", "responses", "200", "schema", "items")
            .Should().Contain(["id", "wbs_code_id", "cost_code_id", "category_id", "original_budget_amount", "cost_code_origin_id"]);
        Properties("RestV10ProjectsGet", "responses", "200", "schema", "items").Should().Contain("origin_id");
    }

    private async Task<IReadOnlyList<RequestLogEntry>> RunEveryOperationAsync()
    {
        await using var services = ProcoreClients.Create(simulator);
        var client = services.Procore();
        const long project = ProcoreClients.HarborProject;

        await client.GetMeAsync(TestCalls.New(), "sim-operator-standard", default);
        await client.GetErpToolAccessAsync(TestCalls.New(), "sim-operator-standard", default);
        await client.ListProjectsAsync(TestCalls.New(), default);
        await client.FindProjectsByOriginIdAsync(TestCalls.New(), "22-208", default);
        await client.FindProjectAsync(TestCalls.New(), project, default);
        await client.ListActiveToolsAsync(TestCalls.New(), project, default);
        await client.IsBudgetLockedAsync(TestCalls.New(), project, default);
        var view = (await client.ListBudgetViewsAsync(TestCalls.New(), project, default))[0];
        var rows = await client.ListDetailRowsAsync(TestCalls.New(), project, view.Id, default);
        var divisions = await client.ListCostCodesAsync(TestCalls.New(), project, default);
        await client.ListLineItemTypesAsync(TestCalls.New(), project, default);
        await client.ListWbsCodesAsync(TestCalls.New(), project, default);
        var division = await client.SyncCostCodesAsync(TestCalls.New(), project, [new("10", "Specialties", "10", null)], default);
        await client.SyncCostCodesAsync(TestCalls.New(), project, [new("1400", "Signage", "101400", division.Entities[0].Id)], default);
        await client.SyncLineItemTypesAsync(TestCalls.New(), [new("Rentals", "R", "equipment", "R")], default);
        var segments = await client.ListWbsSegmentsAsync(TestCalls.New(), project, default);
        var costItem = (await client.ListSegmentItemsAsync(TestCalls.New(), project, segments[0].Id, default)).Single(i => i.PathCode == "10-1400");
        var typeItem = (await client.ListSegmentItemsAsync(TestCalls.New(), project, segments[1].Id, default)).Single(i => i.Code == "R");
        var wbs = await client.BulkCreateWbsCodesAsync(TestCalls.New(), project,
            [new("Signage - Rentals", [(segments[0].Id, costItem.Id), (segments[1].Id, typeItem.Id)])], default);
        var existing = rows[0];
        await client.SyncBudgetLineItemsAsync(TestCalls.New(), project,
            [new(null, wbs.Entities[0].Id, 1250.75m), new(existing.Id, existing.WbsCodeId!.Value, 99.99m)], default);
        var request = simulator.State.Write(s => s.AddErpRequest(ProcoreClients.CompanyId, "reimport_budget", null));
        await client.GetErpRequestAsync(TestCalls.New(), request.Id, default);
        await client.CloseErpRequestDetailAsync(TestCalls.New(), request.RequestDetailId!.Value, ErpRequestOutcome.Success, [], default);

        divisions.Should().NotBeEmpty();
        return simulator.Log.Entries;
    }

    private static IEnumerable<string> CheckQuery(ProcoreOperation operation, RequestLogEntry call)
    {
        var sent = HttpUtility.ParseQueryString(call.Query).AllKeys.OfType<string>().ToHashSet();
        foreach (var name in sent.Where(n => !operation.QueryParameters.Contains(n)))
        {
            yield return $"{operation.OperationId}: query parameter '{name}' is not declared";
        }

        foreach (var name in operation.RequiredQueryParameters.Where(n => !sent.Contains(n)))
        {
            yield return $"{operation.OperationId}: required query parameter '{name}' is missing";
        }
    }

    private static IEnumerable<string> CheckRequest(ProcoreOperation operation, RequestLogEntry call)
    {
        var body = call.Details.GetValueOrDefault("requestBody", "");
        if (operation.RequestSchema is null || body.Length == 0)
        {
            return [];
        }

        var instance = operation.OperationId == "OauthTokenPost"
            ? JsonSerializer.SerializeToElement(HttpUtility.ParseQueryString(body).AllKeys.OfType<string>()
                .ToDictionary(k => k, k => HttpUtility.ParseQueryString(body)[k]))
            : JsonDocument.Parse(body).RootElement;
        var violations = ProcoreContracts.Violations(operation.RequestSchema, instance).ToList();

        if (operation.OperationId == "RestV10BudgetLineItemsSyncPost")
        {
            // The catalogue leaves the sync items unspecified; they are v1.1 budget line items plus the line's id.
            var item = ProcoreContracts.RequestPropertySchema("RestV11BudgetLineItemsPost", "budget_line_item",
                ("id", new JsonObject { ["type"] = "integer" }));
            violations.AddRange(instance.GetProperty("budget_line_items").EnumerateArray()
                .SelectMany(line => ProcoreContracts.Violations(item, line)));
        }

        return violations.Select(v => $"{operation.OperationId} request {v}");
    }

    private static IEnumerable<string> CheckAnswer(ProcoreOperation operation, RequestLogEntry call)
    {
        if (!operation.ResponseSchemas.TryGetValue(call.Status, out var schema))
        {
            return call.Status is >= 200 and < 300
                ? [$"{operation.OperationId}: answered {call.Status}, which the operation does not declare"]
                : [];
        }

        var answer = JsonDocument.Parse(call.Details["responseBody"]).RootElement;
        return ProcoreContracts.Violations(schema, answer).Select(v => $"{operation.OperationId} answer {v}");
    }
}
