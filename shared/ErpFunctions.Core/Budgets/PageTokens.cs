using System.Buffers.Text;
using System.Text;

namespace ErpFunctions.Budgets;

/// <summary>
/// The list's <c>pageToken</c>: storage's continuation wrapped with the filter it continues, so a token that was not
/// handed out by the list (edited, truncated, from another filter) is refused rather than passed on to storage.
/// </summary>
public static class PageTokens
{
    private const string Version = "b1";
    private const int MaxLength = 2048;

    public static string? Encode(BudgetFilter filter, string? continuation) => continuation is null
        ? null
        : Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{Version}\n{filter}\n{continuation}"));

    public static bool TryDecode(string token, BudgetFilter filter, out string continuation)
    {
        continuation = "";
        if (token.Length > MaxLength || !Base64Url.IsValid(token))
        {
            return false;
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Base64Url.DecodeFromChars(token));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return false;
        }

        var parts = text.Split('\n');
        if (parts is not [Version, var tokenFilter, { Length: > 0 } rest] || tokenFilter != filter.ToString() || rest.Any(char.IsControl))
        {
            return false;
        }

        continuation = rest;
        return true;
    }
}
