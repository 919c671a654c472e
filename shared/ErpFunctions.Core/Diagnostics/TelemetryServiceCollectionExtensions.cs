using Azure.Monitor.OpenTelemetry.Exporter;
using ErpFunctions.Diagnostics;
using Microsoft.Extensions.Configuration;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.DependencyInjection;

public static class TelemetryServiceCollectionExtensions
{
    public const string ApplicationInsightsSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>
    /// OpenTelemetry traces and metrics of the app's own spans and meters and of its outgoing HTTP calls, exported to
    /// Application Insights when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set (nothing is exported otherwise).
    /// </summary>
    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var telemetry = services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddSource(Telemetry.Name).AddHttpClientInstrumentation())
            .WithMetrics(metrics => metrics.AddMeter(Telemetry.Name).AddHttpClientInstrumentation());
        if (configuration[ApplicationInsightsSetting] is { Length: > 0 } connectionString)
        {
            telemetry.UseAzureMonitorExporter(o => o.ConnectionString = connectionString);
        }

        return services;
    }
}
