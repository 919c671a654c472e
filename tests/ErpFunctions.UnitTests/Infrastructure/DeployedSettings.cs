using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ErpFunctions.UnitTests.Infrastructure;

/// <summary>What the compiled template writes as the Function App's settings, read from its <c>app-settings</c> module.</summary>
public static partial class DeployedSettings
{
    public static JsonObject Deployment(string name) => CompiledResources(Repository.CompiledTemplate.Value)
        .Single(r => r["type"]!.GetValue<string>() == "Microsoft.Resources/deployments" && r["name"]!.GetValue<string>() == name);

    /// <summary>Every resource of the template and of its modules.</summary>
    public static IEnumerable<JsonObject> CompiledResources(JsonObject template)
    {
        foreach (var resource in template["resources"]!.AsArray().Select(r => r!.AsObject()))
        {
            yield return resource;
            if (resource["properties"] is JsonObject properties && properties["template"] is JsonObject nested)
            {
                foreach (var inner in CompiledResources(nested))
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>The setting names the app-settings module writes, under any condition, as configuration keys.</summary>
    public static IReadOnlySet<string> Names()
    {
        var module = Deployment("app-settings")["properties"]!["template"]!.ToJsonString();
        return SettingName().Matches(module).Select(m => Repository.Key(m.Groups["name"].Value)).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The secret settings the module writes, each with the module that makes the Key Vault secret it refers to: a setting
    /// holds <c>parameters('keyVaultReferences').x</c>, which the main template fills from that module's output.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> SecretReferences()
    {
        var module = Deployment("app-settings")["properties"]!;
        var passed = module["parameters"]!["keyVaultReferences"]!["value"]!.AsObject();
        var text = module["template"]!.ToJsonString().Replace("\\u0027", "'", StringComparison.Ordinal);
        return KeyVaultSetting().Matches(text).ToDictionary(
            m => Repository.Key(m.Groups["name"].Value),
            m => passed[m.Groups["key"].Value]?.GetValue<string>() is { } expression && SecretModule().Match(expression) is { Success: true } secret
                ? secret.Groups["module"].Value
                : null,
            StringComparer.OrdinalIgnoreCase);
    }

    // Names as the module writes them: Section__Key (arrays as Section__Key__{0}), or a platform setting in capitals.
    [GeneratedRegex(@"(?:\\u0027|')(?<name>[A-Z][A-Za-z0-9]*(?:__[A-Za-z][A-Za-z0-9]*)+|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)(?:__\{0\})?(?:\\u0027|')|""(?<name>[A-Z][A-Za-z0-9]*(?:__[A-Za-z][A-Za-z0-9]*)+|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)""\s*:")]
    private static partial Regex SettingName();

    [GeneratedRegex(@"(?:'|"")(?<name>[A-Z][A-Za-z0-9]*__[A-Za-z0-9]+)(?:'|"")(?:,\s*|\s*:\s*"")\[?parameters\('keyVaultReferences'\)\.(?<key>\w+)")]
    private static partial Regex KeyVaultSetting();

    [GeneratedRegex(@"'Microsoft\.Resources/deployments', '(?<module>secret-[a-z-]+)'")]
    private static partial Regex SecretModule();
}
