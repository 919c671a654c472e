using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace ErpFunctions.Functions.Http;

/// <summary>Reads what a request carries, refusing with a problem that names the part at fault.</summary>
public static partial class RequestReader
{
    public const int MaxBodyBytes = 16 * 1024;
    public const string CorrelationHeader = "X-Correlation-Id";

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex SafeId();

    /// <summary>The caller's correlation id when it is a safe token, else a new one; echoed on the response.</summary>
    public static string CorrelationId(HttpRequest request)
    {
        var given = request.Headers[CorrelationHeader].ToString();
        var id = SafeId().IsMatch(given) ? given : Guid.NewGuid().ToString("N");
        request.HttpContext.Response.Headers[CorrelationHeader] = id;
        return id;
    }

    public static bool IsSafeId(string id) => SafeId().IsMatch(id);

    /// <summary>The body, up to <see cref="MaxBodyBytes"/> (a longer one is 413, whatever its Content-Length says).</summary>
    public static async Task<(ReadOnlyMemory<byte> Body, ObjectResult? Problem)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (default, TooLarge());
        }

        var buffer = new byte[MaxBodyBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        return length > MaxBodyBytes ? (default, TooLarge()) : (buffer.AsMemory(0, length), null);
    }

    /// <summary>The body as a JSON object, or the problem that explains why it is not one.</summary>
    public static async Task<(JsonElement? Body, ObjectResult? Problem)> ReadJsonObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (body, tooLarge) = await ReadBodyAsync(request, cancellationToken);
        if (tooLarge is not null)
        {
            return (null, tooLarge);
        }

        if (body.Length == 0)
        {
            return (null, Problems.BadRequest("body", "The body is empty; send a JSON object."));
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (document.RootElement.Clone(), null)
                : (null, Problems.BadRequest("body", $"The body is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}; send a JSON object."));
        }
        catch (JsonException e)
        {
            return (null, Problems.BadRequest("body", $"The body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})."));
        }
    }

    private static ObjectResult TooLarge() => Problems.Create(StatusCodes.Status413PayloadTooLarge, "The body is too large",
        $"The body may hold at most {MaxBodyBytes} bytes.", "body");

    public static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
