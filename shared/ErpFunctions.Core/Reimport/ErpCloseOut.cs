using ErpFunctions.Companies;
using ErpFunctions.Diagnostics;
using ErpFunctions.Domain.Runs;
using ErpFunctions.Procore;
using ErpFunctions.Runs;
using Microsoft.Extensions.Logging;

namespace ErpFunctions.Reimport;

/// <summary>Tells Procore's ERP tool how the run each of its requests asked for ended: once, even if the message comes again.</summary>
public sealed partial class ErpCloseOut(ICompanies companies, IProcoreErpRequests erpRequests, RunStore runs, ILogger<ErpCloseOut> logger)
{
    public async Task CloseOutAsync(RunRecord? run, CancellationToken cancellationToken)
    {
        if (run is not { ErpRequestDetailIds.Count: > 0, ErpClosedOut: false } || !run.Status.IsFinished())
        {
            return;
        }

        if (companies.Find(run.Company) is not { } company)
        {
            // The company's settings were removed: there is no Procore company to tell.
            LogUnknownCompany(run.RunId, run.Company);
            return;
        }

        var calls = CallContext.For(company);
        var outcome = run.Status is RunStatus.Succeeded ? ErpRequestOutcome.Success : ErpRequestOutcome.Failed;
        IReadOnlyList<string> messages = [run.StatusText, .. run.Messages.Where(m => m != run.StatusText), .. run.Error is { } e ? [e] : Array.Empty<string>()];
        foreach (var detail in run.ErpRequestDetailIds)
        {
            await erpRequests.CloseErpRequestDetailAsync(calls, detail, outcome, messages, cancellationToken);
            LogClosedOut(detail, run.RunId, outcome);
        }

        await runs.ChangeAsync(run.RunId, r => r with { ErpClosedOut = true }, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} is of company {Company}, which this deployment no longer serves; its ERP requests are not closed out")]
    private partial void LogUnknownCompany(string runId, string company);

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed out ERP request detail {DetailId} for run {RunId}: {Outcome}")]
    private partial void LogClosedOut(long detailId, string runId, ErpRequestOutcome outcome);
}
