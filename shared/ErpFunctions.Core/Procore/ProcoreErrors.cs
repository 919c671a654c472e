using System.Text.Json;

namespace ErpFunctions.Procore;

/// <summary>Procore's error bodies are loosely typed: <c>message</c>, <c>error</c> (text or object), <c>errors</c> (text, list or field map).</summary>
public static class ProcoreErrors
{
    public static string Message(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return "(no body)";
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return Truncate(Flatten(document.RootElement) is { Length: > 0 } text ? text : body);
        }
        catch (JsonException)
        {
            return Truncate(body);
        }
    }

    /// <summary>Flattens an error value into one sentence, field names kept: <c>wbs_code_id: This Budget Code already exists</c>.</summary>
    public static string Describe(JsonElement error) => Truncate(Flatten(error));

    private static string Flatten(JsonElement error) => error.ValueKind switch
    {
        JsonValueKind.String => error.GetString() ?? "",
        JsonValueKind.Array => string.Join("; ", error.EnumerateArray().Select(Flatten).Where(s => s.Length > 0)),
        JsonValueKind.Object => DescribeObject(error),
        _ => "",
    };

    private static string DescribeObject(JsonElement error)
    {
        foreach (var name in new[] { "message", "error_description", "error", "errors" })
        {
            if (error.TryGetProperty(name, out var value) && Flatten(value) is { Length: > 0 } text)
            {
                return text;
            }
        }

        return string.Join("; ", error.EnumerateObject()
            .Select(p => (p.Name, Text: Flatten(p.Value)))
            .Where(p => p.Text.Length > 0)
            .Select(p => $"{p.Name}: {p.Text}"));
    }

    private static string Truncate(string body) => body.Length <= 300 ? body : body[..300] + "…";
}
