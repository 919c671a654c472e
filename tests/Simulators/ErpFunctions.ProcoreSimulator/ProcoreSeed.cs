using System.Text.Json;
using System.Text.Json.Serialization;

namespace ErpFunctions.Simulators.Procore;

/// <summary>
/// The simulator's starting state, loaded from JSON (see the simulators' README): companies, OAuth clients, users with
/// their tool access levels, company cost types, and projects with their tools, budget lock, cost codes, budget codes
/// and budget lines. Ids not given are assigned from 5,000,000,000 up, so that 32-bit ids would break.
/// </summary>
public sealed class ProcoreSeed
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public List<SeedCompany> Companies { get; set; } = [];
    public List<SeedClient> Clients { get; set; } = [];
    public List<SeedUser> Users { get; set; } = [];

    /// <summary>The user whose email <c>/oauth/authorize</c>'s sign-in page fills in (the demo signs in with one click).</summary>
    public long? DemoUserId { get; set; }

    public int TokenLifetimeSeconds { get; set; } = 5400;
    public SeedRateLimits RateLimits { get; set; } = new();

    /// <summary><c>per_page</c> when none is given, and the most a page holds.</summary>
    public int DefaultPerPage { get; set; } = 100;
    public int MaxPerPage { get; set; } = 2000;

    /// <summary><c>Array</c> as in the published schema of budget line items sync, or <c>Envelope</c> (<c>{entities, errors}</c>).</summary>
    public BudgetSyncShape BudgetSyncResponse { get; set; } = BudgetSyncShape.Array;

    public List<SeedLineItemType> LineItemTypes { get; set; } = [];
    public List<SeedProject> Projects { get; set; } = [];
    public List<SeedErpRequest> ErpRequests { get; set; } = [];

    public static ProcoreSeed Load(string path) =>
        JsonSerializer.Deserialize<ProcoreSeed>(File.ReadAllText(path), Json)
        ?? throw new InvalidDataException($"{path} holds no Procore seed.");

    public static ProcoreSeed LoadDefault() => Load(Path.Combine(AppContext.BaseDirectory, "seed", "procore-seed.json"));

    public ProcoreSeed Clone() => JsonSerializer.Deserialize<ProcoreSeed>(JsonSerializer.Serialize(this, Json), Json)!;
}

public enum BudgetSyncShape
{
    Array,
    Envelope,
}

public sealed class SeedCompany
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
}

public sealed class SeedClient
{
    public string ClientId { get; set; } = "";
    public string ClientSecret { get; set; } = "";

    /// <summary>The service account (a user) the client's tokens act as.</summary>
    public long UserId { get; set; }
}

public sealed class SeedUser
{
    public long Id { get; set; }
    public string Login { get; set; } = "";
    public string Name { get; set; } = "";

    /// <summary>A token that never expires, for tests and the demo <c>curl</c>.</summary>
    public string? AccessToken { get; set; }

    /// <summary>Company ids the user belongs to.</summary>
    public List<long> Companies { get; set; } = [];

    /// <summary>Access level per company tool name: <c>None</c>, <c>Read Only</c>, <c>Standard</c> or <c>Admin</c>.</summary>
    public Dictionary<string, string> Tools { get; set; } = [];
}

public sealed class SeedRateLimits
{
    public int Hourly { get; set; } = 3600;
    public int Spike { get; set; } = 1000;
    public int SpikeWindowSeconds { get; set; } = 10;
}

public sealed class SeedLineItemType
{
    public long? Id { get; set; }
    public long CompanyId { get; set; }
    public string Name { get; set; } = "";
    public string Code { get; set; } = "";
    public string BaseType { get; set; } = "other";
    public string? OriginId { get; set; }
}

public sealed class SeedProject
{
    public long Id { get; set; }
    public long CompanyId { get; set; }
    public string Name { get; set; } = "";
    public string? ProjectNumber { get; set; }
    public string? OriginId { get; set; }
    public bool Active { get; set; } = true;
    public bool BudgetLocked { get; set; }

    /// <summary>Procore's <c>is_erp_integrated</c>: the project's cost codes belong to Procore's own ERP integration.</summary>
    public bool IsErpIntegrated { get; set; }

    /// <summary>Tools by engine name; the Budget tool is <c>budget</c>.</summary>
    public List<SeedTool> Tools { get; set; } = [];

    public List<string> BudgetViews { get; set; } = ["Procore Standard Budget"];

    /// <summary>Divisions with their cost codes; a code's full code is <c>division-code</c>.</summary>
    public List<SeedCostCode> CostCodes { get; set; } = [];

    /// <summary>Budget codes that exist, as full cost code and cost type code.</summary>
    public List<SeedBudgetCode> BudgetCodes { get; set; } = [];

    /// <summary>Budget lines (their budget codes are created when missing).</summary>
    public List<SeedBudgetLine> BudgetLines { get; set; } = [];
}

public sealed class SeedTool
{
    public string EngineName { get; set; } = "";
    public string Title { get; set; } = "";
    public bool IsActive { get; set; } = true;
}

public sealed class SeedCostCode
{
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public string? OriginId { get; set; }
    public List<SeedCostCode> Children { get; set; } = [];
}

public sealed class SeedBudgetCode
{
    public string CostCode { get; set; } = "";
    public string CostType { get; set; } = "";
}

public sealed class SeedBudgetLine
{
    public string CostCode { get; set; } = "";
    public string CostType { get; set; } = "";
    public decimal Amount { get; set; }
}

public sealed class SeedErpRequest
{
    public long Id { get; set; }
    public long CompanyId { get; set; }
    public string RequestName { get; set; } = "";
    public long? RequestDetailId { get; set; }
    public JsonElement? RequestData { get; set; }
}
