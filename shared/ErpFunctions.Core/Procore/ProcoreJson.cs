using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ErpFunctions.Procore;

/// <summary>Procore's JSON: snake_case names, 64-bit ids, amounts that arrive as numbers or as strings.</summary>
public static class ProcoreJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        Converters = { new LenientDecimalConverter() },
    };
}

/// <summary>
/// Reads an amount typed <c>string,float</c> in Procore's spec (<c>"1200.5"</c>, <c>1200.5</c>, <c>null</c>, <c>""</c>)
/// as a decimal, and writes a plain JSON number.
/// </summary>
public sealed class LenientDecimalConverter : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Number => reader.GetDecimal(),
            JsonTokenType.Null => 0m,
            JsonTokenType.String when reader.GetString() is { Length: 0 } => 0m,
            JsonTokenType.String => decimal.Parse(reader.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture),
            _ => throw new JsonException($"Expected an amount, found {reader.TokenType}."),
        };

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(value);
}
