using ErpFunctions.Functions.Http;
using ErpFunctions.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Functions.Health;

/// <summary>Storage reachable and configuration valid: 200 when both hold, 503 with what is wrong otherwise.</summary>
public sealed class HealthFunction(StorageTables tables, IServiceProvider services)
{
    private static readonly Type[] Options =
    [
        typeof(StorageOptions), typeof(Spectrum.SpectrumOptions), typeof(Procore.ProcoreOptions), typeof(Reimport.ReimportOptions),
        typeof(Operators.OperatorOptions), typeof(ErpFunctions.Resync.ResyncOptions),
    ];

    [Function("Health")]
    public async Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request)
    {
        var checks = new Dictionary<string, string> { ["configuration"] = CheckConfiguration() };
        try
        {
            await tables.GetAsync(StorageTables.Runs, request.HttpContext.RequestAborted);
            checks["storage"] = "ok";
        }
        catch (Exception e) when (e is Azure.RequestFailedException or InvalidOperationException or FormatException or ArgumentException)
        {
            checks["storage"] = $"unreachable: {e.Message}";
        }

        var healthy = checks.Values.All(v => v == "ok");
        return new ObjectResult(new { status = healthy ? "healthy" : "unhealthy", checks })
        {
            StatusCode = healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable,
        };
    }

    private string CheckConfiguration()
    {
        var problems = new List<string>();
        foreach (var type in Options)
        {
            try
            {
                var accessor = services.GetRequiredService(typeof(IOptions<>).MakeGenericType(type));
                _ = accessor.GetType().GetProperty("Value")!.GetValue(accessor);
            }
            catch (System.Reflection.TargetInvocationException e) when (e.InnerException is OptionsValidationException invalid)
            {
                problems.AddRange(invalid.Failures);
            }
        }

        return problems.Count == 0 ? "ok" : string.Join("; ", problems);
    }
}
