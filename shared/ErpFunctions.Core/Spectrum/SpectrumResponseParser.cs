using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace ErpFunctions.Spectrum;

/// <summary>
/// Reads Get-service responses the way they really arrive: row blocks are extracted one by one rather than by a
/// strict XML parser, because large responses lose their closing envelope tags while every row stays intact. It reads
/// from a span, so that an answer of hundreds of kilobytes is parsed where it was received, never copied into a string.
/// </summary>
public static partial class SpectrumResponseParser
{
    public const string RowCapErrorCode = "W";

    /// <summary>Element names, shared by every row rather than allocated per field: a 10,000-row estimate repeats the same 27.</summary>
    private static readonly ConcurrentDictionary<string, string> Names = new(StringComparer.Ordinal);

    [GeneratedRegex(@"<response\s*>.*?</response\s*>", RegexOptions.Singleline)]
    private static partial Regex RowBlock();

    [GeneratedRegex(@"<response\s*>", RegexOptions.Singleline)]
    private static partial Regex RowStart();

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
    public static SpectrumResponse Parse(string body, SpectrumService service) => Parse(body.AsSpan(), service);

    /// <inheritdoc cref="Parse(string, SpectrumService)"/>
    public static SpectrumResponse Parse(ReadOnlySpan<char> body, SpectrumService service)
    {
        ThrowIfFault(body, service);

        var rows = new List<SpectrumRow>();
        var rowCapReached = false;
        var afterLastRow = 0;
        var blocks = 0;
        foreach (var block in RowBlock().EnumerateMatches(body))
        {
            blocks++;
            ThrowIfGarbled(service, blocks > 1 && !body[afterLastRow..block.Index].IsWhiteSpace(), blocks, "before a row");
            afterLastRow = block.Index + block.Length;
            var row = ParseRow(RowBody(body.Slice(block.Index, block.Length)), out var strayMarkup);
            ThrowIfGarbled(service, strayMarkup, blocks, "in a row");
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

        var completeness = RowStart().IsMatch(body[afterLastRow..]) ? Completeness.CutInsideRow
            : ClosesRowWrapper(body, service, afterLastRow) ? Completeness.Complete
            : Completeness.CutAfterRow;
        return new SpectrumResponse(rows, rowCapReached, completeness);
    }

    /// <summary>
    /// Markup that is no field (a tag cut into, a row closed early) means a field may be lost from a row that otherwise
    /// reads whole, and a lost amount would read as zero: such an answer is refused rather than read.
    /// </summary>
    private static void ThrowIfGarbled(SpectrumService service, bool garbled, int row, string where)
    {
        if (garbled)
        {
            throw new SpectrumResponseGarbledException(service.Name, $"markup that is no field {where} (row {row})");
        }
    }

    private static void ThrowIfFault(ReadOnlySpan<char> body, SpectrumService service)
    {
        if (!FaultStart().IsMatch(body))
        {
            return;
        }

        var text = body.ToString();
        var code = Decode(FaultCode().Match(text).Groups["v"].Value);
        var message = Decode(FaultString().Match(text).Groups["v"].Value);
        throw new SpectrumFaultException(service.Name, code.Length > 0 ? code : "SOAP-ENV:Server", message);
    }

    /// <summary>The row list's wrapper closes after the last row, or is an empty element of its own.</summary>
    private static bool ClosesRowWrapper(ReadOnlySpan<char> body, SpectrumService service, int afterLastRow) =>
        body[afterLastRow..].IndexOf("</" + service.RowWrapperElement, StringComparison.Ordinal) >= 0
        || Regex.IsMatch(body, "<" + service.RowWrapperElement + @"\s*/>");

    /// <summary>What a <c>&lt;response&gt;…&lt;/response&gt;</c> block holds between its tags.</summary>
    private static ReadOnlySpan<char> RowBody(ReadOnlySpan<char> block)
    {
        var start = block.IndexOf('>') + 1;
        return block[start..block.LastIndexOf("</response", StringComparison.Ordinal)];
    }

    /// <summary>
    /// A row's fields: each <c>&lt;Name&gt;value&lt;/Name&gt;</c> or <c>&lt;Name/&gt;</c> in turn, the first of a name kept. Any
    /// other markup (an element never closed, a tag cut into) is passed over and reported in <paramref name="strayMarkup"/>.
    /// </summary>
    private static SpectrumRow ParseRow(ReadOnlySpan<char> row, out bool strayMarkup)
    {
        strayMarkup = false;
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var names = Names.GetAlternateLookup<ReadOnlySpan<char>>();
        var at = 0;
        while (row[at..].IndexOf('<') is var next and >= 0)
        {
            var start = at + next;
            if (!TryReadField(row, start, out var name, out var value, out var end))
            {
                strayMarkup = true;
                at = start + 1;
                continue;
            }

            if (!names.TryGetValue(name, out var shared))
            {
                shared = Names.GetOrAdd(name.ToString(), static n => n);
            }

            fields.TryAdd(shared, Decode(value));
            at = end;
        }

        return new SpectrumRow(fields);
    }

    /// <summary>An element <c>&lt;Name ws&gt;value&lt;/Name ws&gt;</c> or <c>&lt;Name ws/&gt;</c> starting at <paramref name="start"/>.</summary>
    private static bool TryReadField(ReadOnlySpan<char> row, int start, out ReadOnlySpan<char> name, out ReadOnlySpan<char> value, out int end)
    {
        name = default;
        value = default;
        end = 0;
        var at = start + 1;
        if (at >= row.Length || !(char.IsAsciiLetter(row[at]) || row[at] == '_'))
        {
            return false;
        }

        while (at < row.Length && IsNameChar(row[at]))
        {
            at++;
        }

        name = row[(start + 1)..at];
        at = SkipWhiteSpace(row, at);
        if (row[at..].StartsWith("/>"))
        {
            end = at + 2;
            return true;
        }

        if (at >= row.Length || row[at] != '>')
        {
            return false;
        }

        var valueStart = at + 1;
        for (var search = valueStart; row[search..].IndexOf("</", StringComparison.Ordinal) is var close and >= 0;)
        {
            var closeAt = search + close;
            var afterName = closeAt + 2 + name.Length;
            if (row[(closeAt + 2)..].StartsWith(name, StringComparison.Ordinal) && SkipWhiteSpace(row, afterName) is var gt
                && gt < row.Length && row[gt] == '>')
            {
                value = row[valueStart..closeAt];
                end = gt + 1;
                return true;
            }

            search = closeAt + 2;
        }

        return false;
    }

    /// <summary>A character of an element name: <c>\w</c>, <c>.</c> or <c>-</c>.</summary>
    private static bool IsNameChar(char c) => c is '.' or '-' || char.GetUnicodeCategory(c) is UnicodeCategory.UppercaseLetter
        or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
        or UnicodeCategory.NonSpacingMark or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.ConnectorPunctuation;

    private static int SkipWhiteSpace(ReadOnlySpan<char> text, int at)
    {
        while (at < text.Length && char.IsWhiteSpace(text[at]))
        {
            at++;
        }

        return at;
    }

    private static string Decode(string raw) => WebUtility.HtmlDecode(raw).Trim();

    private static string Decode(ReadOnlySpan<char> raw)
    {
        var trimmed = raw.Trim();
        return trimmed.IsEmpty ? "" : trimmed.Contains('&') ? Decode(trimmed.ToString()) : trimmed.ToString();
    }
}
