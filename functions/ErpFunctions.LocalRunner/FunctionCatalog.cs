using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;

namespace ErpFunctions.LocalRunner;

public enum TriggerKind
{
    Http,
    Queue,
    Timer,
}

/// <summary>A function method of the app and its trigger, as the Worker SDK's attributes declare it.</summary>
public sealed record FunctionEntry(string Name, Type Class, MethodInfo Method, TriggerKind Kind, Attribute Trigger)
{
    public HttpTriggerAttribute Http => (HttpTriggerAttribute)Trigger;
    public QueueTriggerAttribute Queue => (QueueTriggerAttribute)Trigger;
    public TimerTriggerAttribute Timer => (TimerTriggerAttribute)Trigger;
}

/// <summary>Finds the app's functions by their <c>[Function]</c> attribute: the same classes Core Tools would host.</summary>
public static partial class FunctionCatalog
{
    public static IReadOnlyList<FunctionEntry> Discover(Assembly assembly) =>
    [
        .. from type in assembly.GetTypes()
           from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance)
           let function = method.GetCustomAttribute<FunctionAttribute>()
           where function is not null
           let trigger = method.GetParameters().SelectMany(p => p.GetCustomAttributes()).First(IsTrigger)
           select new FunctionEntry(function.Name, type, method, KindOf(trigger), trigger),
    ];

    /// <summary>Resolves <c>%Setting%</c> binding expressions from configuration, as the Functions host does.</summary>
    public static string Resolve(string expression, IConfiguration configuration) =>
        SettingExpression().Replace(expression, match => configuration[match.Groups[1].Value]
            ?? throw new InvalidOperationException($"The binding expression '{expression}' needs the setting '{match.Groups[1].Value}'."));

    private static bool IsTrigger(Attribute attribute) =>
        attribute is HttpTriggerAttribute or QueueTriggerAttribute or TimerTriggerAttribute;

    private static TriggerKind KindOf(Attribute trigger) => trigger switch
    {
        HttpTriggerAttribute => TriggerKind.Http,
        QueueTriggerAttribute => TriggerKind.Queue,
        _ => TriggerKind.Timer,
    };

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex SettingExpression();
}
