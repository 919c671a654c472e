using System.Text.Json;

namespace ErpFunctions.Simulators.Procore;

public sealed class SimUser
{
    public long Id { get; init; }
    public string Login { get; init; } = "";
    public string Name { get; init; } = "";
    public HashSet<long> Companies { get; init; } = [];
    public Dictionary<string, string> Tools { get; init; } = new(StringComparer.OrdinalIgnoreCase);
    public bool IsServiceAccount { get; set; }
}

public sealed class SimToken
{
    public string Value { get; init; } = "";
    public long UserId { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
}

public sealed class SimProject
{
    public long Id { get; init; }
    public long CompanyId { get; init; }
    public string Name { get; set; } = "";
    public string? ProjectNumber { get; set; }
    public string? OriginId { get; set; }
    public bool Active { get; set; } = true;
    public bool BudgetLocked { get; set; }
    public bool IsErpIntegrated { get; set; }
    public List<SimTool> Tools { get; init; } = [];
    public List<(long Id, string Name)> BudgetViews { get; init; } = [];
    public long CostCodeSegmentId { get; init; }
    public long CostTypeSegmentId { get; init; }
    public long WbsPatternId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

public sealed class SimTool
{
    public long Id { get; init; }
    public string EngineName { get; init; } = "";
    public string Title { get; init; } = "";
    public bool IsActive { get; set; }
}

public sealed class SimCostCode
{
    public long Id { get; init; }
    public long ProjectId { get; init; }
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public long? ParentId { get; set; }
    public string? OriginId { get; set; }
    public long SegmentItemId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

public sealed class SimLineItemType
{
    public long Id { get; init; }
    public long CompanyId { get; init; }
    public string Name { get; set; } = "";
    public string Code { get; set; } = "";
    public string BaseType { get; set; } = "other";
    public string? OriginId { get; set; }
    public long SegmentItemId { get; init; }
}

public sealed class SimWbsCode
{
    public long Id { get; init; }
    public long ProjectId { get; init; }
    public long CostCodeId { get; init; }
    public long LineItemTypeId { get; init; }
    public string Description { get; set; } = "";
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>An authorization code: the user it signs in and the redirect URI it is good for, until it expires.</summary>
public sealed record SimAuthorizationCode(long UserId, string RedirectUri, DateTimeOffset ExpiresAt);

public sealed class SimBudgetLine
{
    public const string Manual = "manual";
    public const string Automatic = "automatic";

    public long Id { get; init; }
    public long ProjectId { get; init; }
    public long WbsCodeId { get; set; }

    /// <summary>The original budget amount as entered; under <see cref="Automatic"/> Procore shows quantity × unit cost instead.</summary>
    public decimal EnteredAmount { get; set; }

    /// <summary><c>manual</c>: the original budget amount is as entered; <c>automatic</c>: quantity × unit cost.</summary>
    public string CalculationStrategy { get; set; } = Manual;
    public decimal Quantity { get; set; }
    public decimal UnitCost { get; set; }

    /// <summary>What Procore adds on top of the original budget, shown beside it in budget views.</summary>
    public decimal BudgetModifications { get; set; }
    public decimal ApprovedBudgetChanges { get; set; }

    /// <summary>The original budget amount as Procore shows it.</summary>
    public decimal Amount
    {
        get => CalculationStrategy == Automatic ? Quantity * UnitCost : EnteredAmount;
        set => EnteredAmount = value;
    }
}

public sealed class SimErpRequest
{
    public long Id { get; init; }
    public long CompanyId { get; init; }
    public string RequestName { get; init; } = "";
    public long? RequestDetailId { get; init; }
    public JsonElement? RequestData { get; init; }
}

public sealed class SimErpRequestDetail
{
    public long Id { get; init; }
    public string Status { get; set; } = "in progress";
    public List<string> Messages { get; set; } = [];
}

/// <summary>
/// Everything the simulated Procore holds. Every read and write goes through <see cref="Read{T}"/> or
/// <see cref="Write{T}"/>, which serialise access, so that concurrent calls see a consistent state.
/// </summary>
public sealed class ProcoreState
{
    private readonly Lock gate = new();
    private readonly TimeProvider time;
    private ProcoreSeed seed;
    private long nextId;
    private readonly Dictionary<(long Project, long CostCode, long Type), SimWbsCode> wbsByKey = [];
    private readonly Dictionary<long, SimCostCode> costCodeById = [];

    public ProcoreState(ProcoreSeed seed, TimeProvider time)
    {
        this.seed = seed;
        this.time = time;
        Load(seed);
    }

    public ProcoreSeed Seed => seed;
    public Dictionary<long, string> Companies { get; } = [];
    public Dictionary<long, SimUser> Users { get; } = [];
    public Dictionary<string, SimToken> Tokens { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, SimAuthorizationCode> AuthorizationCodes { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, long> RefreshTokens { get; } = new(StringComparer.Ordinal);
    public List<SimProject> Projects { get; } = [];
    public List<SimCostCode> CostCodes { get; } = [];
    public List<SimLineItemType> LineItemTypes { get; } = [];
    public List<SimWbsCode> WbsCodes { get; } = [];
    public List<SimBudgetLine> BudgetLines { get; } = [];
    public List<SimErpRequest> ErpRequests { get; } = [];
    public List<SimErpRequestDetail> ErpRequestDetails { get; } = [];
    public BudgetSyncShape BudgetSyncResponse { get; set; }
    public int TokensIssued { get; set; }
    public int RevokedTokens { get; set; }

    public DateTimeOffset Now => time.GetUtcNow();

    public T Read<T>(Func<ProcoreState, T> read)
    {
        lock (gate)
        {
            return read(this);
        }
    }

    public T Write<T>(Func<ProcoreState, T> write)
    {
        lock (gate)
        {
            return write(this);
        }
    }

    public void Write(Action<ProcoreState> write)
    {
        lock (gate)
        {
            write(this);
        }
    }

    public long NewId() => ++nextId;

    public void Reset(ProcoreSeed? replacement = null)
    {
        lock (gate)
        {
            seed = replacement ?? seed;
            Load(seed);
        }
    }

    public string FullCode(SimCostCode code) =>
        code.ParentId is { } parentId && costCodeById.GetValueOrDefault(parentId) is { } parent
            ? FullCode(parent) + "-" + code.Code
            : code.Code;

    public string FlatCode(SimWbsCode wbs) =>
        FullCode(costCodeById[wbs.CostCodeId]) + "." + LineItemTypes.Single(t => t.Id == wbs.LineItemTypeId).Code;

    public SimCostCode AddCostCode(long projectId, string code, string name, long? parentId, string? originId)
    {
        var costCode = new SimCostCode
        {
            Id = NewId(), ProjectId = projectId, Code = code, Name = name, ParentId = parentId, OriginId = originId,
            SegmentItemId = NewId(), CreatedAt = Now,
        };
        CostCodes.Add(costCode);
        costCodeById[costCode.Id] = costCode;
        return costCode;
    }

    public SimLineItemType AddLineItemType(long companyId, string name, string code, string baseType, string? originId, long? id = null)
    {
        var type = new SimLineItemType
        {
            Id = id ?? NewId(), CompanyId = companyId, Name = name, Code = code, BaseType = baseType, OriginId = originId,
            SegmentItemId = NewId(),
        };
        LineItemTypes.Add(type);
        return type;
    }

    /// <summary>The budget code of a cost code × cost type, made if the project has none; looked up by key, as a database would.</summary>
    public SimWbsCode EnsureWbsCode(long projectId, long costCodeId, long lineItemTypeId, string? description = null)
    {
        if (wbsByKey.TryGetValue((projectId, costCodeId, lineItemTypeId), out var existing))
        {
            existing.Description = description ?? existing.Description;
            return existing;
        }

        var costCode = costCodeById[costCodeId];
        var type = LineItemTypes.Single(t => t.Id == lineItemTypeId);
        var wbs = new SimWbsCode
        {
            Id = NewId(), ProjectId = projectId, CostCodeId = costCodeId, LineItemTypeId = lineItemTypeId,
            Description = description ?? $"{costCode.Name} - {type.Name}", CreatedAt = Now,
        };
        WbsCodes.Add(wbs);
        wbsByKey[(projectId, costCodeId, lineItemTypeId)] = wbs;
        return wbs;
    }

    public SimCostCode? FindCostCode(long projectId, string fullCode) =>
        CostCodes.FirstOrDefault(c => c.ProjectId == projectId && FullCode(c) == fullCode);

    private void Load(ProcoreSeed source)
    {
        nextId = 5_000_000_000;
        BudgetSyncResponse = source.BudgetSyncResponse;
        TokensIssued = 0;
        RevokedTokens = 0;
        foreach (var list in new System.Collections.IList[]
                 {
                     Projects, CostCodes, LineItemTypes, WbsCodes, BudgetLines, ErpRequests, ErpRequestDetails,
                 })
        {
            list.Clear();
        }

        wbsByKey.Clear();
        costCodeById.Clear();
        Companies.Clear();
        Users.Clear();
        Tokens.Clear();
        AuthorizationCodes.Clear();
        RefreshTokens.Clear();

        foreach (var company in source.Companies)
        {
            Companies[company.Id] = company.Name;
        }

        foreach (var user in source.Users)
        {
            Users[user.Id] = new SimUser
            {
                Id = user.Id, Login = user.Login, Name = user.Name, Companies = [.. user.Companies],
                Tools = new Dictionary<string, string>(user.Tools, StringComparer.OrdinalIgnoreCase),
            };
            if (user.AccessToken is { } token)
            {
                Tokens[token] = new SimToken { Value = token, UserId = user.Id };
            }
        }

        foreach (var client in source.Clients)
        {
            Users[client.UserId].IsServiceAccount = true;
        }

        foreach (var type in source.LineItemTypes)
        {
            AddLineItemType(type.CompanyId, type.Name, type.Code, type.BaseType, type.OriginId, type.Id);
        }

        foreach (var project in source.Projects)
        {
            LoadProject(project);
        }

        foreach (var request in source.ErpRequests)
        {
            AddErpRequest(request.CompanyId, request.RequestName, request.RequestData, request.Id, request.RequestDetailId);
        }
    }

    public SimErpRequest AddErpRequest(long companyId, string name, JsonElement? data, long? id = null, long? detailId = null)
    {
        var detail = new SimErpRequestDetail { Id = detailId ?? NewId() };
        ErpRequestDetails.Add(detail);
        var request = new SimErpRequest
        {
            Id = id ?? NewId(), CompanyId = companyId, RequestName = name, RequestDetailId = detail.Id, RequestData = data,
        };
        ErpRequests.Add(request);
        return request;
    }

    /// <summary>Adds a project as a seed would describe it (inside <see cref="Write{T}"/>, like every change).</summary>
    public SimProject AddProject(SeedProject source) => LoadProject(source);

    private SimProject LoadProject(SeedProject source)
    {
        var project = new SimProject
        {
            Id = source.Id, CompanyId = source.CompanyId, Name = source.Name, ProjectNumber = source.ProjectNumber,
            OriginId = source.OriginId, Active = source.Active, BudgetLocked = source.BudgetLocked, IsErpIntegrated = source.IsErpIntegrated,
            Tools = [.. source.Tools.Select(t => new SimTool { Id = NewId(), EngineName = t.EngineName, Title = t.Title, IsActive = t.IsActive })],
            BudgetViews = [.. source.BudgetViews.Select(v => (NewId(), v))],
            CostCodeSegmentId = NewId(), CostTypeSegmentId = NewId(), WbsPatternId = NewId(), CreatedAt = Now,
        };
        Projects.Add(project);

        foreach (var division in source.CostCodes)
        {
            var parent = AddCostCode(project.Id, division.Code, division.Name, null, division.OriginId);
            foreach (var child in division.Children)
            {
                AddCostCode(project.Id, child.Code, child.Name, parent.Id, child.OriginId);
            }
        }

        foreach (var code in source.BudgetCodes)
        {
            EnsureSeedBudgetCode(project, code.CostCode, code.CostType);
        }

        foreach (var line in source.BudgetLines)
        {
            var wbs = EnsureSeedBudgetCode(project, line.CostCode, line.CostType);
            BudgetLines.Add(new SimBudgetLine { Id = NewId(), ProjectId = project.Id, WbsCodeId = wbs.Id, Amount = line.Amount });
        }

        return project;
    }

    private SimWbsCode EnsureSeedBudgetCode(SimProject project, string fullCode, string costType)
    {
        var costCode = FindCostCode(project.Id, fullCode)
            ?? throw new InvalidDataException($"Seed project {project.Id} has no cost code {fullCode}.");
        var type = LineItemTypes.FirstOrDefault(t => t.CompanyId == project.CompanyId && t.Code == costType)
            ?? throw new InvalidDataException($"Seed company {project.CompanyId} has no cost type {costType}.");
        return EnsureWbsCode(project.Id, costCode.Id, type.Id);
    }
}
