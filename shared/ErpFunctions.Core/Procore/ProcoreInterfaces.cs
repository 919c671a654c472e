using ErpFunctions.Diagnostics;
using ErpFunctions.Domain.Prerequisites;

namespace ErpFunctions.Procore;

/// <summary>Projects, their tools and their budget lock: what decides whether a re-import may run.</summary>
public interface IProcoreProjects
{
    /// <summary>The project, or null when Procore does not show it (404, also when it cannot be seen).</summary>
    Task<ProcoreProject?> FindProjectAsync(CallContext calls, long projectId, CancellationToken cancellationToken);

    Task<IReadOnlyList<ProcoreProject>> FindProjectsByOriginIdAsync(CallContext calls, string originId, CancellationToken cancellationToken);

    /// <summary>Every project of the company (paged), e.g. to discover which are linked to Spectrum jobs.</summary>
    Task<IReadOnlyList<ProcoreProject>> ListProjectsAsync(CallContext calls, CancellationToken cancellationToken);

    Task<IReadOnlyList<ProcoreTool>> ListActiveToolsAsync(CallContext calls, long projectId, CancellationToken cancellationToken);

    /// <summary>The Budget tool (<c>Procore:BudgetToolName</c>) is among the project's active tools.</summary>
    Task<bool> IsBudgetToolActiveAsync(CallContext calls, long projectId, CancellationToken cancellationToken);

    Task<bool> IsBudgetLockedAsync(CallContext calls, long projectId, CancellationToken cancellationToken);
}

/// <summary>
/// Cost codes, cost types (line item types) and budget codes (WBS codes): what budget lines are keyed by. Used inside
/// this folder by the project budget; the rest of the app goes through <see cref="IProjectBudget"/>.
/// </summary>
public interface IProcoreCostStructure
{
    Task<IReadOnlyList<ProcoreCostCode>> ListCostCodesAsync(CallContext calls, long projectId, CancellationToken cancellationToken);

    Task<IReadOnlyList<ProcoreLineItemType>> ListLineItemTypesAsync(CallContext calls, long projectId, CancellationToken cancellationToken);

    Task<IReadOnlyList<ProcoreWbsCode>> ListWbsCodesAsync(CallContext calls, long projectId, CancellationToken cancellationToken);

    Task<IReadOnlyList<ProcoreWbsSegment>> ListWbsSegmentsAsync(CallContext calls, long projectId, CancellationToken cancellationToken);

    Task<IReadOnlyList<ProcoreSegmentItem>> ListSegmentItemsAsync(CallContext calls, long projectId, long segmentId, CancellationToken cancellationToken);

    Task<SyncResult<ProcoreCostCode>> SyncCostCodesAsync(CallContext calls, long projectId, IReadOnlyList<CostCodeUpdate> updates, CancellationToken cancellationToken);

    Task<SyncResult<ProcoreLineItemType>> SyncLineItemTypesAsync(CallContext calls, IReadOnlyList<LineItemTypeUpdate> updates, CancellationToken cancellationToken);

    Task<SyncResult<ProcoreWbsCode>> BulkCreateWbsCodesAsync(CallContext calls, long projectId, IReadOnlyList<WbsCodeCreate> codes, CancellationToken cancellationToken);
}

/// <summary>The budget endpoints: views, their rows, and the line sync. Used inside this folder by the project budget.</summary>
public interface IProcoreBudget
{
    Task<IReadOnlyList<ProcoreBudgetView>> ListBudgetViewsAsync(CallContext calls, long projectId, CancellationToken cancellationToken);

    Task<IReadOnlyList<ProcoreBudgetRow>> ListDetailRowsAsync(CallContext calls, long projectId, long budgetViewId, CancellationToken cancellationToken);

    /// <summary>Creates and updates lines through the sync endpoint, at most <c>SyncBatchSize</c> per call.</summary>
    Task<SyncResult<ProcoreBudgetLineItem>> SyncBudgetLineItemsAsync(CallContext calls, long projectId, IReadOnlyList<BudgetLineWrite> lines, CancellationToken cancellationToken);
}

/// <summary>Who an operator is, and what they may do, asked with the operator's own token.</summary>
public interface IProcoreOperators
{
    Task<ProcoreUser> GetMeAsync(CallContext calls, string operatorToken, CancellationToken cancellationToken);

    /// <summary>The operator's access level on the company's ERP Integrations tool.</summary>
    Task<AccessLevel> GetErpToolAccessAsync(CallContext calls, string operatorToken, CancellationToken cancellationToken);

    Task<IReadOnlyList<ProcoreToolPermission>> GetCompanyToolPermissionsAsync(CallContext calls, string operatorToken, CancellationToken cancellationToken);
}

/// <summary>The ERP platform's requests (paths from Procore's 2022 ERP guide, configurable).</summary>
public interface IProcoreErpRequests
{
    Task<ErpRequest> GetErpRequestAsync(CallContext calls, long requestId, CancellationToken cancellationToken);

    Task CloseErpRequestDetailAsync(CallContext calls, long requestDetailId, ErpRequestOutcome outcome, IReadOnlyList<string> messages, CancellationToken cancellationToken);
}
