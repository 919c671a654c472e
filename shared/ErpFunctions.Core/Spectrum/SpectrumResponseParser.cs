using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;

namespace ErpFunctions.Spectrum;

/// <summary>
/// Reads Get-service responses the way they really arrive: row blocks are extracted one by one rather than by a
/// strict XML parser, because large responses lose their closing envelope tags while every row stays intact.
/// </summary>
public static partial class SpectrumResponseParser
{
    public const string RowCapErrorCode = "W";

    /// <summary>Element names, shared by every row rather than allocated per field: a 10,000-row estimate repeats the same 27.</summary>
    private static readonly ConcurrentDictionary<string, string> Names = new(StringComparer.Ordinal);

    [GeneratedRegex(@"<response\s*>(?<body>.*?)</response\s*>", RegexOptions.Singleline)]
    private static partial Regex RowBlock();

    [GeneratedRegex(@"<response\s*>", RegexOptions.Singleline)]
    private static partial Regex RowStart();

    [GeneratedRegex(@"<(?<name>[A-Za-z_][\w.-]*)\s*(?:/>|>(?<value>.*?)</\k<name>\s*>)", RegexOptions.Singleline)]
    private static partial Regex Field();

    [GeneratedRegex(@"<(?:[\w-]+:)?Fault\b", RegexOptions.Singleline)]
    private static partial Regex FaultStart();

    [GeneratedRegex(@"<faultcode\s*>(?<v>.*?)</faultcode\s*>", RegexOptions.Singleline)]
    private static partial Regex FaultCode();

    [GeneratedRegex(@"<faultstring\s*>(?<v>.*?)</faultstring\s*>", RegexOptions.Singleline)]
    private static partial Regex FaultString();

    /// <summary>
    /// Parses a response body, throwing the typed <see cref="SpectrumException"/> a fault or an in-band error stands for.
    /// An answer cut short is returned with the rows that arrived whole and says how it was cut: whether that is enough
    /// is the caller's decision.
    /// </summary>
    public static SpectrumResponse Parse(string body, SpectrumService service)
    {
        ThrowIfFault(body, service);

        var blocks = RowBlock().Matches(body);
        var afterLastRow = blocks.Count == 0 ? 0 : blocks[^1].Index + blocks[^1].Length;
        var completeness = RowStart().IsMatch(body, afterLastRow) ? Completeness.CutInsideRow
            : ClosesRowWrapper(body, service, afterLastRow) ? Completeness.Complete
            : Completeness.CutAfterRow;

        var rows = new List<SpectrumRow>(blocks.Count);
        var rowCapReached = false;
        foreach (Match block in blocks)
        {
            var rowBody = block.Groups["body"];
            var row = ParseRow(body, rowBody.Index, rowBody.Length);
            var errorCode = row.Text("Error_Code", "error_code");
            if (errorCode.Length > 0)
            {
                if (errorCode.Equals(RowCapErrorCode, StringComparison.OrdinalIgnoreCase))
                {
                    rowCapReached = true;
                    continue;
                }

                throw new SpectrumServiceErrorException(
                    service.Name, errorCode, row.Text("Error_Description", "desc"), row.Text("Error_Column", "column"));
            }

            if (!row.IsBlank)
            {
                rows.Add(row);
            }
        }

        return new SpectrumResponse(rows, rowCapReached, completeness);
    }

    private static void ThrowIfFault(string body, SpectrumService service)
    {
        if (!FaultStart().IsMatch(body))
        {
            return;
        }

        var code = Decode(FaultCode().Match(body).Groups["v"].Value);
        var text = Decode(FaultString().Match(body).Groups["v"].Value);
        throw new SpectrumFaultException(service.Name, code.Length > 0 ? code : "SOAP-ENV:Server", text);
    }

    /// <summary>The row list's wrapper closes after the last row, or is an empty element of its own.</summary>
    private static bool ClosesRowWrapper(string body, SpectrumService service, int afterLastRow) =>
        body.IndexOf("</" + service.RowWrapperElement, afterLastRow, StringComparison.Ordinal) >= 0
        || Regex.IsMatch(body, "<" + service.RowWrapperElement + @"\s*/>");

    private static SpectrumRow ParseRow(string body, int start, int length)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var names = Names.GetAlternateLookup<ReadOnlySpan<char>>();
        for (var field = Field().Match(body, start, length); field.Success; field = field.NextMatch())
        {
            var name = field.Groups["name"].ValueSpan;
            if (!names.TryGetValue(name, out var shared))
            {
                shared = Names.GetOrAdd(name.ToString(), static n => n);
            }

            fields.TryAdd(shared, Decode(field.Groups["value"].ValueSpan));
        }

        return new SpectrumRow(fields);
    }

    private static string Decode(string raw) => WebUtility.HtmlDecode(raw).Trim();

    private static string Decode(ReadOnlySpan<char> raw)
    {
        var trimmed = raw.Trim();
        return trimmed.IsEmpty ? "" : trimmed.Contains('&') ? Decode(trimmed.ToString()) : trimmed.ToString();
    }
}
