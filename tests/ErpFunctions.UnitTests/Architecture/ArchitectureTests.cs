using System.Reflection;
using System.Xml.Linq;
using ErpFunctions.Domain.Jobs;
using ErpFunctions.Functions.Http;
using ErpFunctions.LocalRunner;
using ErpFunctions.Reimport;
using NetArchTest.Rules;

namespace ErpFunctions.UnitTests.Architecture;

/// <summary>
/// The rooms of the code keep their walls: the domain is pure, no two areas depend on each other, and the function
/// app never touches Procore's or Spectrum's wire types (it talks to handlers that do).
/// </summary>
public class ArchitectureTests
{
    private static readonly Assembly Domain = typeof(JobNumber).Assembly;
    private static readonly Assembly Core = typeof(ReimportEngine).Assembly;
    private static readonly Assembly Functions = typeof(HttpEndpoint).Assembly;
    private static readonly Assembly Runner = typeof(FunctionCatalog).Assembly;

    private static readonly string[] WireNamespaces = ["ErpFunctions.Procore", "ErpFunctions.Spectrum"];

    private static readonly Lazy<NamespaceGraph> App = new(() => NamespaceGraph.Read("ErpFunctions", Domain, Core, Functions, Runner));

    [Fact]
    public void The_domain_project_references_nothing()
    {
        var project = XDocument.Load(Path.Combine(SourceRoot(), "shared", "ErpFunctions.Domain", "ErpFunctions.Domain.csproj"));

        project.Descendants().Where(e => e.Name.LocalName.EndsWith("Reference", StringComparison.Ordinal))
            .Select(e => $"{e.Name.LocalName} {e.Attribute("Include")?.Value}").Should().BeEmpty();
    }

    [Fact]
    public void The_domain_assembly_uses_nothing_but_the_BCL()
    {
        Domain.GetReferencedAssemblies().Select(a => a.Name!).Where(name => !IsBcl(name)).Should().BeEmpty();
        Types.InAssembly(Domain).ShouldNot().HaveDependencyOnAny("Azure", "Polly", "Microsoft.Extensions", "Microsoft.AspNetCore",
            "ErpFunctions.Procore", "ErpFunctions.Spectrum", "ErpFunctions.Runs", "ErpFunctions.Storage").GetResult()
            .FailingTypeNames.Should().BeNullOrEmpty();
    }

    [Fact]
    public void No_two_namespaces_depend_on_each_other_in_a_cycle()
    {
        App.Value.FindCycle().Should().BeNull("areas may only depend one way (a cycle is shown as the path that closes it)");
    }

    [Theory]
    [InlineData("ErpFunctions.Reimport", "ErpFunctions.Procore")]
    [InlineData("ErpFunctions.Reimport", "ErpFunctions.Domain.Planning")]
    [InlineData("ErpFunctions.Functions.Budgets", "ErpFunctions.Requests")]
    [InlineData("ErpFunctions.Domain.Planning", "ErpFunctions.Domain.Mapping")]
    public void The_graph_sees_the_dependencies_that_exist(string from, string to)
    {
        App.Value.Edges[from].Should().Contain(to, "the cycle check is only as good as the graph it reads");
    }

    [Fact]
    public void The_README_lists_exactly_the_dependencies_each_area_has()
    {
        var documented = DocumentedAreas();
        var actual = App.Value.Edges
            .SelectMany(edge => edge.Value.Select(to => (From: Area(edge.Key), To: Area(to))))
            .Where(edge => edge.From != edge.To)
            .GroupBy(edge => edge.From)
            .ToDictionary(g => g.Key, g => g.Select(edge => edge.To).Distinct().Order(StringComparer.Ordinal).ToList());

        documented.Keys.Should().BeEquivalentTo(App.Value.Edges.Keys.Select(Area).Distinct(), "every area has its row");
        foreach (var (area, uses) in documented)
        {
            uses.Should().BeEquivalentTo(actual.GetValueOrDefault(area) ?? [], $"the README's row for {area} must match the code");
        }
    }

    [Fact]
    public void The_function_app_and_the_local_runner_use_no_Procore_or_Spectrum_type()
    {
        UsersOfWireTypes(Functions).Concat(UsersOfWireTypes(Runner)).Should().BeEmpty(
            "functions call handlers in shared/; Procore's and Spectrum's shapes stay behind those");
    }

    [Fact]
    public void The_wire_type_check_finds_a_user_where_there_is_one()
    {
        UsersOfWireTypes(Core).Should().Contain(t => t.StartsWith("ErpFunctions.Reimport.", StringComparison.Ordinal),
            "the re-import uses the Procore and Spectrum ports, so the check must see it");
    }

    [Fact]
    public void The_cycle_check_finds_a_cycle_where_there_is_one()
    {
        var graph = new NamespaceGraph(new Dictionary<string, IReadOnlySet<string>>
        {
            ["A"] = new HashSet<string> { "B" },
            ["B"] = new HashSet<string> { "C" },
            ["C"] = new HashSet<string> { "A", "D" },
            ["D"] = new HashSet<string>(),
        });
        var acyclic = new NamespaceGraph(new Dictionary<string, IReadOnlySet<string>>
        {
            ["A"] = new HashSet<string> { "B", "C" },
            ["B"] = new HashSet<string> { "C" },
            ["C"] = new HashSet<string>(),
        });

        graph.FindCycle().Should().Equal("A", "B", "C", "A");
        acyclic.FindCycle().Should().BeNull();
    }

    /// <summary>The area a namespace belongs to, as the README names it.</summary>
    private static string Area(string ns) => ns.Split('.') switch
    {
        [_, "Domain", ..] => "Domain",
        [_, "Functions" or "LocalRunner", ..] => "functions/",
        [_, var area, ..] => area,
        _ => ns,
    };

    /// <summary>The README's Architecture table: each area and the areas it uses.</summary>
    private static Dictionary<string, List<string>> DocumentedAreas()
    {
        var readme = File.ReadAllText(Path.Combine(SourceRoot(), "README.md"));
        var section = readme[readme.IndexOf("## Architecture", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 3, StringComparison.Ordinal)];
        return section.Split('\n')
            .Where(line => line.StartsWith("| `", StringComparison.Ordinal))
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries))
            .ToDictionary(cells => cells[1].Trim('`'), cells => cells[3].StartsWith("nothing", StringComparison.Ordinal)
                ? new List<string>()
                : [.. cells[3].Split(", ")]);
    }

    private static IEnumerable<string> UsersOfWireTypes(Assembly assembly) =>
        Types.InAssembly(assembly).That().HaveDependencyOnAny(WireNamespaces).And().DoNotResideInNamespaceMatching("^(ErpFunctions\\.Procore|ErpFunctions\\.Spectrum)$")
            .GetTypes().Select(t => t.FullName!);

    private static bool IsBcl(string assembly) =>
        assembly is "netstandard" or "mscorlib" || assembly.StartsWith("System", StringComparison.Ordinal)
        || assembly.StartsWith("Microsoft.Win32.", StringComparison.Ordinal);

    private static string SourceRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ErpFunctions.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The tests do not run inside the repository.");
    }
}
