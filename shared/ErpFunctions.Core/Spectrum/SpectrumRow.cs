namespace ErpFunctions.Spectrum;

/// <summary>One <c>&lt;response&gt;</c> block of a Get service: flat, trimmed field values by element name.</summary>
public sealed class SpectrumRow(Dictionary<string, string> fields)
{
    public IReadOnlyDictionary<string, string> Fields { get; } = fields.Comparer == StringComparer.OrdinalIgnoreCase
        ? fields
        : new Dictionary<string, string>(fields, StringComparer.OrdinalIgnoreCase);

    public bool Has(string name) => Fields.ContainsKey(name);

    /// <summary>The value of the first of <paramref name="names"/> present in the row, or empty.</summary>
    public string Text(params string[] names)
    {
        foreach (var name in names)
        {
            if (Fields.TryGetValue(name, out var value))
            {
                return value;
            }
        }

        return "";
    }

    public decimal Decimal(params string[] names) => SpectrumValues.ParseDecimal(Text(names), names[0]);

    public DateOnly? Date(string name) => SpectrumValues.ParseDate(Text(name), name);

    public bool IsBlank => Fields.Values.All(string.IsNullOrEmpty);

    /// <summary>Both rows hold the same fields with the same values.</summary>
    public bool SameFields(SpectrumRow other) =>
        Fields.Count == other.Fields.Count && Fields.All(f => other.Fields.TryGetValue(f.Key, out var value) && value == f.Value);
}
