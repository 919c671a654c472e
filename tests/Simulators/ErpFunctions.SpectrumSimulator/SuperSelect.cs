using System.Text.RegularExpressions;

namespace ErpFunctions.Simulators.Spectrum;

/// <summary>
/// Spectrum's SuperSelect filter syntax: blank, <c>ALL</c> or <c>*</c> = everything; <c>A,B</c> list; <c>A/B</c> range;
/// <c>#A</c> or <c>#A,B</c> everything but; <c>*</c> and <c>?</c> wildcards inside a value.
/// </summary>
public static class SuperSelect
{
    public static bool Matches(string pattern, string value)
    {
        var filter = pattern.Trim();
        if (filter.Length == 0 || filter == "*" || filter.Equals("ALL", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (filter.StartsWith('#'))
        {
            return !Matches(filter[1..], value);
        }

        return filter.Split(',').Any(part => MatchesOne(part.Trim(), value.Trim()));
    }

    private static bool MatchesOne(string part, string value)
    {
        var slash = part.IndexOf('/');
        if (slash > 0)
        {
            return string.CompareOrdinal(value, part[..slash]) >= 0 && string.CompareOrdinal(value, part[(slash + 1)..]) <= 0;
        }

        if (part.Contains('*') || part.Contains('?'))
        {
            var regex = "^" + Regex.Escape(part).Replace(@"\*", ".*").Replace(@"\?", ".") + "$";
            return Regex.IsMatch(value, regex, RegexOptions.IgnoreCase);
        }

        return string.Equals(part, value, StringComparison.OrdinalIgnoreCase);
    }
}
