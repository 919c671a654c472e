using ErpFunctions.Budgets;
using ErpFunctions.Diagnostics;
using ErpFunctions.Domain.Companies;
using ErpFunctions.Domain.Jobs;
using ErpFunctions.Domain.Prerequisites;
using ErpFunctions.Links;
using ErpFunctions.Procore;

namespace ErpFunctions.Overview;

public abstract record BudgetListOutcome
{
    /// <param name="Preflight">The background check of every linked job's totals, when one is under way or has run.</param>
    public sealed record Listed(BudgetFilter Filter, IReadOnlyList<ListedBudget> Items, string? NextPageToken, PreflightState? Preflight)
        : BudgetListOutcome;

    /// <summary>A query parameter is not one the list understands; <see cref="Field"/> names it.</summary>
    public sealed record Invalid(string Field, string Detail) : BudgetListOutcome;
}

/// <summary>
/// The operator's budgets list, Procore's "ERP Integrations › Budgets" tab: every Spectrum job of the company from the
/// first call (the job catalog, read again once it is older than <c>Budgets:CatalogMaxAge</c>), linked ones with their
/// project and totals, the others with why they are not linked; the viewer's own permission laid over each job's
/// availability. Jobs whose totals were never worked out start a preflight in the background, within the call budgets;
/// the list itself reads snapshots from Table Storage.
/// </summary>
public sealed class BudgetList(
    BudgetEntries entries,
    JobCatalog catalog,
    Preflights preflights,
    IProjectBudget procore)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public async Task<BudgetListOutcome> ListAsync(Company company, BudgetQuery query, AccessLevel viewer, string correlationId,
        CancellationToken cancellationToken)
    {
        var filterText = string.IsNullOrEmpty(query.Filter) ? nameof(BudgetFilter.All) : query.Filter;
        if (!Enum.TryParse<BudgetFilter>(filterText, ignoreCase: true, out var filter) || filterText.Any(char.IsDigit))
        {
            return new BudgetListOutcome.Invalid("filter", $"filter is '{filterText}'; use synced, ready, notlinked or all.");
        }

        var includeCompleted = false;
        if (!string.IsNullOrEmpty(query.IncludeCompleted) && !bool.TryParse(query.IncludeCompleted, out includeCompleted))
        {
            return new BudgetListOutcome.Invalid("includeCompleted", "includeCompleted must be true or false.");
        }

        var pageSize = DefaultPageSize;
        if (!string.IsNullOrEmpty(query.PageSize) && (!int.TryParse(query.PageSize, out pageSize) || pageSize is < 1 or > MaxPageSize))
        {
            return new BudgetListOutcome.Invalid("pageSize", $"pageSize must be a whole number from 1 to {MaxPageSize}.");
        }

        JobNumber? afterJob = null;
        if (!string.IsNullOrEmpty(query.PageToken) && !PageTokens.TryDecode(query.PageToken, filter, out afterJob))
        {
            return new BudgetListOutcome.Invalid("pageToken",
                "pageToken is not one this list handed out for this filter; start again without it.");
        }

        await catalog.EnsureFreshAsync(CallContext.For(company), cancellationToken);
        var preflight = await preflights.StartForUncheckedAsync(company, correlationId, cancellationToken);
        var page = await entries.ListAsync(company.Code, filter, includeCompleted, pageSize, afterJob?.Value, cancellationToken);
        return new BudgetListOutcome.Listed(filter,
            [.. page.Entries.Select(e => ListedBudget.For(e, e.ProjectId is { } id ? procore.BudgetPageUrl(id) : null, viewer))],
            PageTokens.Encode(filter, page.LastJob), preflight);
    }
}

/// <summary>The list's query parameters as they were sent.</summary>
public sealed record BudgetQuery(string? Filter, string? IncludeCompleted, string? PageSize, string? PageToken);
