using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace ErpFunctions.IntegrationTests.Support;

/// <summary>One operation of Procore's published OpenAPI description, read from <c>../shared/procore-openapi</c>.</summary>
public sealed record ProcoreOperation(
    string OperationId,
    string Method,
    string PathTemplate,
    Regex Path,
    IReadOnlySet<string> QueryParameters,
    IReadOnlySet<string> RequiredQueryParameters,
    JsonSchema? RequestSchema,
    IReadOnlyDictionary<int, JsonSchema> ResponseSchemas);

/// <summary>
/// Procore's published request and response schemas, which live beside the project (never copied into it).
/// Two adjustments make them usable as contracts, both documented where they apply:
/// nested objects the catalogue left unspecified (<c>"(nested object)"</c>) accept any value, and request schemas are
/// closed (no property the schema does not declare), so that a misspelt field name fails.
/// </summary>
public static class ProcoreContracts
{
    private static readonly Lazy<string?> Folder = new(FindFolder);
    private static readonly Lazy<IReadOnlyList<ProcoreOperation>> All = new(Load);

    public static string? Directory => Folder.Value;

    public static string ExpectedLocation =>
        Path.GetFullPath(Path.Combine(RepositoryRoot.FullName, "..", "shared", "procore-openapi"));

    public static IReadOnlyList<ProcoreOperation> Operations => All.Value;

    public static DirectoryInfo RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ErpFunctions.sln")))
            {
                directory = directory.Parent;
            }

            return directory ?? throw new InvalidOperationException("Run the tests from inside the repository.");
        }
    }

    /// <summary>The operation a call is an instance of; literal segments win over parameters (<c>/sync</c> over <c>/{id}</c>).</summary>
    public static ProcoreOperation? Match(string method, string path) =>
        Operations.Where(o => o.Method.Equals(method, StringComparison.OrdinalIgnoreCase) && o.Path.IsMatch(path))
            .OrderBy(o => o.PathTemplate.Count(c => c == '{'))
            .FirstOrDefault();

    /// <summary>The schema of one property of an operation's request body, closed like the request schemas.</summary>
    public static JsonSchema RequestPropertySchema(string operationId, string property, params (string Name, JsonNode Schema)[] extraProperties)
    {
        var file = JsonNode.Parse(File.ReadAllText(Path.Combine(Directory!, operationId + ".json")))!;
        var schema = file["requestBody"]!["schema"]!["properties"]![property]!.DeepClone();
        foreach (var (name, extra) in extraProperties)
        {
            schema["properties"]![name] = extra;
        }

        return JsonSchema.FromText(Adjust(schema, closed: true).ToJsonString());
    }

    public static IReadOnlyList<string> Violations(JsonSchema schema, JsonElement instance)
    {
        var result = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid
            ? []
            : [.. (result.Details ?? []).Where(d => d.Errors is not null)
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))];
    }

    private static string? FindFolder()
    {
        var folder = ExpectedLocation;
        return System.IO.Directory.Exists(folder) && System.IO.Directory.EnumerateFiles(folder, "*.json").Any() ? folder : null;
    }

    private static IReadOnlyList<ProcoreOperation> Load() =>
        [.. System.IO.Directory.EnumerateFiles(Directory!, "*.json").Select(file => Read(JsonNode.Parse(File.ReadAllText(file))!))];

    private static ProcoreOperation Read(JsonNode file)
    {
        var template = file["path"]!.GetValue<string>();
        var pattern = "^" + Regex.Replace(Regex.Escape(template), @"\\\{[^}]+}", "[^/]+") + "$";
        var query = (file["parameters"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(p => p["in"]?.GetValue<string>() == "query").ToList();
        var responses = (file["responses"] as JsonObject ?? [])
            .Where(r => int.TryParse(r.Key, out _) && r.Value?["schema"] is not null)
            .ToDictionary(r => int.Parse(r.Key), r => JsonSchema.FromText(Adjust(r.Value!["schema"]!.DeepClone(), closed: false).ToJsonString()));
        var request = file["requestBody"]?["schema"] is { } body ? JsonSchema.FromText(Adjust(body.DeepClone(), closed: true).ToJsonString()) : null;

        return new ProcoreOperation(
            file["operationId"]!.GetValue<string>(),
            file["method"]!.GetValue<string>(),
            template,
            new Regex(pattern),
            query.Select(p => p["name"]!.GetValue<string>()).ToHashSet(),
            query.Where(p => p["required"]?.GetValue<bool>() == true).Select(p => p["name"]!.GetValue<string>()).ToHashSet(),
            request,
            responses);
    }

    private static JsonNode Adjust(JsonNode schema, bool closed)
    {
        if (schema is not JsonObject node)
        {
            return schema;
        }

        // The catalogue collapsed some nested schemas to {"type":"object","description":"(nested object)"}.
        if (node["description"]?.GetValue<string>() == "(nested object)" && node["properties"] is null)
        {
            return new JsonObject();
        }

        if (node["properties"] is JsonObject properties)
        {
            foreach (var name in properties.Select(p => p.Key).ToList())
            {
                properties[name] = Adjust(properties[name]!.DeepClone(), closed);
            }

            if (closed)
            {
                node["additionalProperties"] = false;
            }
        }

        if (node["items"] is JsonObject items)
        {
            node["items"] = Adjust(items.DeepClone(), closed);
        }

        return node;
    }
}

/// <summary>A fact that is reported as skipped, with the reason, where Procore's schemas are not beside the project.</summary>
public sealed class ProcoreContractFactAttribute : FactAttribute
{
    public ProcoreContractFactAttribute()
    {
        if (ProcoreContracts.Directory is null)
        {
            Skip = $"Procore's published schemas are not at {ProcoreContracts.ExpectedLocation}; contract tests need them.";
        }
    }
}
