using ErpFunctions.Domain.Jobs;
using ErpFunctions.Procore;
using ErpFunctions.Spectrum;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Budgets;

/// <summary>One job of the budgets list, with where its budget is in Procore.</summary>
public sealed record ListedBudget(BudgetEntry Entry, string? BudgetUrl);

public abstract record BudgetListOutcome
{
    public sealed record Listed(BudgetFilter Filter, IReadOnlyList<ListedBudget> Items, string? NextPageToken) : BudgetListOutcome;

    /// <summary>A query parameter is not one the list understands; <see cref="Field"/> names it.</summary>
    public sealed record Invalid(string Field, string Detail) : BudgetListOutcome;
}

/// <summary>
/// The operator's budgets list: a page of the jobs' snapshots from Table Storage, filtered by whether they were
/// imported. It costs no Procore or Spectrum call.
/// </summary>
public sealed class BudgetList(BudgetEntries entries, IProjectBudget procore, IOptions<SpectrumOptions> spectrum)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public async Task<BudgetListOutcome> ListAsync(string? filterText, string? pageSizeText, string? pageToken,
        CancellationToken cancellationToken)
    {
        filterText = string.IsNullOrEmpty(filterText) ? nameof(BudgetFilter.All) : filterText;
        if (!Enum.TryParse<BudgetFilter>(filterText, ignoreCase: true, out var filter) || filterText.Any(char.IsDigit))
        {
            return new BudgetListOutcome.Invalid("filter", $"filter is '{filterText}'; use synced, ready or all.");
        }

        var pageSize = DefaultPageSize;
        if (!string.IsNullOrEmpty(pageSizeText) && (!int.TryParse(pageSizeText, out pageSize) || pageSize is < 1 or > MaxPageSize))
        {
            return new BudgetListOutcome.Invalid("pageSize", $"pageSize must be a whole number from 1 to {MaxPageSize}.");
        }

        JobNumber? afterJob = null;
        if (!string.IsNullOrEmpty(pageToken) && !PageTokens.TryDecode(pageToken, filter, out afterJob))
        {
            return new BudgetListOutcome.Invalid("pageToken",
                "pageToken is not one this list handed out for this filter; start again without it.");
        }

        var page = await entries.ListAsync(spectrum.Value.CompanyCode, filter, pageSize, afterJob?.Value, cancellationToken);
        return new BudgetListOutcome.Listed(filter,
            [.. page.Entries.Select(e => new ListedBudget(e, e.ProjectId is { } id ? procore.BudgetPageUrl(id) : null))],
            PageTokens.Encode(filter, page.LastJob));
    }
}
