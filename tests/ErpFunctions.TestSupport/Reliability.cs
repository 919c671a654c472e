using System.Collections.Concurrent;
using System.Text;

namespace ErpFunctions.TestSupport;

/// <summary>Where the suites' figures go: a folder the test script prints at the end, else the test output folder.</summary>
public static class ReliabilityReport
{
    public static void Write(string fileName, string markdown)
    {
        var folder = Environment.GetEnvironmentVariable("ERPFUNCTIONS_RELIABILITY_DIR") is { Length: > 0 } dir ? dir : AppContext.BaseDirectory;
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, fileName), markdown);
    }
}

/// <summary>What each bad input got, by where it was sent: written as a table of outcomes when its suite ends.</summary>
public sealed class CorpusLedger
{
    private readonly ConcurrentQueue<(string Target, string Outcome)> outcomes = new();

    public void Record(string target, int status) => Record(target, status.ToString());

    public void Record(string target, string outcome) => outcomes.Enqueue((target, outcome));

    public void Write(string title)
    {
        var all = outcomes.ToList();
        var text = new StringBuilder().AppendLine($"### Bad inputs: {title}").AppendLine()
            .AppendLine("| Sent to | Cases | Outcomes |").AppendLine("|---|---:|---|");
        foreach (var target in all.GroupBy(o => o.Target).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var counts = target.GroupBy(o => o.Outcome).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} × {g.Count()}");
            text.AppendLine($"| {target.Key} | {target.Count()} | {string.Join(", ", counts)} |");
        }

        text.AppendLine($"| **all** | **{all.Count}** | 5xx × {all.Count(o => o.Outcome.StartsWith('5'))} |");
        ReliabilityReport.Write($"bad-inputs-{new string([.. title.ToLowerInvariant().Where(char.IsLetterOrDigit)])}.md", text.ToString());
    }
}
