using System.Text.Json;

namespace ErpFunctions.FunctionTests;

/// <summary>
/// Reads the <c>functions.metadata</c> the Worker SDK generated when it built the function app, which is what the
/// Functions host indexes: every function must be bound as intended.
/// </summary>
public class FunctionMetadataTests
{
    private static readonly Lazy<JsonElement[]> Metadata = new(Load);

    private static JsonElement Function(string name) =>
        Metadata.Value.Single(f => f.GetProperty("name").GetString() == name);

    private static JsonElement Trigger(string name) =>
        Function(name).GetProperty("bindings").EnumerateArray()
            .Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));

    [Fact]
    public void Health_is_an_anonymous_GET_on_api_health()
    {
        var trigger = Trigger("Health");

        trigger.GetProperty("type").GetString().Should().Be("httpTrigger");
        trigger.GetProperty("route").GetString().Should().Be("health");
        trigger.GetProperty("authLevel").GetString().Should().Be("Anonymous");
        trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()).Should().Equal("get");
        Function("Health").GetProperty("scriptFile").GetString().Should().Be("ErpFunctions.Functions.dll");
    }

    private static JsonElement[] Load()
    {
        var output = Path.GetDirectoryName(typeof(ErpFunctions.Functions.Health.HealthFunction).Assembly.Location)!;
        var configuration = new DirectoryInfo(output).Parent!.Name;
        var root = new DirectoryInfo(output);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "ErpFunctions.sln")))
        {
            root = root.Parent;
        }

        var path = Path.Combine(root!.FullName, "functions", "ErpFunctions.Functions", "bin", configuration, "net10.0",
            "functions.metadata");
        File.Exists(path).Should().BeTrue($"the Worker SDK writes {path} when it builds the function app");
        return JsonSerializer.Deserialize<JsonElement[]>(File.ReadAllText(path))!;
    }
}
