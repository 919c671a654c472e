using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ErpFunctions.Simulators.Procore;

/// <summary>Renders the state with Procore's field names and value shapes (amounts in detail rows are strings).</summary>
public static class ProcoreViews
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly Dictionary<string, int> AccessLevelIds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["None"] = 1, ["Read Only"] = 2, ["Standard"] = 3, ["Admin"] = 4,
    };

    public static string Amount(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    public static object Project(ProcoreState state, SimProject p) => new
    {
        p.Id,
        p.Name,
        DisplayName = p.ProjectNumber is null ? p.Name : $"{p.ProjectNumber} - {p.Name}",
        p.ProjectNumber,
        p.OriginId,
        p.Active,
        p.IsErpIntegrated,
        Company = new { Id = p.CompanyId, Name = state.Companies.GetValueOrDefault(p.CompanyId, "") },
        CreatedAt = p.CreatedAt,
        UpdatedAt = p.CreatedAt,
    };

    public static object Tool(SimTool t, int position) => new { t.Id, t.EngineName, t.IsActive, Position = position, Required = false, t.Title };

    public static object Permission(string tool, string level, int index) => new
    {
        Id = index + 1,
        Name = tool.ToLowerInvariant().Replace(' ', '_'),
        FriendlyName = tool,
        DomainId = 1,
        TabGroup = "company",
        AvailableForUser = true,
        Url = "/" + tool.ToLowerInvariant().Replace(' ', '_'),
        UserAccessLevel = new { Id = AccessLevelIds.GetValueOrDefault(level, 1), Name = level },
        PermittedActions = Array.Empty<object>(),
        CreateUrl = "",
        CanCreate = level is "Standard" or "Admin",
        Trial = false,
    };

    public static object CostCode(ProcoreIndex ix, SimCostCode c)
    {
        var project = ix.Projects[c.ProjectId];
        return new
        {
            c.Id,
            Biller = project.Name,
            BillerId = project.Id,
            BillerType = "Project",
            Budgeted = ix.BudgetedCostCodes.Contains(c.Id),
            c.Code,
            FullCode = ix.FullCode(c),
            c.Name,
            c.OriginId,
            Parent = c.ParentId is { } parent ? new { Id = parent } : null,
            Position = 0,
            SortableCode = ix.FullCode(c),
            CreatedAt = c.CreatedAt,
            UpdatedAt = c.CreatedAt,
            LineItemTypes = ix.Types.Values.Where(t => t.CompanyId == project.CompanyId).Select(LineItemType),
        };
    }

    public static object LineItemType(SimLineItemType t) => new { t.Id, t.Name, t.Code, t.BaseType, t.OriginId };

    public static object Segment(SimProject project, bool costCodes, int count) => new
    {
        Id = costCodes ? project.CostCodeSegmentId : project.CostTypeSegmentId,
        Type = costCodes ? "cost_code" : "line_item_type",
        Name = costCodes ? "Cost Code" : "Cost Type",
        Position = costCodes ? 1 : 2,
        SegmentItemsCount = count,
        Required = true,
        Delimiter = costCodes ? "-" : ".",
        ProjectCanModifyOriginProject = true,
        ProjectCanDeleteOriginCompany = false,
        Structure = costCodes ? "tiered" : "flat",
        SelectableTiers = false,
        IsIncludedInProjectPattern = true,
        Tiered = costCodes,
        CreatedAt = project.CreatedAt,
        UpdatedAt = project.CreatedAt,
        project.WbsPatternId,
    };

    public static object CostCodeItem(ProcoreIndex ix, SimProject project, SimCostCode c)
    {
        var path = ix.Path(c);

        return new
        {
            Id = c.SegmentItemId,
            c.Code,
            c.Name,
            CreatedAt = c.CreatedAt,
            UpdatedAt = c.CreatedAt,
            ParentId = c.ParentId is { } parentId ? ix.CostCodes[parentId].SegmentItemId : (long?)null,
            PathIds = path.Select(x => x.SegmentItemId),
            PathCode = ix.FullCode(c),
            IsParent = ix.Parents.Contains(c.Id),
            PathCodes = path.Select(x => x.Code),
            PathNames = path.Select(x => x.Name),
            InUse = true,
            Segment = Segment(project, costCodes: true, 0),
            Status = "active",
        };
    }

    public static object CostTypeItem(SimProject project, SimLineItemType t) => new
    {
        Id = t.SegmentItemId,
        t.Code,
        t.Name,
        CreatedAt = project.CreatedAt,
        UpdatedAt = project.CreatedAt,
        PathIds = new[] { t.SegmentItemId },
        PathCode = t.Code,
        IsParent = false,
        PathCodes = new[] { t.Code },
        PathNames = new[] { t.Name },
        InUse = true,
        Segment = Segment(project, costCodes: false, 0),
        Status = "active",
    };

    public static object WbsCode(ProcoreIndex ix, SimWbsCode w)
    {
        var project = ix.Projects[w.ProjectId];
        var costCode = ix.CostCodes[w.CostCodeId];
        var type = ix.Types[w.LineItemTypeId];
        return new
        {
            w.Id,
            FlatCode = ix.FlatCode(w),
            FlatName = $"{costCode.Name}.{type.Name}",
            w.Description,
            Status = "active",
            CreatedAt = w.CreatedAt,
            UpdatedAt = w.CreatedAt,
            SegmentItems = new[] { CostCodeItem(ix, project, costCode), CostTypeItem(project, type) },
            project.WbsPatternId,
        };
    }

    public static object DetailRow(ProcoreIndex ix, SimBudgetLine line)
    {
        var project = ix.Projects[line.ProjectId];
        var wbs = ix.Wbs[line.WbsCodeId];
        var costCode = ix.CostCodes[wbs.CostCodeId];
        var root = ix.Root(costCode);
        var type = ix.Types[wbs.LineItemTypeId];
        return new
        {
            line.Id,
            Deletable = true,
            project.CompanyId,
            Company = ix.State.Companies.GetValueOrDefault(project.CompanyId, ""),
            ProjectId = project.Id,
            Project = project.Name,
            WbsCodeId = wbs.Id,
            BillerId = project.Id,
            Biller = project.Name,
            BillerType = "Project",
            RootCostCodeId = root.Id,
            RootCostCode = $"{root.Code} - {root.Name}",
            CostCodeId = costCode.Id,
            CostCode = $"{ix.FullCode(costCode)} - {costCode.Name}",
            CostCodeOriginId = costCode.OriginId,
            CategoryId = type.Id,
            Category = $"{type.Code} - {type.Name}",
            BudgetModifications = Amount(line.BudgetModifications),
            ApprovedBudgetChanges = line.ApprovedBudgetChanges == 0m ? null : Amount(line.ApprovedBudgetChanges),
            OriginalBudgetAmount = Amount(line.Amount),
            BudgetForecast = new
            {
                Id = line.Id,
                ManualAmount = "0.0",
                AutomaticAmount = Amount(line.Amount),
                Amount = Amount(line.Amount),
                AutomaticallyCalculated = true,
                CalculationStrategy = "automatic",
                Notes = "",
            },
            CurrencyConfiguration = new { CurrencyIsoCode = "USD" },
        };
    }

    public static IEnumerable<object> SummaryRows(ProcoreIndex ix, long projectId) =>
        ix.State.BudgetLines.Where(l => l.ProjectId == projectId)
            .GroupBy(l => ix.Root(ix.CostCodes[ix.Wbs[l.WbsCodeId].CostCodeId]))
            .OrderBy(g => g.Key.Code, StringComparer.Ordinal)
            .Select(g => (object)new
            {
                Id = $"project_{projectId}_root_cost_code_{g.Key.Id}",
                Name = $"{g.Key.Code} - {g.Key.Name}",
                BillerType = "Project",
                OriginalBudgetAmount = Amount(g.Sum(l => l.Amount)),
                BudgetModifications = Amount(g.Sum(l => l.BudgetModifications)),
                BudgetForecast = new { Amount = Amount(g.Sum(l => l.Amount)) },
                CurrencyConfiguration = new { CurrencyIsoCode = "USD" },
            });

    /// <summary>A line as the v1.1 endpoints and the sync answer it.</summary>
    public static object LineV11(ProcoreIndex ix, SimBudgetLine line)
    {
        var wbs = ix.Wbs[line.WbsCodeId];
        return new
        {
            line.Id,
            OriginalBudgetAmount = line.Amount,
            Uom = "",
            line.Quantity,
            line.UnitCost,
            line.CalculationStrategy,
            WbsCode = new { wbs.Id, FlatCode = ix.FlatCode(wbs), wbs.Description },
            CurrencyConfiguration = new { CurrencyIsoCode = "USD" },
        };
    }

    /// <summary>A line as the v1.0 endpoints answer it.</summary>
    public static object LineV10(ProcoreIndex ix, SimBudgetLine line)
    {
        var wbs = ix.Wbs[line.WbsCodeId];
        var costCode = ix.CostCodes[wbs.CostCodeId];
        var root = ix.Root(costCode);
        var type = ix.Types[wbs.LineItemTypeId];
        return new
        {
            line.Id,
            OriginalBudgetAmount = line.Amount,
            Uom = "",
            line.Quantity,
            line.UnitCost,
            line.CalculationStrategy,
            line.ApprovedBudgetChanges,
            RevisedBudget = line.Amount + line.BudgetModifications + line.ApprovedBudgetChanges,
            PendingBudgetChanges = 0m,
            ProjectedBudget = line.Amount,
            CommittedCosts = 0m,
            DirectCosts = 0m,
            PendingCostChanges = 0m,
            ProjectedCosts = 0m,
            BudgetForecast = line.Amount,
            EstimatedCostAtCompletion = line.Amount,
            ProjectedOverUnder = 0m,
            CostCode = new { costCode.Id, costCode.Name, costCode.Code, FullCode = ix.FullCode(costCode) },
            Division = new { root.Id, root.Name, FullCode = ix.FullCode(root) },
            LineItemType = new { type.Id, type.Name },
            CurrencyConfiguration = new { CurrencyIsoCode = "USD" },
        };
    }

    public static object ErpRequest(SimErpRequest request) => new
    {
        request.Id,
        request.RequestName,
        request.RequestData,
        request.RequestDetailId,
        request.CompanyId,
    };
}
