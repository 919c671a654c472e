namespace ErpFunctions.Domain.Mapping;

/// <summary>A Procore cost code as the mapping sees it: its full code (<c>01-3100</c>) and where it came from.</summary>
public sealed record CostCodeEntry(long Id, string FullCode, string? OriginId, long? ParentId, string Name);

/// <summary>A Procore cost type (line item type) as the mapping sees it.</summary>
public sealed record CostTypeEntry(long Id, string Code, string? OriginId, string Name);

public enum CostCodeMatch
{
    /// <summary>An explicit phase → Procore full code table.</summary>
    Table,

    /// <summary>The Procore cost code whose <c>origin_id</c> is the phase code (as Procore's own connector sets it).</summary>
    OriginId,

    /// <summary>The Procore cost code whose full code is the phase formatted by the phase mask.</summary>
    FullCode,

    /// <summary>The Procore cost code whose full code, separators removed, is the phase (<c>013100</c> ↔ <c>01-3100</c>), case aside.</summary>
    SeparatorsRemoved,
}

public enum CostTypeMatch
{
    Table,
    OriginId,

    /// <summary>The Procore cost type whose code is the Spectrum cost type.</summary>
    Code,
}

/// <summary>How Spectrum codes find their Procore counterparts; each list is tried in order, first hit wins.</summary>
public sealed record CodeMapping(
    PhaseMask Mask,
    IReadOnlyList<CostCodeMatch> CostCodeMatches,
    IReadOnlyDictionary<string, string> CostCodeTable,
    IReadOnlyList<CostTypeMatch> CostTypeMatches,
    IReadOnlyDictionary<string, string> CostTypeTable)
{
    public static CodeMapping Default { get; } = new(PhaseMask.None,
        [CostCodeMatch.Table, CostCodeMatch.OriginId, CostCodeMatch.FullCode, CostCodeMatch.SeparatorsRemoved], new Dictionary<string, string>(),
        [CostTypeMatch.Table, CostTypeMatch.OriginId, CostTypeMatch.Code], new Dictionary<string, string>());

    /// <summary>The Procore full code a phase should have: the table's, else the phase through the mask.</summary>
    public string? ProcoreCodeFor(string phase) =>
        CostCodeTable.TryGetValue(phase, out var mapped) ? mapped : Mask.Format(phase);

    public CostCodeEntry? FindCostCode(string phase, IReadOnlyList<CostCodeEntry> codes) =>
        CostCodeMatches.Select(match => match switch
        {
            CostCodeMatch.Table when CostCodeTable.TryGetValue(phase, out var code) => codes.FirstOrDefault(c => c.FullCode == code),
            CostCodeMatch.OriginId => codes.FirstOrDefault(c => c.OriginId == phase),
            CostCodeMatch.FullCode when Mask.Format(phase) is { } code => codes.FirstOrDefault(c => c.FullCode == code),
            CostCodeMatch.SeparatorsRemoved => codes.FirstOrDefault(c => SameCode(Compact(c.FullCode), Compact(phase))),
            _ => null,
        }).FirstOrDefault(found => found is not null);

    /// <summary>A code with its separators (anything but letters and digits) taken out.</summary>
    private static string Compact(string code) => string.Concat(code.Where(char.IsLetterOrDigit));

    /// <summary>
    /// The Procore cost type code a Spectrum cost type should have: the table's, else the cost type in capitals, so that
    /// rows spelling one cost type in different cases ask for one cost type, as they are matched regardless of case.
    /// </summary>
    public string ProcoreCostTypeFor(string costType) =>
        MappedCostType(costType) ?? costType.ToUpperInvariant();

    public CostTypeEntry? FindCostType(string costType, IReadOnlyList<CostTypeEntry> types) =>
        CostTypeMatches.Select(match => match switch
        {
            CostTypeMatch.Table when MappedCostType(costType) is { } code => types.FirstOrDefault(t => SameCode(t.Code, code)),
            CostTypeMatch.OriginId => types.FirstOrDefault(t => SameCode(t.OriginId, costType)),
            CostTypeMatch.Code => types.FirstOrDefault(t => SameCode(t.Code, costType)),
            _ => null,
        }).FirstOrDefault(found => found is not null);

    /// <summary>The table's Procore code for a Spectrum cost type, whatever case either is written in.</summary>
    private string? MappedCostType(string costType) => CostTypeTable.FirstOrDefault(entry => SameCode(entry.Key, costType)).Value;

    /// <summary>Cost type codes (and compacted cost codes) compare without regard to case.</summary>
    private static bool SameCode(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Formats Spectrum phase codes (stored without separators, e.g. <c>013100</c>) as Procore cost codes: every <c>#</c>
/// takes the next character of the phase, anything else is written as is. <c>##-####</c> makes <c>01-3100</c>.
/// The separators also split a code into its tiers (<c>01</c> then <c>01-3100</c>). An empty mask keeps the phase.
/// </summary>
public sealed record PhaseMask(string Pattern)
{
    public static PhaseMask None { get; } = new("");

    private int Slots => Pattern.Count(c => c == '#');

    /// <summary>The formatted code, or null when the phase does not have as many characters as the mask has slots.</summary>
    public string? Format(string phase)
    {
        if (Pattern.Length == 0)
        {
            return phase;
        }

        if (phase.Length != Slots)
        {
            return null;
        }

        var next = 0;
        return string.Concat(Pattern.Select(c => c == '#' ? phase[next++] : c));
    }

    /// <summary>
    /// The tiers of a full code, parent first: for mask <c>##-####</c>, <c>01-3100</c> gives <c>01</c>, <c>01-3100</c>,
    /// each with the segment written as the tier's own code.
    /// </summary>
    public IReadOnlyList<(string FullCode, string Code)> Tiers(string fullCode)
    {
        var separators = Pattern.Where(c => c != '#').Distinct().ToArray();
        if (separators.Length == 0)
        {
            return [(fullCode, fullCode)];
        }

        var tiers = new List<(string, string)>();
        var start = 0;
        for (var i = 0; i <= fullCode.Length; i++)
        {
            if (i == fullCode.Length || separators.Contains(fullCode[i]))
            {
                tiers.Add((fullCode[..i], fullCode[start..i]));
                start = i + 1;
            }
        }

        return tiers;
    }
}
