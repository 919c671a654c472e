using System.Reflection;
using ErpFunctions.Functions.Hosting;
using ErpFunctions.TestSupport;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ErpFunctions.FunctionTests;

/// <summary>The Function App's host, built as <c>Program.cs</c> builds it, can create every function class it hosts.</summary>
public class CompositionRootTests
{
    private static IEnumerable<Type> Classes => typeof(ErpFunctionsApp).Assembly.GetTypes()
        .Where(t => t.GetMethods().Any(m => m.GetCustomAttribute<FunctionAttribute>() is not null))
        .OrderBy(t => t.FullName);

    public static TheoryData<Type> FunctionClasses => [.. Classes];

    [Theory]
    [MemberData(nameof(FunctionClasses))]
    public async Task Resolves_every_dependency_of_the_function_class_from_the_app_s_own_composition_root(Type functionClass)
    {
        await using var simulators = await ReimportHarness.StartAsync();
        var builder = ErpFunctionsApp.CreateBuilder([]);
        foreach (var (key, value) in simulators.Settings)
        {
            builder.Configuration[key] = value;
        }

        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
        using var host = builder.Build();
        using var scope = host.Services.CreateScope();

        var function = ActivatorUtilities.CreateInstance(scope.ServiceProvider, functionClass);

        function.Should().BeOfType(functionClass);
        functionClass.GetConstructors().Single().GetParameters().Where(p => scope.ServiceProvider.GetService(p.ParameterType) is null)
            .Should().BeEmpty("the worker creates function classes from the container");
    }

    [Fact]
    public void Finds_the_function_classes_it_checks()
    {
        Classes.Should().Contain([typeof(ErpFunctions.Functions.Budgets.BudgetFunctions),
            typeof(ErpFunctions.Functions.Reimports.ReimportQueueFunctions), typeof(ErpFunctions.Functions.Webhooks.ProcoreWebhookFunction)]);
    }
}
