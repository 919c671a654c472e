using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using ErpFunctions.Domain.Jobs;

namespace ErpFunctions.Budgets;

/// <summary>
/// The list's <c>pageToken</c>: the filter and the last job of the page before, so that any token the list accepts
/// is a query it can run. One that is not base64url, is from another filter or names no job number is refused.
/// </summary>
public static class PageTokens
{
    private const string Version = "b1";
    private const int MaxLength = 256;

    public static string? Encode(BudgetFilter filter, string? lastJob) => lastJob is null
        ? null
        : Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{Version}\n{filter}\n{lastJob}"));

    public static bool TryDecode(string token, BudgetFilter filter, [NotNullWhen(true)] out JobNumber? afterJob)
    {
        afterJob = null;
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

        return text.Split('\n') is [Version, var tokenFilter, var job] && tokenFilter == filter.ToString()
            && JobNumber.TryParse(job, out afterJob) && afterJob.Value == job;
    }
}
