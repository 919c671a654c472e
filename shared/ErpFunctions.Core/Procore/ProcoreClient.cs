using System.Text.Json;
using System.Text.Json.Nodes;
using ErpFunctions.Diagnostics;
using ErpFunctions.Domain.Prerequisites;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Procore;

/// <summary>Procore's REST API as the product needs it; the wire format stays in here.</summary>
public sealed class ProcoreClient(ProcoreConnection connection, IOptions<ProcoreOptions> options)
    : IProcoreProjects, IProcoreCostStructure, IProcoreBudget, IProcoreOperators, IProcoreErpRequests
{
    /// <summary>The <c>calculation_strategy</c> under which Procore keeps the original budget amount as sent.</summary>
    public const string ManualAmount = "manual";

    public async Task<ProcoreProject?> FindProjectAsync(CallContext calls, long projectId, CancellationToken cancellationToken)
    {
        try
        {
            return await connection.SendAsync<ProcoreProject>(
                Get(calls, $"/rest/v1.0/projects/{projectId}", ("company_id", calls.Company.ProcoreCompanyId.ToString())), cancellationToken);
        }
        catch (ProcoreApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<ProcoreProject>> FindProjectsByOriginIdAsync(CallContext calls, string originId, CancellationToken cancellationToken) =>
        await connection.ListAllAsync<ProcoreProject>(calls, "/rest/v1.0/projects",
            [new("company_id", calls.Company.ProcoreCompanyId.ToString()), new("filters[origin_id]", originId)], cancellationToken);

    public async Task<IReadOnlyList<ProcoreProject>> ListProjectsAsync(CallContext calls, CancellationToken cancellationToken) =>
        await connection.ListAllAsync<ProcoreProject>(calls, "/rest/v1.0/projects", [new("company_id", calls.Company.ProcoreCompanyId.ToString())], cancellationToken);

    public async Task<IReadOnlyList<ProcoreTool>> ListActiveToolsAsync(CallContext calls, long projectId, CancellationToken cancellationToken) =>
        await connection.ListAllAsync<ProcoreTool>(calls, $"/rest/v1.0/projects/{projectId}/tools",
            [new("filters[is_active]", "true")], cancellationToken);

    public async Task<bool> IsBudgetToolActiveAsync(CallContext calls, long projectId, CancellationToken cancellationToken)
    {
        var wanted = options.Value.BudgetToolName;
        return (await ListActiveToolsAsync(calls, projectId, cancellationToken)).Any(t => t.IsActive
            && (string.Equals(t.EngineName, wanted, StringComparison.OrdinalIgnoreCase) || string.Equals(t.Title, wanted, StringComparison.OrdinalIgnoreCase)));
    }

    public async Task<bool> IsBudgetLockedAsync(CallContext calls, long projectId, CancellationToken cancellationToken) =>
        (await connection.SendAsync<BudgetState>(Get(calls, $"/rest/v1.0/projects/{projectId}/budget"), cancellationToken)).Locked;

    public async Task<IReadOnlyList<ProcoreCostCode>> ListCostCodesAsync(CallContext calls, long projectId, CancellationToken cancellationToken) =>
        await connection.ListAllAsync<ProcoreCostCode>(calls, "/rest/v1.0/cost_codes",
            [new("project_id", projectId.ToString())], cancellationToken);

    public async Task<IReadOnlyList<ProcoreLineItemType>> ListLineItemTypesAsync(CallContext calls, long projectId, CancellationToken cancellationToken) =>
        await connection.ListAllAsync<ProcoreLineItemType>(calls, "/rest/v1.0/line_item_types",
            [new("company_id", calls.Company.ProcoreCompanyId.ToString()), new("project_id", projectId.ToString())], cancellationToken);

    public async Task<IReadOnlyList<ProcoreWbsCode>> ListWbsCodesAsync(CallContext calls, long projectId, CancellationToken cancellationToken) =>
        await connection.ListAllAsync<ProcoreWbsCode>(calls,
            $"/rest/v1.0/projects/{projectId}/work_breakdown_structure/wbs_codes", [], cancellationToken);

    public async Task<IReadOnlyList<ProcoreWbsSegment>> ListWbsSegmentsAsync(CallContext calls, long projectId, CancellationToken cancellationToken) =>
        await connection.SendAsync<List<ProcoreWbsSegment>>(
            Get(calls, $"/rest/v1.0/projects/{projectId}/work_breakdown_structure/segments"), cancellationToken);

    public async Task<IReadOnlyList<ProcoreSegmentItem>> ListSegmentItemsAsync(CallContext calls, long projectId, long segmentId, CancellationToken cancellationToken) =>
        await connection.ListAllAsync<ProcoreSegmentItem>(calls,
            $"/rest/v1.0/projects/{projectId}/work_breakdown_structure/segments/{segmentId}/segment_items", [], cancellationToken);

    public Task<SyncResult<ProcoreCostCode>> SyncCostCodesAsync(CallContext calls,
        long projectId, IReadOnlyList<CostCodeUpdate> updates, CancellationToken cancellationToken) =>
        SyncInChunksAsync(updates, chunk => new ProcoreCall(calls, HttpMethod.Patch, $"/rest/v1.0/cost_codes/sync?project_id={projectId}",
            new { Updates = chunk.Select(u => new { u.Code, u.Name, u.OriginId, u.ParentId }) }),
            (body, _, token) => ReadEnvelopeAsync<ProcoreCostCode>(body, token), cancellationToken);

    public Task<SyncResult<ProcoreLineItemType>> SyncLineItemTypesAsync(CallContext calls,
        IReadOnlyList<LineItemTypeUpdate> updates, CancellationToken cancellationToken) =>
        SyncInChunksAsync(updates, chunk => new ProcoreCall(calls, HttpMethod.Patch, "/rest/v1.0/line_item_types/sync", new
            {
                CompanyId = calls.Company.ProcoreCompanyId,
                Updates = chunk.Select(u => new { u.Name, CsvImportCode = u.Code, u.BaseType, u.OriginId }),
            }),
            (body, _, token) => ReadEnvelopeAsync<ProcoreLineItemType>(body, token), cancellationToken);

    /// <summary>Creating a code whose segments match an existing one updates it: safe to repeat.</summary>
    public Task<SyncResult<ProcoreWbsCode>> BulkCreateWbsCodesAsync(CallContext calls,
        long projectId, IReadOnlyList<WbsCodeCreate> codes, CancellationToken cancellationToken) =>
        SyncInChunksAsync(codes, chunk => new ProcoreCall(calls, HttpMethod.Patch,
            $"/rest/v1.0/projects/{projectId}/work_breakdown_structure/wbs_codes/bulk_create", new
            {
                Bulk = chunk.Select(c => new
                {
                    c.Description,
                    SegmentItems = c.SegmentItems.Select(s => new { SegmentId = s.SegmentId, SegmentItemId = s.SegmentItemId }),
                }),
            }),
            (body, _, token) => ReadEnvelopeAsync<ProcoreWbsCode>(body, token), cancellationToken);

    public async Task<IReadOnlyList<ProcoreBudgetView>> ListBudgetViewsAsync(CallContext calls, long projectId, CancellationToken cancellationToken) =>
        await connection.ListAllAsync<ProcoreBudgetView>(calls, "/rest/v1.0/budget_views",
            [new("project_id", projectId.ToString())], cancellationToken);

    public async Task<IReadOnlyList<ProcoreBudgetRow>> ListDetailRowsAsync(CallContext calls, long projectId, long budgetViewId, CancellationToken cancellationToken) =>
        await connection.ListAllAsync<ProcoreBudgetRow>(calls, $"/rest/v1.0/budget_views/{budgetViewId}/detail_rows",
            [new("project_id", projectId.ToString())], cancellationToken);

    /// <summary>
    /// Keyed by line id (an update) or budget code (a create). Updates are safe to repeat; a chunk that holds a create is
    /// not repeated after an answer that was lost, because whether Procore refuses a second create for the same budget
    /// code is not documented. The amount is sent with <c>calculation_strategy: manual</c>, so that Procore keeps it
    /// rather than computing it from quantity × unit cost.
    /// </summary>
    public Task<SyncResult<ProcoreBudgetLineItem>> SyncBudgetLineItemsAsync(CallContext calls,
        long projectId, IReadOnlyList<BudgetLineWrite> lines, CancellationToken cancellationToken) =>
        SyncInChunksAsync(lines, chunk => new ProcoreCall(calls, HttpMethod.Post, "/rest/v1.0/budget_line_items/sync", new
            {
                ProjectId = projectId,
                BudgetLineItems = chunk.Select(l => new { l.Id, l.WbsCodeId, l.OriginalBudgetAmount, CalculationStrategy = ManualAmount }),
            }, Repeatable: chunk.All(l => l.Id is not null)),
            ReadBudgetSyncAsync, cancellationToken);

    public Task<ProcoreUser> GetMeAsync(CallContext calls, string operatorToken, CancellationToken cancellationToken) =>
        connection.SendAsync<ProcoreUser>(Get(calls, "/rest/v1.0/me") with { OperatorToken = operatorToken }, cancellationToken);

    public async Task<IReadOnlyList<ProcoreToolPermission>> GetCompanyToolPermissionsAsync(CallContext calls,
        string operatorToken, CancellationToken cancellationToken)
    {
        var call = Get(calls, "/rest/v1.0/settings/permissions", ("company_id", calls.Company.ProcoreCompanyId.ToString())) with { OperatorToken = operatorToken };
        var permissions = await connection.SendAsync<PermissionsResponse>(call, cancellationToken);
        return [.. (permissions.Tools ?? []).Select(t => new ProcoreToolPermission(t.Name, t.FriendlyName, AccessLevels.From(t.UserAccessLevel)))];
    }

    public async Task<AccessLevel> GetErpToolAccessAsync(CallContext calls, string operatorToken, CancellationToken cancellationToken)
    {
        var wanted = options.Value.ErpToolName;
        var tools = await GetCompanyToolPermissionsAsync(calls, operatorToken, cancellationToken);
        var tool = tools.FirstOrDefault(t => string.Equals(t.Name, wanted, StringComparison.OrdinalIgnoreCase)
            || string.Equals(t.FriendlyName, wanted, StringComparison.OrdinalIgnoreCase));
        return tool?.AccessLevel ?? AccessLevel.None;
    }

    public async Task<ErpRequest> GetErpRequestAsync(CallContext calls, long requestId, CancellationToken cancellationToken)
    {
        var request = await connection.SendAsync<ErpRequestResponse>(Get(calls, ErpPath(calls, options.Value.ErpRequestPath, requestId)), cancellationToken);
        return request.ToErpRequest();
    }

    public async Task CloseErpRequestDetailAsync(CallContext calls,
        long requestDetailId, ErpRequestOutcome outcome, IReadOnlyList<string> messages, CancellationToken cancellationToken)
    {
        var body = new
        {
            RequestDetail = new { Status = outcome == ErpRequestOutcome.Success ? "success" : "failed", Messages = messages },
        };
        var method = new HttpMethod(options.Value.ErpRequestDetailMethod);
        await connection.SendAsync(
            new ProcoreCall(calls, method, ErpPath(calls, options.Value.ErpRequestDetailPath, requestDetailId), body), cancellationToken);
    }

    /// <summary>Sends items at most <c>SyncBatchSize</c> per call and merges the per-item outcomes of every call.</summary>
    private async Task<SyncResult<T>> SyncInChunksAsync<TItem, T>(IReadOnlyList<TItem> items, Func<TItem[], ProcoreCall> call,
        Func<Stream, TItem[], CancellationToken, ValueTask<SyncResult<T>>> read, CancellationToken cancellationToken)
    {
        var result = SyncResult<T>.Empty;
        foreach (var chunk in items.Chunk(options.Value.SyncBatchSize))
        {
            var answer = await connection.SendAsync(call(chunk), (body, token) => read(body, chunk, token), cancellationToken);
            result = result.Merge(answer.Value);
        }

        return result;
    }

    private static string ErpPath(CallContext calls, string template, long id) => template
        .Replace("{companyId}", calls.Company.ProcoreCompanyId.ToString(), StringComparison.Ordinal)
        .Replace("{id}", id.ToString(), StringComparison.Ordinal);

    private static ProcoreCall Get(CallContext calls, string path, params (string Name, string Value)[] query) =>
        new(calls, HttpMethod.Get, ProcoreConnection.WithQuery(path, query.Select(q => new KeyValuePair<string, string>(q.Name, q.Value))));

    private static async ValueTask<SyncResult<T>> ReadEnvelopeAsync<T>(Stream body, CancellationToken cancellationToken)
    {
        var envelope = await JsonSerializer.DeserializeAsync<SyncEnvelope<T>>(body, ProcoreJson.Options, cancellationToken);
        return new SyncResult<T>(envelope?.Entities ?? [], [.. (envelope?.Errors ?? []).Select(ToSyncError)]);
    }

    /// <summary>
    /// The published schema answers a plain array of line items; Procore's general sync convention is
    /// <c>{entities, errors}</c>. Both are read; a refused item carries an <c>errors</c> object.
    /// </summary>
    private static async ValueTask<SyncResult<ProcoreBudgetLineItem>> ReadBudgetSyncAsync(Stream body, BudgetLineWrite[] sent,
        CancellationToken cancellationToken)
    {
        using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        var root = document.RootElement;
        var (items, errors) = root.ValueKind switch
        {
            JsonValueKind.Array => (root.EnumerateArray().ToList(), []),
            JsonValueKind.Object => (Elements(root, "entities"), Elements(root, "errors")),
            _ => (new List<JsonElement>(), new List<JsonElement>()),
        };

        var entities = new List<ProcoreBudgetLineItem>();
        var refused = errors.Select(ToSyncError).ToList();
        foreach (var item in items.Where(i => i.ValueKind == JsonValueKind.Object))
        {
            if (item.TryGetProperty("errors", out var itemErrors) && itemErrors.ValueKind != JsonValueKind.Null)
            {
                refused.Add(ToSyncError(item));
                continue;
            }

            var line = item.Deserialize<BudgetLineResponse>(ProcoreJson.Options)!;
            entities.Add(new ProcoreBudgetLineItem(line.Id, line.OriginalBudgetAmount, line.WbsCode?.Id ?? line.WbsCodeId));
        }

        if (refused.Count == sent.Length && refused.All(e => e.IsBudgetLocked))
        {
            throw new ProcoreBudgetLockedException(200, "POST /rest/v1.0/budget_line_items/sync", refused[0].Message);
        }

        return new SyncResult<ProcoreBudgetLineItem>(entities, refused);
    }

    private static List<JsonElement> Elements(JsonElement envelope, string name) =>
        envelope.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array ? [.. list.EnumerateArray()] : [];

    private static SyncError ToSyncError(JsonElement error)
    {
        long? Long(string name) => error.TryGetProperty(name, out var v) && v.TryGetInt64(out var n) ? n : null;
        var originId = error.TryGetProperty("origin_id", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString() : null;
        var message = error.TryGetProperty("errors", out var details) ? ProcoreErrors.Describe(details) : ProcoreErrors.Describe(error);
        return new SyncError(Long("id"), originId, Long("wbs_code_id"), message);
    }

    private sealed record BudgetState(bool Locked);

    /// <summary>An ERP request as the ERP platform sends it; which field of <c>request_data</c> names the job varies.</summary>
    private sealed record ErpRequestResponse(long Id, string? RequestName, long? RequestDetailId, JsonObject? RequestData)
    {
        private static readonly string[] JobFields = ["project_origin_id", "job_origin_id", "job_id", "id"];

        public ErpRequest ToErpRequest()
        {
            var data = RequestData ?? [];
            var job = JobFields.Select(name => data[name]).OfType<JsonValue>().Select(v => v.ToString()).FirstOrDefault(t => t.Length > 0);
            var project = data["project_id"] ?? data["budget"]?["project_id"] ?? data["additional_job_data"]?["procore_project_id"];
            return new ErpRequest(Id, RequestName, RequestDetailId, job,
                project is JsonValue value && long.TryParse(value.ToString(), out var projectId) ? projectId : null);
        }
    }

    private sealed record SyncEnvelope<T>(List<T>? Entities, List<JsonElement>? Errors);

    private sealed record BudgetLineResponse(long Id, decimal OriginalBudgetAmount, long? WbsCodeId, ProcoreReference? WbsCode);

    private sealed record PermissionsResponse(List<ToolPermission>? Tools);

    private sealed record ToolPermission(string? Name, string? FriendlyName, JsonElement? UserAccessLevel);

    private static class AccessLevels
    {
        /// <summary>Compared by name (only "Standard" and "Read Only" are documented), else by the ids seen (2, 3).</summary>
        public static AccessLevel From(JsonElement? level)
        {
            if (level is not { ValueKind: JsonValueKind.Object } value)
            {
                return AccessLevel.None;
            }

            var name = value.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String
                ? n.GetString()!.Replace(" ", "").Replace("_", "").ToLowerInvariant()
                : "";
            return name switch
            {
                "admin" => AccessLevel.Admin,
                "standard" => AccessLevel.Standard,
                "readonly" => AccessLevel.ReadOnly,
                "none" => AccessLevel.None,
                _ => value.TryGetProperty("id", out var id) && id.TryGetInt32(out var number)
                    ? number switch { 4 => AccessLevel.Admin, 3 => AccessLevel.Standard, 2 => AccessLevel.ReadOnly, _ => AccessLevel.None }
                    : AccessLevel.None,
            };
        }
    }
}
