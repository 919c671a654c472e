using ErpFunctions.Diagnostics;
using ErpFunctions.Domain.Companies;
using ErpFunctions.Domain.Jobs;
using ErpFunctions.Domain.Prerequisites;
using ErpFunctions.Failures;
using ErpFunctions.Operators;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace ErpFunctions.Functions.Http;

/// <summary>
/// Runs an HTTP function's body with the request's correlation id on every log line, so that a failure of Procore,
/// Spectrum or storage becomes a problem with a status that says whose it is (502/503), and nothing ever leaves as a
/// stack trace. The operator variants authorize the caller first (a bearer token, or the page's session), and check the
/// job number, then call the body.
/// </summary>
public static partial class HttpEndpoint
{
    public static async Task<IActionResult> RunAsync(HttpRequest request, ILogger logger, Func<string, Task<IActionResult>> handle)
    {
        var correlationId = RequestReader.CorrelationId(request);
        using var scope = logger.BeginCorrelationScope(correlationId);
        // Named by the route's template (HTTP POST /api/budgets/{job}/reimport), not by the ids in each request.
        var route = request.HttpContext.GetEndpoint() is RouteEndpoint endpoint ? "/" + endpoint.RoutePattern.RawText?.TrimStart('/') : request.Path.Value;
        using var span = Telemetry.Start($"HTTP {request.Method} {route}");
        span?.SetTag(Telemetry.CorrelationIdTag, correlationId);
        span?.SetTag("url.path", request.Path.Value);
        try
        {
            return await handle(correlationId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, e.GetType().Name);
            return Problem(request, logger, e, correlationId);
        }
    }

    /// <summary>
    /// Authorizes the operator for <paramref name="action"/> in <paramref name="company"/> (401/403 otherwise), then runs the
    /// body, which works for the company the operator was authorized for (<see cref="Operator.Company"/>).
    /// </summary>
    public static Task<IActionResult> RunAsOperatorAsync(HttpRequest request, ILogger logger, OperatorAuthorizer operators, Company company,
        AccessLevel required, string action, Func<Operator, string, Task<IActionResult>> handle) =>
        RunAsync(request, logger, async correlationId =>
            await operators.AuthorizeAsync(company, SessionCookies.Credentials(request), required, action, request.HttpContext.RequestAborted) switch
            {
                OperatorCheck.Allowed allowed => await handle(allowed.Operator, correlationId),
                OperatorCheck.Unauthenticated refused => Problems.Unauthorized(refused.Reason),
                OperatorCheck.Forbidden refused => Problems.Forbidden(refused.Reason, refused.Field),
                _ => throw new InvalidOperationException(),
            });

    /// <summary>As <see cref="RunAsOperatorAsync"/>, for a route about one job: a route value that is no job number is 400.</summary>
    public static Task<IActionResult> RunForJobAsync(HttpRequest request, ILogger logger, OperatorAuthorizer operators, Company company,
        AccessLevel required, string action, string job, Func<Operator, JobNumber, string, Task<IActionResult>> handle) =>
        RunAsOperatorAsync(request, logger, operators, company, required, action, (caller, correlationId) =>
            JobNumber.TryParse(job, out var number) && number.Value == job
                ? handle(caller, number, correlationId)
                : Task.FromResult<IActionResult>(Problems.BadRequest("job",
                    $"'{RequestReader.Truncate(job)}' is not a Spectrum job number ({JobNumber.Rule}).")));

    private static IActionResult Problem(HttpRequest request, ILogger logger, Exception exception, string correlationId)
    {
        var failure = FailureKinds.Classify(exception);
        if (failure.RateLimitedUntil is { } retryAt)
        {
            var retryAfter = Math.Max(1, (int)Math.Ceiling((retryAt - DateTimeOffset.UtcNow).TotalSeconds));
            request.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString();
            return failure.Source == FailureSource.Spectrum
                ? Problems.Create(StatusCodes.Status503ServiceUnavailable, "Spectrum's daily call budget is spent",
                    $"{FailureKinds.Explain(exception)} Try again in {retryAfter} seconds.")
                : Problems.Create(StatusCodes.Status503ServiceUnavailable, "Procore's rate limit is spent",
                    $"Procore accepts more calls in {retryAfter} seconds; try again then.");
        }

        if (failure.CallerUnauthorized)
        {
            return Problems.Unauthorized("Procore no longer accepts this access token; sign in again.");
        }

        var reference = new Dictionary<string, object?> { ["correlationId"] = correlationId };
        if (failure.IsDependency)
        {
            var system = failure.Source switch { FailureSource.Network => "A remote system", var source => source.ToString() };
            LogDependencyFailed(logger, exception, system, correlationId);
            return Problems.Create(StatusCodes.Status502BadGateway, $"{system} could not answer",
                $"{FailureKinds.Explain(exception)} Quote correlation id {correlationId} when reporting it.", extensions: reference);
        }

        LogUnexpected(logger, exception, correlationId);
        return Problems.Create(StatusCodes.Status500InternalServerError, "Unexpected error",
            $"The request failed unexpectedly; quote correlation id {correlationId}.", extensions: reference);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{System} failed while serving a request (correlation id {CorrelationId})")]
    private static partial void LogDependencyFailed(ILogger logger, Exception exception, string system, string correlationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected failure (correlation id {CorrelationId})")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string correlationId);
}
