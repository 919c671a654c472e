using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;

namespace ErpFunctions.Functions.Http;

/// <summary>
/// The API's JSON: camelCase names and dictionary keys, and amounts with at least two decimals (never rounded), the
/// way money is written. The Functions host and the local runner both serialize results with these options.
/// </summary>
public static class ApiJson
{
    public static IServiceCollection AddApiJson(this IServiceCollection services) =>
        services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(o => Configure(o.JsonSerializerOptions));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new AmountConverter());
        return options;
    }

    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Writes 1 as 1.00 and 1.5 as 1.50; a value with more decimals keeps them all.</summary>
    private sealed class AmountConverter : JsonConverter<decimal>
    {
        private const string Format = "0.00##########################";

        public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDecimal();

        public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
            writer.WriteRawValue(value.ToString(Format, CultureInfo.InvariantCulture), skipInputValidation: true);
    }
}
