using ErpFunctions.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ErpFunctions.Functions.Hosting;

/// <summary>
/// The app's one composition root: every service the functions need, the API's JSON, and telemetry with the Functions
/// worker's own defaults. The Function App (<see cref="CreateBuilder"/>) and the local runner compose the app with it alone.
/// </summary>
public static class ErpFunctionsApp
{
    public static IServiceCollection AddErpFunctionsApp(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddErpFunctions(configuration).AddApiJson();
        // The host's own spans (each invocation) join the app's traces, and the app's spans go out with the host's.
        services.AddOpenTelemetry().UseFunctionsWorkerDefaults();
        return services;
    }

    /// <summary>The Function App's host builder, as <c>Program.cs</c> runs it.</summary>
    public static FunctionsApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();
        builder.Services.AddErpFunctionsApp(builder.Configuration);
        return builder;
    }
}
