using ErpFunctions.Domain.Mapping;
using ErpFunctions.Domain.Planning;
using ErpFunctions.Domain.Prerequisites;

namespace ErpFunctions.Domain.Companies;

/// <summary>
/// One Spectrum company, the Procore company its jobs are imported into, and the re-import rules it chose. It travels
/// with every request, message, run and stored row: nothing is read or written for "the" company.
/// </summary>
/// <param name="Code">The Spectrum company code (at most 3 characters): the partition of everything stored for the company.</param>
public sealed record Company(string Code, long ProcoreCompanyId, ReimportRules Rules)
{
    public override string ToString() => Code;
}

/// <summary>The re-import's rules that are a company's choice.</summary>
/// <param name="BudgetLockedCheck">The job UDF that says the budget is finalized and locked in Spectrum; null: not verified.</param>
/// <param name="EstimatesPostedCheck">The job UDF that says the estimate entries are posted; null: not verified.</param>
/// <param name="LinkByProjectNumber">A job is also linked to the project whose project number equals it.</param>
/// <param name="BudgetViewName">The budget view whose rows are read; the project's first view when null.</param>
/// <param name="NewCostTypeBaseType">The base type of cost types created when the policy allows creating them.</param>
public sealed record ReimportRules(
    CodeMapping Mapping,
    PlanPolicy Policy,
    UdfCheck? BudgetLockedCheck,
    UdfCheck? EstimatesPostedCheck,
    bool LinkByProjectNumber,
    string? BudgetViewName,
    string NewCostTypeBaseType);
