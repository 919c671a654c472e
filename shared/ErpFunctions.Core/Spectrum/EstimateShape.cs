using System.Globalization;

namespace ErpFunctions.Spectrum;

/// <summary>
/// How many rows a job's estimate had per cost type, for open (active and inactive) and completed phases, as last
/// read: what lets the next read ask for the cost types in as few calls as the row cap allows, all at once. Kept as
/// text (<c>open:C01=400,C02=400;completed:</c>) beside the job's other figures.
/// </summary>
public sealed record EstimateShape(IReadOnlyDictionary<string, int> Open, IReadOnlyDictionary<string, int> Completed)
{
    public static EstimateShape Empty { get; } = new(new Dictionary<string, int>(), new Dictionary<string, int>());

    /// <summary>The rows per cost type of one status call (blank: open; <c>C</c>: completed).</summary>
    public IReadOnlyDictionary<string, int> Of(string status) => status == "C" ? Completed : Open;

    public string ToText() => $"open:{Text(Open)};completed:{Text(Completed)}";

    /// <summary>The shape a text holds; null for text that is none (an old or damaged value is simply no help).</summary>
    public static EstimateShape? Parse(string? text)
    {
        var parts = text?.Split(';');
        if (parts is not [var open, var completed] || !open.StartsWith("open:") || !completed.StartsWith("completed:"))
        {
            return null;
        }

        var rows = new[] { Counts(open["open:".Length..]), Counts(completed["completed:".Length..]) };
        return rows.Any(r => r is null) ? null : new EstimateShape(rows[0]!, rows[1]!);
    }

    private static string Text(IReadOnlyDictionary<string, int> rows) =>
        string.Join(',', rows.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}={r.Value.ToString(CultureInfo.InvariantCulture)}"));

    private static Dictionary<string, int>? Counts(string text)
    {
        var counts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.LastIndexOf('=');
            if (equals <= 0 || !int.TryParse(pair[(equals + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                return null;
            }

            counts[pair[..equals]] = count;
        }

        return counts;
    }
}

/// <summary>
/// What a read may know before it starts: the job's shape from its last read, and the names of the company's cost
/// types (Procore's line item types, which arrive while the first answer is read). Only how the calls are cut depends
/// on them; what counts as read completely does not.
/// </summary>
public sealed record EstimateHints(EstimateShape? Shape, Task<IReadOnlyCollection<string>>? CostTypes)
{
    public static EstimateHints None { get; } = new(null, null);
}
