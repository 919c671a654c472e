using ErpFunctions.Domain.Prerequisites;

namespace ErpFunctions.Procore;

public sealed record ProcoreProject(
    long Id,
    string Name,
    string? ProjectNumber,
    string? OriginId,
    bool? Active,
    bool? IsErpIntegrated);

public sealed record ProcoreTool(long Id, string? EngineName, string? Title, bool IsActive);

public sealed record ProcoreCostCode(
    long Id,
    string Code,
    string? Name,
    string? FullCode,
    string? OriginId,
    ProcoreReference? Parent);

public sealed record ProcoreReference(long Id);

public sealed record ProcoreLineItemType(long Id, string? Name, string? Code, string? BaseType, string? OriginId);

/// <summary>A WBS segment of the project's pattern, e.g. the cost code segment or the cost type segment.</summary>
public sealed record ProcoreWbsSegment(long Id, string Type, string? Name);

public sealed record ProcoreSegmentItem(long Id, string? Code, string? Name, string? PathCode, ProcoreSegmentRef? Segment);

public sealed record ProcoreSegmentRef(long Id, string? Type);

/// <summary>A budget code: one cost code × one cost type (line item type).</summary>
public sealed record ProcoreWbsCode(
    long Id,
    string? FlatCode,
    string? Description,
    string? Status,
    IReadOnlyList<ProcoreSegmentItem>? SegmentItems);

public sealed record ProcoreBudgetView(long Id, string? Name);

/// <summary>
/// A budget view detail row: one budget line item (<see cref="Id"/>) with its budget code and amount, and what Procore
/// adds to that amount: budget modifications, and approved budget changes where the view shows that column.
/// </summary>
public sealed record ProcoreBudgetRow(
    long? Id,
    long? WbsCodeId,
    long? CostCodeId,
    string? CostCode,
    string? CostCodeOriginId,
    long? CategoryId,
    string? Category,
    decimal OriginalBudgetAmount,
    bool? Deletable,
    decimal BudgetModifications = 0m,
    decimal ApprovedBudgetChanges = 0m)
{
    public decimal BudgetChanges => BudgetModifications + ApprovedBudgetChanges;
}

public sealed record ProcoreBudgetLineItem(long Id, decimal OriginalBudgetAmount, long? WbsCodeId);

public sealed record ProcoreUser(long Id, string? Login, string? Name);

public sealed record ProcoreToolPermission(string? Name, string? FriendlyName, AccessLevel AccessLevel);

/// <summary>
/// An ERP request from the ERP platform: what a user asked for in the ERP Integrations tool, with the job it names
/// (its text as Procore holds it) or else the project it is about.
/// </summary>
public sealed record ErpRequest(long Id, string? Name, long? DetailId, string? Job, long? ProjectId);

public enum ErpRequestOutcome
{
    Success,
    Failed,
}

/// <summary>Per-item outcome of a sync call: what Procore accepted, and what it refused and why.</summary>
public sealed record SyncResult<T>(IReadOnlyList<T> Entities, IReadOnlyList<SyncError> Errors)
{
    public static SyncResult<T> Empty { get; } = new([], []);

    public SyncResult<T> Merge(SyncResult<T> other) => new([.. Entities, .. other.Entities], [.. Errors, .. other.Errors]);
}

/// <summary>A refused sync item: its key (id, origin id or budget code) and Procore's messages.</summary>
public sealed record SyncError(long? Id, string? OriginId, long? WbsCodeId, string Message)
{
    public const string BudgetCodeExists = "This Budget Code already exists";

    public bool IsBudgetCodeAlreadyUsed => Message.Contains(BudgetCodeExists, StringComparison.OrdinalIgnoreCase);

    public bool IsBudgetLocked => Message.Contains("locked budget", StringComparison.OrdinalIgnoreCase);
}

public sealed record CostCodeUpdate(string Code, string Name, string? OriginId, long? ParentId);

public sealed record LineItemTypeUpdate(string Name, string Code, string BaseType, string? OriginId);

/// <summary>A budget code to create from the segment items of its cost code and cost type.</summary>
public sealed record WbsCodeCreate(string Description, IReadOnlyList<(long SegmentId, long SegmentItemId)> SegmentItems);

/// <summary>A budget line to write: with <see cref="Id"/> an update, without one a create for the budget code.</summary>
public sealed record BudgetLineWrite(long? Id, long WbsCodeId, decimal OriginalBudgetAmount);
