using ErpFunctions.Functions.Http;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace ErpFunctions.LocalRunner;

/// <summary>
/// The runner's own error answers (no route, wrong method, a body or URL too large, a request Kestrel could not read)
/// are problem details like the functions' own, naming the part of the request at fault.
/// </summary>
public static class RunnerProblems
{
    /// <summary>Kestrel answers a request line or header block over its limits itself, with no body: its limits sit far above the runner's own.</summary>
    private const int KestrelLineLimit = 1024 * 1024;

    public static void AddRunnerProblems(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestLineSize = KestrelLineLimit;
            kestrel.Limits.MaxRequestHeadersTotalSize = KestrelLineLimit;
            kestrel.Limits.MaxRequestBufferSize = 2 * KestrelLineLimit;
            // A header byte outside ASCII reaches the app (as Latin-1) to be refused with a problem naming the header,
            // rather than being cut off by Kestrel with an empty 400.
            kestrel.RequestHeaderEncodingSelector = _ => System.Text.Encoding.Latin1;
        });
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
            context.ProblemDetails.Type = $"https://httpstatuses.io/{status}";
            if (FieldAtFault(status) is { } field)
            {
                context.ProblemDetails.Extensions.TryAdd("field", field);
            }

            context.ProblemDetails.Extensions.Remove("traceId");
            context.ProblemDetails.Extensions["correlationId"] = context.HttpContext.Response.Headers[RequestReader.CorrelationHeader].ToString() is { Length: > 0 } id
                ? id
                : RequestReader.CorrelationId(context.HttpContext.Request);
            context.ProblemDetails.Detail ??= DetailOf(status, context.HttpContext.Request);
        });
    }

    public static void UseRunnerProblems(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        app.Use(async (context, next) =>
        {
            var maxUrlLength = context.RequestServices.GetRequiredService<IOptions<RunnerOptions>>().Value.MaxUrlLength;
            if (context.Request.Path.Value?.Length + context.Request.QueryString.Value?.Length > maxUrlLength)
            {
                context.Response.StatusCode = StatusCodes.Status414UriTooLong;
                return;
            }

            await next(context);
        });
    }

    private static string? FieldAtFault(int status) => status switch
    {
        StatusCodes.Status404NotFound or StatusCodes.Status414UriTooLong => "url",
        StatusCodes.Status405MethodNotAllowed => "method",
        StatusCodes.Status411LengthRequired or StatusCodes.Status413PayloadTooLarge => "body",
        StatusCodes.Status415UnsupportedMediaType => "Content-Type",
        StatusCodes.Status431RequestHeaderFieldsTooLarge => "headers",
        _ => null,
    };

    private static string DetailOf(int status, HttpRequest request) => status switch
    {
        StatusCodes.Status404NotFound => "No function answers this path; the routes are listed in the README.",
        StatusCodes.Status405MethodNotAllowed => $"This path does not take {RequestReader.Truncate(request.Method)}.",
        StatusCodes.Status413PayloadTooLarge => $"The body may hold at most {RequestReader.MaxBodyBytes} bytes.",
        StatusCodes.Status414UriTooLong => "The URL is longer than the runner accepts.",
        StatusCodes.Status500InternalServerError => "The request failed unexpectedly; quote the correlation id.",
        _ => "The request could not be read.",
    };
}
