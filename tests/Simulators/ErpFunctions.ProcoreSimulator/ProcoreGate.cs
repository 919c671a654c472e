using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ErpFunctions.Simulators.Procore;

/// <summary>
/// What Procore does before any <c>/rest</c> endpoint: count the call against the rate limit (refused calls count too)
/// and answer 429 when it is spent, require a valid bearer token, and require <c>Procore-Company-Id</c>.
/// </summary>
public static class ProcoreGate
{
    public const string MissingCompanyHeader = "Missing Procore-Company-Id header!";
    public const string RateLimitMessage = "You have surpassed the max number of requests for an hour. Please wait until your limit resets.";
    private const string UserKey = "procore.user";
    private const string CompanyKey = "procore.company";

    /// <summary>Paths a user's own token may call without the company header (not so a service account's).</summary>
    private static readonly string[] CompanyHeaderExempt = ["/rest/v1.0/me", "/rest/v1.0/companies"];

    public static SimUser User(this HttpContext context) => (SimUser)context.Items[UserKey]!;

    public static long? CompanyFromHeader(this HttpContext context) => context.Items[CompanyKey] as long?;

    public static IResult Error(int status, string message) =>
        Results.Json(new { errors = message }, ProcoreViews.Json, statusCode: status);

    public static void UseProcoreGate(this WebApplication app)
    {
        var limiter = app.Services.GetRequiredService<ProcoreRateLimiter>();
        var state = app.Services.GetRequiredService<ProcoreState>();

        app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments("/rest"))
            {
                await next(context);
                return;
            }

            var companyHeader = context.Request.Headers["Procore-Company-Id"].ToString();
            context.LogDetail("company", companyHeader);
            var verdict = limiter.Take(companyHeader);
            var headers = context.Response.Headers;
            headers["X-Rate-Limit-Limit"] = verdict.Limit.ToString();
            headers["X-Rate-Limit-Remaining"] = verdict.Remaining.ToString();
            headers["X-Rate-Limit-Reset"] = verdict.ResetUnixSeconds.ToString();
            if (!verdict.Allowed)
            {
                await Write(context, 429, RateLimitMessage);
                return;
            }

            var failure = Authorize(context, state, companyHeader);
            if (failure is not null)
            {
                await Write(context, failure.Value.Status, failure.Value.Message);
                return;
            }

            await next(context);
        });
    }

    private static (int Status, string Message)? Authorize(HttpContext context, ProcoreState state, string companyHeader)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        var token = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : "";
        var (user, expired) = state.Read(s =>
        {
            var known = s.Tokens.GetValueOrDefault(token);
            return (known is null ? null : s.Users.GetValueOrDefault(known.UserId), known?.ExpiresAt <= s.Now);
        });

        if (user is null || expired)
        {
            context.LogDetail("auth", "refused");
            return (401, expired ? "The access token expired" : "The access token is invalid");
        }

        context.Items[UserKey] = user;
        context.LogDetail("auth", user.IsServiceAccount ? "service" : "user");
        context.LogDetail("user", user.Id.ToString());

        if (companyHeader.Length == 0)
        {
            var exempt = !user.IsServiceAccount && CompanyHeaderExempt.Contains(context.Request.Path.Value);
            return exempt ? null : (400, MissingCompanyHeader);
        }

        if (!long.TryParse(companyHeader, out var company) || !state.Read(s => s.Companies.ContainsKey(company)))
        {
            return (404, $"Couldn't find Company with 'id'={companyHeader}");
        }

        if (!user.Companies.Contains(company))
        {
            return (403, "App is not connected to this company");
        }

        context.Items[CompanyKey] = company;
        return null;
    }

    private static Task Write(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { errors = message }));
    }
}
