using ErpFunctions.Functions.Http;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddErpFunctions(builder.Configuration).AddApiJson();
// The host's own spans (each invocation) join the app's traces, and the app's spans go out with the host's.
builder.Services.AddOpenTelemetry().UseFunctionsWorkerDefaults();
builder.Build().Run();
