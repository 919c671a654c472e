using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace ErpFunctions.LocalRunner;

/// <summary>
/// Calls a function method the way the worker would: a fresh instance per invocation from a DI scope, parameters
/// bound from what the trigger provides. The app's functions take no <c>FunctionContext</c>, which keeps them
/// callable from tests and from here.
/// </summary>
public static class FunctionInvoker
{
    public static async Task<object?> InvokeAsync(IServiceProvider services, FunctionEntry function,
        Func<ParameterInfo, object?> bind)
    {
        await using var scope = services.CreateAsyncScope();
        var instance = ActivatorUtilities.CreateInstance(scope.ServiceProvider, function.Class);
        var arguments = function.Method.GetParameters().Select(bind).ToArray();
        object? result;
        try
        {
            result = function.Method.Invoke(instance, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }

        if (result is Task task)
        {
            await task;
            var resultProperty = task.GetType().GetProperty("Result");
            return resultProperty?.PropertyType.Name == "VoidTaskResult" ? null : resultProperty?.GetValue(task);
        }

        return result;
    }

    /// <summary>Binds an HTTP function's parameters: the request, route values by name, the cancellation token.</summary>
    public static object? BindHttp(ParameterInfo parameter, HttpContext context) => parameter.ParameterType switch
    {
        var t when t == typeof(HttpRequest) => context.Request,
        var t when t == typeof(CancellationToken) => context.RequestAborted,
        var t when t == typeof(string) => context.GetRouteValue(parameter.Name!)?.ToString(),
        var t => throw new NotSupportedException($"The local runner cannot bind parameter {parameter.Name} of type {t.Name}."),
    };

    public static async Task WriteAsync(HttpContext context, object? result)
    {
        var action = result as IActionResult ?? new ObjectResult(result);
        await action.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor()));
    }
}
