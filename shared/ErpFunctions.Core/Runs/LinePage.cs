using System.Globalization;
using ErpFunctions.Domain.Runs;

namespace ErpFunctions.Runs;

/// <summary>A page of a run's lines as asked for: its token is the index of its first line.</summary>
public sealed record LinePage(int Offset, int Size)
{
    public const int DefaultSize = 500;
    public const int MaxSize = 2000;

    /// <summary>The page the query asks for, or the parameter that is not one.</summary>
    public static (LinePage? Page, string? Field) Read(string? pageSize, string? pageToken)
    {
        var size = DefaultSize;
        if (!string.IsNullOrEmpty(pageSize) && !(Whole(pageSize, out size) && size is >= 1 and <= MaxSize))
        {
            return (null, "pageSize");
        }

        var offset = 0;
        return string.IsNullOrEmpty(pageToken) || Whole(pageToken, out offset) ? (new LinePage(offset, size), null) : (null, "pageToken");
    }

    private static bool Whole(string text, out int value) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}

/// <summary>One page of a run's lines, how many it has in all, and the token of the next page when there is one.</summary>
public sealed record LinesPage(IReadOnlyList<RunLine> Lines, int Total, string? NextPageToken);
