using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace ErpFunctions.Domain.Jobs;

/// <summary>
/// A Spectrum job number: one to ten letters, digits, dots, dashes or underscores, starting with a letter or digit.
/// Every way in (an operator's request, a webhook, an ERP request, the nightly sweep) turns what it was given into one
/// of these, or refuses it saying <see cref="Rule"/>.
/// </summary>
public sealed partial record JobNumber
{
    public const string Rule = "up to 10 letters, digits, '.', '-' or '_'";

    private JobNumber(string value) => Value = value;

    public string Value { get; }

    /// <summary>Spectrum pads its values with spaces, so surrounding white space is not part of the number.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out JobNumber? job)
    {
        var trimmed = text?.Trim() ?? "";
        job = Pattern().IsMatch(trimmed) ? new JobNumber(trimmed) : null;
        return job is not null;
    }

    public static JobNumber Parse(string text) =>
        TryParse(text, out var job) ? job : throw new FormatException($"'{text}' is not a Spectrum job number ({Rule}).");

    public override string ToString() => Value;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,9}$")]
    private static partial Regex Pattern();
}
