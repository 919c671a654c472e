using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ErpFunctions.Simulators.Procore;

/// <summary>The <c>/rest</c> endpoints the product calls, with Procore's field names and semantics.</summary>
public static class ProcoreApi
{
    public const string LockedBudget = "The original_budget_amount cannot be updated for a locked budget.";
    public const string BudgetCodeExists = "This Budget Code already exists";
    public const int MaxSyncItems = 1000;

    private static IResult Json(object? value, int status = 200) => Results.Json(value, ProcoreViews.Json, statusCode: status);

    private static IResult NotFound(string what, object id) => ProcoreGate.Error(404, $"Couldn't find {what} with 'id'={id}");

    public static void MapProcoreApi(this WebApplication app)
    {
        MapIdentity(app);
        MapProjects(app);
        MapCostStructure(app);
        MapBudget(app);
        MapErp(app);
    }

    private static void MapIdentity(WebApplication app)
    {
        app.MapGet("/rest/v1.0/me", (HttpContext context) =>
        {
            var user = context.User();
            return Json(new { user.Id, user.Login, user.Name });
        });

        app.MapGet("/rest/v1.0/settings/permissions", (HttpContext context) =>
        {
            var user = context.User();
            var tools = user.Tools.Select((t, i) => ProcoreViews.Permission(t.Key, t.Value, i));
            return Json(new { tools });
        });
    }

    private static void MapProjects(WebApplication app)
    {
        app.MapGet("/rest/v1.0/projects", (HttpContext context, ProcoreState state) =>
        {
            var query = context.Request.Query;
            if (!long.TryParse(query["company_id"], out var companyId))
            {
                return ProcoreGate.Error(400, "company_id is missing");
            }

            var origin = query["filters[origin_id]"].ToString();
            return state.Read(s => Json(Paging.Page(context, s.Projects
                .Where(p => p.CompanyId == companyId && (origin.Length == 0 || p.OriginId == origin))
                .Select(p => ProcoreViews.Project(s, p)).ToList(), s.Seed)));
        });

        app.MapGet("/rest/v1.0/projects/{id:long}", (HttpContext context, long id, ProcoreState state) =>
            state.Read(s => Project(context, s, id) is { } p ? Json(ProcoreViews.Project(s, p)) : NotFound("Project", id)));

        app.MapGet("/rest/v1.0/projects/{id:long}/tools", (HttpContext context, long id, ProcoreState state) =>
            state.Read(s =>
            {
                if (Project(context, s, id) is not { } project)
                {
                    return NotFound("Project", id);
                }

                var activeOnly = context.Request.Query["filters[is_active]"] == "true";
                var tools = project.Tools.Select((t, i) => (t, i)).Where(x => !activeOnly || x.t.IsActive)
                    .Select(x => ProcoreViews.Tool(x.t, x.i + 1)).ToList();
                return Json(Paging.Page(context, tools, s.Seed));
            }));

        app.MapGet("/rest/v1.0/projects/{id:long}/budget", (HttpContext context, long id, ProcoreState state) =>
            state.Read(s => Project(context, s, id) is { } p ? Json(new { locked = p.BudgetLocked }) : NotFound("Project", id)));

        app.MapPost("/rest/v1.0/projects/{id:long}/budget/lock", (HttpContext context, long id, ProcoreState state) =>
            state.Write(s => SetLock(context, s, id, locked: true, status: 201)));

        app.MapDelete("/rest/v1.0/projects/{id:long}/budget/lock", (HttpContext context, long id, ProcoreState state) =>
            state.Write(s => SetLock(context, s, id, locked: false, status: 200)));
    }

    private static IResult SetLock(HttpContext context, ProcoreState state, long id, bool locked, int status)
    {
        if (Project(context, state, id) is not { } project)
        {
            return NotFound("Project", id);
        }

        project.BudgetLocked = locked;
        return Json(new { locked }, status);
    }

    private static void MapCostStructure(WebApplication app)
    {
        app.MapGet("/rest/v1.0/cost_codes", (HttpContext context, ProcoreState state) => state.Read(s =>
        {
            if (ProjectFromQuery(context, s) is not { } project)
            {
                return MissingProject(context);
            }

            var origin = context.Request.Query["filters[origin_id]"].ToString();
            var ix = new ProcoreIndex(s);
            var codes = s.CostCodes.Where(c => c.ProjectId == project.Id && (origin.Length == 0 || c.OriginId == origin))
                .OrderBy(c => ix.FullCode(c), StringComparer.Ordinal).Select(c => ProcoreViews.CostCode(ix, c)).ToList();
            return Json(Paging.Page(context, codes, s.Seed));
        }));

        app.MapPatch("/rest/v1.0/cost_codes/sync", async (HttpContext context, ProcoreState state) =>
        {
            var body = await ReadBodyAsync(context);
            if (body?["updates"] is not JsonArray updates)
            {
                return ProcoreGate.Error(400, "updates is missing");
            }

            return state.Write(s => ProjectFromQuery(context, s) is { } project
                ? SyncCostCodes(s, project, updates)
                : MissingProject(context));
        });

        app.MapGet("/rest/v1.0/line_item_types", (HttpContext context, ProcoreState state) => state.Read(s =>
        {
            var company = context.CompanyFromHeader();
            var origin = context.Request.Query["filters[origin_id]"].ToString();
            var types = s.LineItemTypes.Where(t => t.CompanyId == company && (origin.Length == 0 || t.OriginId == origin))
                .Select(ProcoreViews.LineItemType).ToList();
            return Json(Paging.Page(context, types, s.Seed));
        }));

        app.MapPatch("/rest/v1.0/line_item_types/sync", async (HttpContext context, ProcoreState state) =>
        {
            var body = await ReadBodyAsync(context);
            if (body?["updates"] is not JsonArray updates || !TryLong(body["company_id"], out var companyId))
            {
                return ProcoreGate.Error(400, "company_id and updates are required");
            }

            return companyId != context.CompanyFromHeader()
                ? ProcoreGate.Error(403, "company_id does not match Procore-Company-Id")
                : state.Write(s => SyncLineItemTypes(s, companyId, updates));
        });

        const string wbs = "/rest/v1.0/projects/{id:long}/work_breakdown_structure";
        app.MapGet(wbs + "/wbs_codes", (HttpContext context, long id, ProcoreState state) => state.Read(s =>
        {
            if (Project(context, s, id) is not { } project)
            {
                return NotFound("Project", id);
            }

            var ix = new ProcoreIndex(s);
            return Json(Paging.Page(context, s.WbsCodes.Where(w => w.ProjectId == project.Id).Select(w => ProcoreViews.WbsCode(ix, w)).ToList(), s.Seed));
        }));

        app.MapGet(wbs + "/segments", (HttpContext context, long id, ProcoreState state) => state.Read(s =>
            Project(context, s, id) is { } project
                ? Json(new[]
                {
                    ProcoreViews.Segment(project, costCodes: true, s.CostCodes.Count(c => c.ProjectId == project.Id)),
                    ProcoreViews.Segment(project, costCodes: false, s.LineItemTypes.Count(t => t.CompanyId == project.CompanyId)),
                })
                : NotFound("Project", id)));

        app.MapGet(wbs + "/segments/{segmentId:long}/segment_items", (HttpContext context, long id, long segmentId, ProcoreState state) =>
            state.Read(s =>
            {
                if (Project(context, s, id) is not { } project)
                {
                    return NotFound("Project", id);
                }

                var ix = new ProcoreIndex(s);
                List<object>? items = segmentId == project.CostCodeSegmentId
                    ? [.. s.CostCodes.Where(c => c.ProjectId == project.Id).Select(c => ProcoreViews.CostCodeItem(ix, project, c))]
                    : segmentId == project.CostTypeSegmentId
                        ? [.. s.LineItemTypes.Where(t => t.CompanyId == project.CompanyId).Select(t => ProcoreViews.CostTypeItem(project, t))]
                        : null;
                return items is null ? NotFound("Segment", segmentId) : Json(Paging.Page(context, items, s.Seed));
            }));

        app.MapPatch(wbs + "/wbs_codes/bulk_create", async (HttpContext context, long id, ProcoreState state) =>
        {
            var body = await ReadBodyAsync(context);
            if (body?["bulk"] is not JsonArray bulk)
            {
                return ProcoreGate.Error(400, "bulk is missing");
            }

            return state.Write(s => Project(context, s, id) is { } project ? BulkCreateWbs(s, project, bulk) : NotFound("Project", id));
        });
    }

    private static void MapBudget(WebApplication app)
    {
        app.MapGet("/rest/v1.0/budget_views", (HttpContext context, ProcoreState state) => state.Read(s =>
            ProjectFromQuery(context, s) is { } project
                ? Json(Paging.Page(context, project.BudgetViews.Select(v => (object)new
                {
                    v.Id,
                    v.Name,
                    Description = "",
                    CreatedAt = project.CreatedAt.ToString("O"),
                    UpdatedAt = project.CreatedAt.ToString("O"),
                    Role = "standard",
                    Links = new
                    {
                        DetailRows = $"/rest/v1.0/budget_views/{v.Id}/detail_rows?project_id={project.Id}",
                        SummaryRows = $"/rest/v1.0/budget_views/{v.Id}/summary_rows?project_id={project.Id}",
                    },
                }).ToList(), s.Seed))
                : MissingProject(context)));

        app.MapGet("/rest/v1.0/budget_views/{viewId:long}/detail_rows", (HttpContext context, long viewId, ProcoreState state) =>
            state.Read(s =>
            {
                if (BudgetView(context, s, viewId) is not { } project)
                {
                    return NotFound("Budget View", viewId);
                }

                var lines = s.BudgetLines.Where(l => l.ProjectId == project.Id).ToList();
                var page = Paging.Page(context, lines, s.Seed);
                var ix = new ProcoreIndex(s);
                return Json(page.Select(l => ProcoreViews.DetailRow(ix, l)).ToList());
            }));

        app.MapGet("/rest/v1.0/budget_views/{viewId:long}/summary_rows", (HttpContext context, long viewId, ProcoreState state) =>
            state.Read(s => BudgetView(context, s, viewId) is { } project
                ? Json(Paging.Page(context, ProcoreViews.SummaryRows(new ProcoreIndex(s), project.Id).ToList(), s.Seed))
                : NotFound("Budget View", viewId)));

        app.MapPost("/rest/v1.0/budget_line_items/sync", async (HttpContext context, ProcoreState state, ProcoreQuirks quirks) =>
        {
            var body = await ReadBodyAsync(context);
            if (body?["budget_line_items"] is not JsonArray items || !TryLong(body["project_id"], out var projectId))
            {
                return ProcoreGate.Error(400, "project_id and budget_line_items are required");
            }

            if (items.Count > MaxSyncItems)
            {
                return ProcoreGate.Error(422, $"At most {MaxSyncItems} budget line items can be synced at once");
            }

            context.LogDetail("items", items.Count.ToString());
            return state.Write(s =>
            {
                quirks.TakeBeforeBudgetSync()?.Invoke(s);
                return Project(context, s, projectId) is { } project ? SyncBudgetLines(s, project, items, quirks) : NotFound("Project", projectId);
            });
        });

        app.MapPost("/rest/v1.0/budget_line_items", async (HttpContext context, ProcoreState state) =>
        {
            var body = await ReadBodyAsync(context);
            var line = body?["budget_line_item"] as JsonObject;
            if (line is null || !TryLong(body!["project_id"], out var projectId)
                || !TryLong(line["cost_code_id"], out var costCodeId) || !TryLong(line["line_item_type_id"], out var typeId))
            {
                return ProcoreGate.Error(400, "project_id, cost_code_id and line_item_type_id are required");
            }

            return state.Write(s =>
            {
                if (Project(context, s, projectId) is not { } project)
                {
                    return NotFound("Project", projectId);
                }

                if (project.BudgetLocked)
                {
                    return FieldError(422, "original_budget_amount", LockedBudget);
                }

                if (s.CostCodes.All(c => c.Id != costCodeId || c.ProjectId != project.Id) || s.LineItemTypes.All(t => t.Id != typeId))
                {
                    return FieldError(422, "cost_code_id", "is invalid");
                }

                var wbsCode = s.EnsureWbsCode(project.Id, costCodeId, typeId);
                if (s.BudgetLines.Any(l => l.WbsCodeId == wbsCode.Id))
                {
                    return FieldError(422, "wbs_code_id", BudgetCodeExists);
                }

                var created = new SimBudgetLine { Id = s.NewId(), ProjectId = project.Id, WbsCodeId = wbsCode.Id, Amount = Amount(line["original_budget_amount"]) ?? 0m };
                s.BudgetLines.Add(created);
                return Json(ProcoreViews.LineV10(new ProcoreIndex(s), created), 201);
            });
        });

        app.MapGet("/rest/v1.0/budget_line_items/{lineId:long}", (HttpContext context, long lineId, ProcoreState state) =>
            state.Read(s => Line(context, s, lineId) is { } line ? Json(ProcoreViews.LineV10(new ProcoreIndex(s), line)) : NotFound("Budget Line Item", lineId)));

        app.MapPatch("/rest/v1.0/budget_line_items/{lineId:long}", async (HttpContext context, long lineId, ProcoreState state) =>
        {
            var body = await ReadBodyAsync(context);
            if (body?["budget_line_item"] is not JsonObject changes || !TryLong(body["project_id"], out var projectId))
            {
                return ProcoreGate.Error(400, "project_id and budget_line_item are required");
            }

            return state.Write(s =>
            {
                if (Line(context, s, lineId) is not { } line || line.ProjectId != projectId)
                {
                    return NotFound("Budget Line Item", lineId);
                }

                if (s.Projects.Single(p => p.Id == line.ProjectId).BudgetLocked)
                {
                    return FieldError(422, "original_budget_amount", LockedBudget);
                }

                line.CalculationStrategy = changes["calculation_strategy"]?.GetValue<string>() ?? line.CalculationStrategy;
                line.EnteredAmount = Amount(changes["original_budget_amount"]) ?? line.EnteredAmount;
                return Json(ProcoreViews.LineV10(new ProcoreIndex(s), line));
            });
        });
    }

    private static void MapErp(WebApplication app)
    {
        app.MapGet("/rest/v1.0/companies/{companyId:long}/erp_requests/{id:long}", (HttpContext context, long companyId, long id, ProcoreState state) =>
            state.Read(s => s.ErpRequests.FirstOrDefault(r => r.Id == id && r.CompanyId == companyId && companyId == context.CompanyFromHeader()) is { } request
                ? Json(ProcoreViews.ErpRequest(request))
                : NotFound("ERP Request", id)));

        var closeOut = async (HttpContext context, long companyId, long id, ProcoreState state) =>
        {
            var body = await ReadBodyAsync(context);
            var detail = body?["request_detail"] as JsonObject;
            var status = detail?["status"]?.ToString();
            if (status is not ("success" or "failed"))
            {
                return ProcoreGate.Error(422, "status must be success or failed");
            }

            var messages = detail!["messages"] is JsonArray list ? list.Select(m => m?.ToString() ?? "").ToList() : [];
            return state.Write(s =>
            {
                var found = s.ErpRequestDetails.FirstOrDefault(d => d.Id == id);
                if (found is null || companyId != context.CompanyFromHeader())
                {
                    return NotFound("ERP Request Detail", id);
                }

                found.Status = status;
                found.Messages = messages;
                return Json(new { found.Id, found.Status, found.Messages });
            });
        };
        app.MapPatch("/rest/v1.0/companies/{companyId:long}/erp_request_details/{id:long}", closeOut);
        app.MapPut("/rest/v1.0/companies/{companyId:long}/erp_request_details/{id:long}", closeOut);
    }

    private static IResult SyncCostCodes(ProcoreState s, SimProject project, JsonArray updates)
    {
        var changed = new List<SimCostCode>();
        var entities = new List<object>();
        var errors = new List<object>();
        foreach (var update in updates.OfType<JsonObject>())
        {
            var origin = update["origin_id"]?.ToString();
            var code = update["code"]?.ToString();
            var name = update["name"]?.ToString();
            TryLong(update["parent_id"], out var parentValue);
            long? parentId = update["parent_id"] is null ? null : parentValue;
            SimCostCode? existing = TryLong(update["id"], out var id)
                ? s.CostCodes.FirstOrDefault(c => c.Id == id && c.ProjectId == project.Id)
                : origin is null ? null : s.CostCodes.FirstOrDefault(c => c.ProjectId == project.Id && c.OriginId == origin);

            if (update["id"] is not null && existing is null)
            {
                errors.Add(new { id, origin_id = origin, errors = new Dictionary<string, string[]> { ["id"] = ["Entity with this ID not found"] } });
                continue;
            }

            if (parentId is { } p && s.CostCodes.All(c => c.Id != p || c.ProjectId != project.Id))
            {
                errors.Add(new { origin_id = origin, errors = new Dictionary<string, string[]> { ["parent_id"] = ["is invalid"] } });
                continue;
            }

            if (existing is null)
            {
                if (string.IsNullOrWhiteSpace(code) || string.IsNullOrWhiteSpace(name))
                {
                    errors.Add(new { origin_id = origin, errors = new Dictionary<string, string[]> { ["code"] = ["can't be blank"] } });
                    continue;
                }

                if (s.CostCodes.Any(c => c.ProjectId == project.Id && c.ParentId == parentId && c.Code == code))
                {
                    errors.Add(new { origin_id = origin, errors = new Dictionary<string, string[]> { ["code"] = ["has already been taken"] } });
                    continue;
                }

                existing = s.AddCostCode(project.Id, code, name, parentId, origin);
            }
            else
            {
                existing.Code = code ?? existing.Code;
                existing.Name = name ?? existing.Name;
                existing.OriginId = origin ?? existing.OriginId;
                existing.ParentId = parentId ?? existing.ParentId;
            }

            changed.Add(existing);
        }

        var ix = new ProcoreIndex(s);
        entities.AddRange(changed.Select(c => ProcoreViews.CostCode(ix, c)));
        return Json(new { entities, errors });
    }

    private static IResult SyncLineItemTypes(ProcoreState s, long companyId, JsonArray updates)
    {
        var entities = new List<object>();
        var errors = new List<object>();
        foreach (var update in updates.OfType<JsonObject>())
        {
            var origin = update["origin_id"]?.ToString();
            var code = update["csv_import_code"]?.ToString();
            var name = update["name"]?.ToString();
            var baseType = update["base_type"]?.ToString() ?? "other";
            var existing = TryLong(update["id"], out var id)
                ? s.LineItemTypes.FirstOrDefault(t => t.Id == id && t.CompanyId == companyId)
                : origin is null ? null : s.LineItemTypes.FirstOrDefault(t => t.CompanyId == companyId && t.OriginId == origin);
            if (existing is null)
            {
                if (string.IsNullOrWhiteSpace(code) || string.IsNullOrWhiteSpace(name) || s.LineItemTypes.Any(t => t.CompanyId == companyId && t.Code == code))
                {
                    errors.Add(new { origin_id = origin, errors = new Dictionary<string, string[]> { ["csv_import_code"] = ["is blank or already taken"] } });
                    continue;
                }

                existing = s.AddLineItemType(companyId, name, code, baseType, origin);
            }
            else
            {
                existing.Name = name ?? existing.Name;
                existing.Code = code ?? existing.Code;
                existing.BaseType = baseType;
            }

            entities.Add(ProcoreViews.LineItemType(existing));
        }

        return Json(new { entities, errors });
    }

    private static IResult BulkCreateWbs(ProcoreState s, SimProject project, JsonArray bulk)
    {
        var created = new List<SimWbsCode>();
        var entities = new List<object>();
        var codesBySegmentItem = s.CostCodes.Where(c => c.ProjectId == project.Id).ToDictionary(c => c.SegmentItemId);
        var typesBySegmentItem = s.LineItemTypes.Where(t => t.CompanyId == project.CompanyId).ToDictionary(t => t.SegmentItemId);
        var errors = new List<object>();
        foreach (var code in bulk.OfType<JsonObject>())
        {
            var items = (code["segment_items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            long? Item(long segmentId) => items.FirstOrDefault(i => TryLong(i["segment_id"], out var sid) && sid == segmentId) is { } item
                && TryLong(item["segment_item_id"], out var itemId) ? itemId : null;

            var costCode = Item(project.CostCodeSegmentId) is { } costItem ? codesBySegmentItem.GetValueOrDefault(costItem) : null;
            var type = Item(project.CostTypeSegmentId) is { } typeItem ? typesBySegmentItem.GetValueOrDefault(typeItem) : null;
            if (costCode is null || type is null)
            {
                errors.Add(new { description = code["description"]?.ToString(), errors = new Dictionary<string, string[]> { ["segment_items"] = ["must name a cost code and a cost type of the project"] } });
                continue;
            }

            created.Add(s.EnsureWbsCode(project.Id, costCode.Id, type.Id, code["description"]?.ToString()));
        }

        var ix = new ProcoreIndex(s);
        entities.AddRange(created.Select(w => ProcoreViews.WbsCode(ix, w)));
        return Json(new { entities, errors }, 201);
    }

    private static IResult SyncBudgetLines(ProcoreState s, SimProject project, JsonArray items, ProcoreQuirks quirks)
    {
        if (quirks.TakeWholeSyncRefusal())
        {
            return FieldError(422, "base", "The budget line items could not be saved");
        }

        var ix = new ProcoreIndex(s);
        if (quirks.RefuseWholeSync && items.OfType<JsonObject>().Select(item => TryLong(item["wbs_code_id"], out var wbs) && ix.Wbs.TryGetValue(wbs, out var code)
                ? quirks.RefusedBudgetCodes.GetValueOrDefault(ix.FlatCode(code)) : null).FirstOrDefault(m => m is not null) is { } wholeRefusal)
        {
            return FieldError(422, "base", wholeRefusal);
        }

        var entities = new List<object>();
        var errors = new List<object>();
        foreach (var item in items.OfType<JsonObject>())
        {
            var hasId = TryLong(item["id"], out var id);
            var hasWbs = TryLong(item["wbs_code_id"], out var wbsId);
            object Refuse(string field, string message) => quirks.UnnamedItemErrors
                ? new { errors = new Dictionary<string, string[]> { [field] = [message] } }
                : new
                {
                    id = hasId ? id : (long?)null,
                    wbs_code_id = hasWbs ? wbsId : (long?)null,
                    errors = new Dictionary<string, string[]> { [field] = [message] },
                };

            if (project.BudgetLocked)
            {
                errors.Add(Refuse("original_budget_amount", LockedBudget));
                continue;
            }

            var amount = Amount(item["original_budget_amount"]);
            var strategy = item["calculation_strategy"]?.GetValue<string>();
            if (hasWbs && (!ix.Wbs.TryGetValue(wbsId, out var wbsCode) || wbsCode.ProjectId != project.Id))
            {
                errors.Add(Refuse("wbs_code_id", "is invalid"));
                continue;
            }

            if (hasWbs && quirks.RefusedBudgetCodes.TryGetValue(ix.FlatCode(ix.Wbs[wbsId]), out var refusal))
            {
                errors.Add(Refuse("base", refusal));
                continue;
            }

            if (hasId)
            {
                if (!ix.Lines.TryGetValue(id, out var line) || line.ProjectId != project.Id)
                {
                    errors.Add(Refuse("id", "Entity with this ID not found"));
                    continue;
                }

                if (hasWbs && wbsId != line.WbsCodeId && ix.LineByWbs.ContainsKey(wbsId))
                {
                    errors.Add(Refuse("wbs_code_id", BudgetCodeExists));
                    continue;
                }

                if (hasWbs && wbsId != line.WbsCodeId)
                {
                    ix.LineByWbs.Remove(line.WbsCodeId);
                    ix.LineByWbs[wbsId] = line;
                    line.WbsCodeId = wbsId;
                }

                // Without a strategy, a line keeps its own: under "automatic" the amount sent does not show.
                line.CalculationStrategy = strategy ?? line.CalculationStrategy;
                line.EnteredAmount = amount ?? line.EnteredAmount;
                entities.Add(ProcoreViews.LineV11(ix, line));
                continue;
            }

            if (!hasWbs)
            {
                errors.Add(Refuse("wbs_code_id", "can't be blank"));
                continue;
            }

            if (ix.LineByWbs.ContainsKey(wbsId) && !quirks.AcceptDuplicateCreates)
            {
                errors.Add(Refuse("wbs_code_id", BudgetCodeExists));
                continue;
            }

            var created = new SimBudgetLine
            {
                Id = s.NewId(), ProjectId = project.Id, WbsCodeId = wbsId, Amount = amount ?? 0m,
                CalculationStrategy = strategy ?? SimBudgetLine.Manual,
            };
            s.BudgetLines.Add(created);
            ix.LineByWbs[wbsId] = created;
            ix.Lines[created.Id] = created;
            entities.Add(ProcoreViews.LineV11(ix, created));
        }

        return s.BudgetSyncResponse == BudgetSyncShape.Envelope
            ? Json(new { entities, errors })
            : Json(entities.Concat(errors).ToList());
    }

    private static SimProject? Project(HttpContext context, ProcoreState s, long id) =>
        s.Projects.FirstOrDefault(p => p.Id == id && p.CompanyId == context.CompanyFromHeader());

    private static SimProject? ProjectFromQuery(HttpContext context, ProcoreState s) =>
        long.TryParse(context.Request.Query["project_id"], out var id) ? Project(context, s, id) : null;

    private static IResult MissingProject(HttpContext context) =>
        context.Request.Query.ContainsKey("project_id")
            ? NotFound("Project", context.Request.Query["project_id"].ToString())
            : ProcoreGate.Error(400, "project_id is missing");

    private static SimProject? BudgetView(HttpContext context, ProcoreState s, long viewId) =>
        ProjectFromQuery(context, s) is { } project && project.BudgetViews.Any(v => v.Id == viewId) ? project : null;

    private static SimBudgetLine? Line(HttpContext context, ProcoreState s, long id) =>
        s.BudgetLines.FirstOrDefault(l => l.Id == id && s.Projects.Any(p => p.Id == l.ProjectId && p.CompanyId == context.CompanyFromHeader()));

    private static IResult FieldError(int status, string field, string message) =>
        Json(new { errors = new Dictionary<string, string[]> { [field] = [message] } }, status);

    private static async Task<JsonObject?> ReadBodyAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool TryLong(JsonNode? node, out long value)
    {
        value = 0;
        return node is JsonValue v && (v.TryGetValue(out value) || (v.TryGetValue<string>(out var text) && long.TryParse(text, out value)));
    }

    private static decimal? Amount(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<decimal>(out var number) => number,
        JsonValue v when v.TryGetValue<string>(out var text) && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };
}
