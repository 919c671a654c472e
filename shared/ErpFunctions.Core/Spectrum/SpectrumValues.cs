using System.Globalization;

namespace ErpFunctions.Spectrum;

/// <summary>Reads Spectrum's text renderings of numbers and dates.</summary>
public static class SpectrumValues
{
    // No thousands separator: Spectrum never sends one, and "12,50" read as 1,250 would be wrong money.
    private const NumberStyles AmountStyles = NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite
        | NumberStyles.AllowLeadingSign | NumberStyles.AllowTrailingSign | NumberStyles.AllowDecimalPoint;
    private static readonly string[] DateFormats = ["MM/dd/yyyy", "M/d/yyyy"];

    /// <summary>
    /// Amounts come as <c>.00</c>, <c>859.51</c> or <c>-12.50</c>: no leading zero, no currency sign.
    /// An empty value is zero. Parsed as decimal with the invariant culture, never as floating point.
    /// </summary>
    public static decimal ParseDecimal(string value, string column)
    {
        var text = value.Trim();
        if (text.Length == 0)
        {
            return 0m;
        }

        return decimal.TryParse(text, AmountStyles, CultureInfo.InvariantCulture, out var amount)
            ? amount
            : throw new SpectrumFormatException(column, text, "a decimal number");
    }

    /// <summary>Dates come as <c>MM/DD/YYYY</c>; an empty value means no date.</summary>
    public static DateOnly? ParseDate(string value, string column)
    {
        var text = value.Trim();
        if (text.Length == 0)
        {
            return null;
        }

        return DateOnly.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new SpectrumFormatException(column, text, "a date in MM/DD/YYYY form");
    }
}
