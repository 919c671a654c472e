using System.Reflection;
using System.Text.RegularExpressions;
using NetArchTest.Rules;

namespace ErpFunctions.UnitTests.Architecture;

/// <summary>
/// Which of the app's namespaces use which, read from the compiled assemblies (signatures and method bodies alike):
/// an edge A → B means some type in exactly namespace A uses a type of exactly namespace B.
/// </summary>
public sealed class NamespaceGraph(IReadOnlyDictionary<string, IReadOnlySet<string>> edges)
{
    public IReadOnlyDictionary<string, IReadOnlySet<string>> Edges { get; } = edges;

    public static NamespaceGraph Read(string prefix, params Assembly[] assemblies)
    {
        var types = Types.InAssemblies(assemblies);
        var namespaces = types.GetTypes()
            .Where(t => t.Namespace is { } ns && (ns == prefix || ns.StartsWith(prefix + ".", StringComparison.Ordinal)))
            .GroupBy(t => t.Namespace!)
            .ToDictionary(g => g.Key, g => g.Select(t => t.FullName!.Split('+')[0]).Distinct().ToArray());

        var edges = new Dictionary<string, IReadOnlySet<string>>();
        foreach (var from in namespaces.Keys)
        {
            edges[from] = namespaces
                .Where(to => to.Key != from && types.That().ResideInNamespaceMatching($"^{Regex.Escape(from)}$")
                    .And().HaveDependencyOnAny(to.Value).GetTypes().Any())
                .Select(to => to.Key)
                .ToHashSet();
        }

        return new NamespaceGraph(edges);
    }

    /// <summary>A path that leads from a namespace back to itself, or null when there is none.</summary>
    public IReadOnlyList<string>? FindCycle()
    {
        var done = new HashSet<string>();
        var path = new List<string>();

        IReadOnlyList<string>? Visit(string node)
        {
            var start = path.IndexOf(node);
            if (start >= 0)
            {
                return [.. path.Skip(start), node];
            }

            if (!done.Add(node))
            {
                return null;
            }

            path.Add(node);
            foreach (var next in Edges.GetValueOrDefault(node) ?? new HashSet<string>())
            {
                if (Visit(next) is { } cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            return null;
        }

        return Edges.Keys.Order(StringComparer.Ordinal).Select(Visit).FirstOrDefault(cycle => cycle is not null);
    }
}
