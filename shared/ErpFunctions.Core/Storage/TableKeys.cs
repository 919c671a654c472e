using System.Globalization;

namespace ErpFunctions.Storage;

/// <summary>Keys and values as Table Storage accepts them.</summary>
public static class TableKeys
{
    /// <summary>Escapes the characters keys may not hold (<c>/ \ # ?</c> and control characters).</summary>
    public static string Encode(string value) => Uri.EscapeDataString(value);

    public static string Decode(string key) => Uri.UnescapeDataString(key);

    /// <summary>Sorts newest first: row keys are compared as text.</summary>
    public static string NewestFirst(DateTimeOffset at) =>
        (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>Decimals are kept as text: Table Storage has no decimal type and doubles lose cents.</summary>
    public static string? Amount(decimal? value) => value?.ToString(CultureInfo.InvariantCulture);

    public static decimal? Amount(string? text) =>
        string.IsNullOrEmpty(text) ? null : decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);
}
