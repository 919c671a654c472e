using Azure;
using ErpFunctions.Functions.Http;
using ErpFunctions.Operators;
using ErpFunctions.Procore;
using ErpFunctions.Spectrum;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace ErpFunctions.Functions.Http;

/// <summary>
/// Runs an HTTP function's body so that a failure of Procore, Spectrum or storage becomes a problem with a status
/// that says whose it is (502/503), and nothing ever leaves as a stack trace.
/// </summary>
public static partial class HttpEndpoint
{
    public static async Task<IActionResult> RunAsync(HttpRequest request, ILogger logger, Func<string, Task<IActionResult>> handle)
    {
        var correlationId = RequestReader.CorrelationId(request);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = correlationId });
        try
        {
            return await handle(correlationId);
        }
        catch (ProcoreRateLimitedException e)
        {
            var retryAfter = Math.Max(1, (int)Math.Ceiling((e.RetryAt - DateTimeOffset.UtcNow).TotalSeconds));
            request.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString();
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, "Procore's rate limit is spent",
                $"Procore accepts more calls in {retryAfter} seconds; try again then.");
        }
        catch (ProcoreUnauthorizedException e)
        {
            return Problems.Unauthorized($"Procore refused the token: {e.ProcoreMessage}");
        }
        catch (Exception e) when (e is ProcoreApiException or SpectrumException or HttpRequestException or RequestFailedException)
        {
            var system = e switch { ProcoreApiException => "Procore", SpectrumException => "Spectrum", RequestFailedException => "Storage", _ => "A remote system" };
            LogDependencyFailed(logger, e, system, e.Message);
            return Problems.Create(StatusCodes.Status502BadGateway, $"{system} could not answer", e.Message,
                extensions: new Dictionary<string, object?> { ["correlationId"] = correlationId });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogUnexpected(logger, e, correlationId);
            return Problems.Create(StatusCodes.Status500InternalServerError, "Unexpected error",
                $"The request failed unexpectedly; quote correlation id {correlationId}.",
                extensions: new Dictionary<string, object?> { ["correlationId"] = correlationId });
        }
    }

    /// <summary>The operator behind the request, or the 401/403 problem that refuses them.</summary>
    public static async Task<(Operator? Operator, IActionResult? Refusal)> AuthorizeAsync(OperatorAuthorizer authorizer, HttpRequest request,
        ProcoreAccessLevel required, string action)
    {
        return await authorizer.AuthorizeAsync(request.Headers.Authorization.ToString(), required, action, request.HttpContext.RequestAborted) switch
        {
            OperatorCheck.Allowed allowed => (allowed.Operator, null),
            OperatorCheck.Unauthenticated refused => (null, Problems.Unauthorized(refused.Reason)),
            OperatorCheck.Forbidden refused => (null, Problems.Forbidden(refused.Reason)),
            _ => throw new InvalidOperationException(),
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{System} failed while serving a request: {Reason}")]
    private static partial void LogDependencyFailed(ILogger logger, Exception exception, string system, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected failure (correlation id {CorrelationId})")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string correlationId);
}
