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

    public CostCodeEntry? FindCostCode(string phase, IReadOnlyList<CostCodeEntry> codes) => MatcherFor(codes, []).FindCostCode(phase);

    /// <summary>Finds the counterparts of many Spectrum codes among one project's codes, each kind of match indexed once.</summary>
    public CodeMatcher MatcherFor(IReadOnlyList<CostCodeEntry> codes, IReadOnlyList<CostTypeEntry> types) => new(this, codes, types);

    /// <summary>A code with its separators (anything but letters and digits) taken out.</summary>
    internal static string Compact(string code) => string.Concat(code.Where(char.IsLetterOrDigit));

    /// <summary>
    /// The Procore cost type code a Spectrum cost type should have: the table's, else the cost type in capitals, so that
    /// rows spelling one cost type in different cases ask for one cost type, as they are matched regardless of case.
    /// </summary>
    public string ProcoreCostTypeFor(string costType) =>
        MappedCostType(costType) ?? costType.ToUpperInvariant();

    public CostTypeEntry? FindCostType(string costType, IReadOnlyList<CostTypeEntry> types) => MatcherFor([], types).FindCostType(costType);

    /// <summary>The table's Procore code for a Spectrum cost type, whatever case either is written in.</summary>
    internal string? MappedCostType(string costType) => CostTypeTable.FirstOrDefault(entry => SameCode(entry.Key, costType)).Value;

    /// <summary>Cost type codes (and compacted cost codes) compare without regard to case.</summary>
    private static bool SameCode(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// A <see cref="CodeMapping"/> applied to one project's cost codes and cost types: each way of matching is a lookup
/// built once, so that a job of thousands of rows is mapped in one pass. Where several Procore codes match one way, the
/// first in Procore's order wins, as when the lists are searched in order.
/// </summary>
public sealed class CodeMatcher
{
    private readonly CodeMapping mapping;
    private readonly Dictionary<string, CostCodeEntry> costCodeByFullCode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CostCodeEntry> costCodeByOriginId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CostCodeEntry> costCodeByCompactCode = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, CostTypeEntry> costTypeByCode = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, CostTypeEntry> costTypeByOriginId = new(StringComparer.OrdinalIgnoreCase);

    internal CodeMatcher(CodeMapping mapping, IReadOnlyList<CostCodeEntry> codes, IReadOnlyList<CostTypeEntry> types)
    {
        this.mapping = mapping;
        foreach (var code in codes.Where(c => c.FullCode is not null))
        {
            costCodeByFullCode.TryAdd(code.FullCode, code);
            if (code.OriginId is { } originId)
            {
                costCodeByOriginId.TryAdd(originId, code);
            }

            costCodeByCompactCode.TryAdd(CodeMapping.Compact(code.FullCode), code);
        }

        foreach (var type in types.Where(t => t.Code is not null))
        {
            costTypeByCode.TryAdd(type.Code, type);
            if (type.OriginId is { } originId)
            {
                costTypeByOriginId.TryAdd(originId, type);
            }
        }
    }

    public CostCodeEntry? FindCostCode(string phase) =>
        mapping.CostCodeMatches.Select(match => match switch
        {
            CostCodeMatch.Table when mapping.CostCodeTable.TryGetValue(phase, out var code) => costCodeByFullCode.GetValueOrDefault(code),
            CostCodeMatch.OriginId => costCodeByOriginId.GetValueOrDefault(phase),
            CostCodeMatch.FullCode when mapping.Mask.Format(phase) is { } code => costCodeByFullCode.GetValueOrDefault(code),
            CostCodeMatch.SeparatorsRemoved => costCodeByCompactCode.GetValueOrDefault(CodeMapping.Compact(phase)),
            _ => null,
        }).FirstOrDefault(found => found is not null);

    public CostTypeEntry? FindCostType(string costType) =>
        mapping.CostTypeMatches.Select(match => match switch
        {
            CostTypeMatch.Table when mapping.MappedCostType(costType) is { } code => costTypeByCode.GetValueOrDefault(code),
            CostTypeMatch.OriginId => costTypeByOriginId.GetValueOrDefault(costType),
            CostTypeMatch.Code => costTypeByCode.GetValueOrDefault(costType),
            _ => null,
        }).FirstOrDefault(found => found is not null);
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
