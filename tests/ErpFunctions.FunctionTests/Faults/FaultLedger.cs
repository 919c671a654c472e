using System.Collections.Concurrent;
using System.Text;
using ErpFunctions.TestSupport;

namespace ErpFunctions.FunctionTests.Faults;

/// <summary>What one fault scenario threw at the pipeline and what became of every request.</summary>
/// <param name="Injected">How many times the fault happened, counted from the simulators' and queue's own records.</param>
/// <param name="Requests">Re-import requests made (HTTP calls, webhook deliveries, message deliveries).</param>
/// <param name="Runs">Distinct runs those requests were accounted for by.</param>
/// <param name="Finished">Runs that reached a final status.</param>
/// <param name="Lost">Requests with no run, or runs that neither finished nor visibly wait.</param>
/// <param name="DuplicateLines">Budget lines beyond one per budget code.</param>
/// <param name="Untruthful">Runs whose status says something Procore's state or the plan contradicts.</param>
public sealed record FaultFigures(string Fault, int Injected, int Requests, int Runs, int Finished, int Lost, int DuplicateLines, int Untruthful);

/// <summary>
/// Collects every scenario's figures and, when the suite ends, writes them as the table the README's Reliability
/// section shows (to <c>ERPFUNCTIONS_RELIABILITY_DIR</c>, which the test script prints, else beside the tests).
/// </summary>
public sealed class FaultLedger : IDisposable
{
    private readonly ConcurrentQueue<FaultFigures> figures = new();

    public void Record(FaultFigures entry) => figures.Enqueue(entry);

    public void Dispose()
    {
        var all = figures.OrderBy(f => f.Fault, StringComparer.Ordinal).ToList();
        var text = new StringBuilder()
            .AppendLine("### Fault suite")
            .AppendLine()
            .AppendLine("| Fault | Injected | Requests | Runs | Finished | Lost runs | Duplicate lines | Untruthful statuses |")
            .AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var f in all)
        {
            text.AppendLine($"| {f.Fault} | {f.Injected} | {f.Requests} | {f.Runs} | {f.Finished} | {f.Lost} | {f.DuplicateLines} | {f.Untruthful} |");
        }

        text.AppendLine($"| **{all.Count} scenarios** | **{all.Sum(f => f.Injected)}** | **{all.Sum(f => f.Requests)}** | **{all.Sum(f => f.Runs)}** "
            + $"| **{all.Sum(f => f.Finished)}** | **{all.Sum(f => f.Lost)}** | **{all.Sum(f => f.DuplicateLines)}** | **{all.Sum(f => f.Untruthful)}** |");
        ReliabilityReport.Write("fault-suite.md", text.ToString());
    }
}

[CollectionDefinition(Name)]
public sealed class FaultSuiteCollection : ICollectionFixture<FaultLedger>
{
    public const string Name = "Fault suite";
}
