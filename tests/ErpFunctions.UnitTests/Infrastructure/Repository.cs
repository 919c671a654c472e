using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ErpFunctions.UnitTests.Infrastructure;

/// <summary>
/// What the infrastructure tests read: the compiled Bicep (the Bicep CLI from NuGet), the README's settings reference,
/// <c>local.settings.example.json</c>, and the settings the app itself validates at start-up. Setting names are
/// compared as configuration keys (<c>Procore:ClientId</c>), whichever way each file writes them.
/// </summary>
public static partial class Repository
{
    public static readonly DirectoryInfo Root = FindRoot();

    public static string Infra(string name) => Path.Combine(Root.FullName, "infra", name);

    public static string Key(string setting) => setting.Replace("__", ":", StringComparison.Ordinal);

    /// <summary>Runs the Bicep CLI the UnitTests project restores; answers its exit code and everything it printed.</summary>
    public static (int ExitCode, string Output, string Errors) Bicep(params string[] arguments)
    {
        var path = typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value!;
        if (!OperatingSystem.IsWindows())
        {
            // NuGet extracts the CLI without its execute bit.
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute);
        }

        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // No telemetry, no update check: the build machines have no way out.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result, errors.Result);
    }

    public static readonly Lazy<JsonObject> CompiledTemplate = new(() =>
    {
        var (exitCode, output, errors) = Bicep("build", Infra("main.bicep"), "--stdout");
        exitCode.Should().Be(0, errors);
        return JsonNode.Parse(output)!.AsObject();
    });

    /// <summary>Every <c>Section:Key</c> the README's settings tables document, and whether each is marked secret.</summary>
    public static IReadOnlyDictionary<string, bool> DocumentedSettings()
    {
        var settings = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
        var inSettingsTable = false;
        foreach (var line in File.ReadLines(Path.Combine(Root.FullName, "README.md")))
        {
            if (line.StartsWith("| Setting |", StringComparison.Ordinal))
            {
                inSettingsTable = true;
                continue;
            }

            if (!line.StartsWith('|'))
            {
                inSettingsTable = false;
                continue;
            }

            var cells = line.Split('|');
            if (!inSettingsTable || cells.Length < 4 || cells[1].StartsWith("---", StringComparison.Ordinal) || cells[1].Trim() is ['-', ..])
            {
                continue;
            }

            var secret = cells[3].Contains("**yes**", StringComparison.Ordinal);
            string? first = null;
            foreach (Match name in Backticked().Matches(cells[1]))
            {
                var text = name.Groups["name"].Value;
                var full = text.StartsWith("__", StringComparison.Ordinal) ? first!.Split("__")[0] + text
                    : text.StartsWith('…') ? first + text[1..]
                    : text;
                first ??= full;
                settings[Key(full)] = secret;
            }
        }

        return settings;
    }

    /// <summary>The <c>Values</c> of <c>local.settings.example.json</c>.</summary>
    public static IReadOnlyDictionary<string, string> LocalSettings() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Root.FullName, "functions", "ErpFunctions.Functions", "local.settings.example.json")))!["Values"]!
            .AsObject().ToDictionary(p => Key(p.Key), p => p.Value!.GetValue<string>(), StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The settings the app refuses to start without: every option's member that fails validation with its default
    /// value (a required setting has none), and the ones the triggers bind by name.
    /// </summary>
    public static IReadOnlyList<string> RequiredAtStartUp()
    {
        var required = new List<string> { "Reimport:QueueName", "Resync:Schedule" };
        foreach (var type in typeof(ErpFunctions.Storage.StorageOptions).Assembly.GetTypes()
                     .Where(t => t.IsClass && !t.IsAbstract && t.GetConstructor(Type.EmptyTypes) is not null && t.Name.EndsWith("Options", StringComparison.Ordinal)))
        {
            if (type.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() is not string section)
            {
                continue;
            }

            var options = Activator.CreateInstance(type)!;
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
            foreach (var member in results.SelectMany(r => r.MemberNames))
            {
                required.Add(type == typeof(ErpFunctions.Storage.StorageOptions) && member == nameof(ErpFunctions.Storage.StorageOptions.ConnectionString)
                    ? ErpFunctions.Storage.StorageOptions.ConnectionSetting
                    : $"{section}:{member}");
            }
        }

        return [.. required.Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    [GeneratedRegex("`(?<name>[^`]+)`")]
    private static partial Regex Backticked();

    private static DirectoryInfo FindRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "ErpFunctions.sln")))
        {
            root = root.Parent!;
        }

        return root;
    }
}
