using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ErpFunctions.Companies;
using ErpFunctions.Diagnostics;
using ErpFunctions.Domain.Companies;
using ErpFunctions.Domain.Prerequisites;
using ErpFunctions.Procore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Operators;

public sealed class OperatorOptions
{
    public const string Section = "Operators";

    /// <summary>How long Procore's answer about a token (who, which access level) is reused.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>An operator as Procore knows them, with their level on the company's ERP Integrations tool.</summary>
/// <param name="Company">The company the operator was authorized for: the one their request works for.</param>
public sealed record Operator(long UserId, string Login, string Name, AccessLevel Access, Company Company)
{
    public string DisplayName => Login.Length > 0 ? Login : Name;
}

public abstract record OperatorCheck
{
    public sealed record Allowed(Operator Operator) : OperatorCheck;

    public sealed record Unauthenticated(string Reason) : OperatorCheck;

    /// <param name="Field">The part of the request that falls short: the credential, or the header a page's call lacks.</param>
    public sealed record Forbidden(string Reason, string Field = OperatorCredentials.AuthorizationField) : OperatorCheck;
}

/// <summary>
/// What a request carries to say who sends it: a bearer token (scripts), or the page's session cookie. A call from the
/// page that changes anything must also carry <see cref="PageHeader"/>, which a cross-site form or link cannot send,
/// so that another site cannot make a signed-in browser re-import.
/// </summary>
/// <param name="ChangesState">The request is not a read (POST and the like).</param>
/// <param name="PageHeaderValue">The value of <see cref="PageHeader"/>, empty when absent.</param>
public sealed record OperatorCredentials(string? AuthorizationHeader, string? SessionCookie, bool ChangesState, string PageHeaderValue)
{
    public const string AuthorizationField = "Authorization";
    public const string PageHeader = "X-Requested-With";
    public const string PageHeaderExpected = "ErpFunctions";

    /// <summary>The request carries the page's header, so it was sent by the page's own script.</summary>
    public bool FromPage => PageHeaderValue == PageHeaderExpected;
}

/// <summary>
/// Operators call with their own Procore token. Procore says who they are and their access level on the company's ERP
/// Integrations tool; the answer is cached briefly under the company and the token's hash (never the token itself).
/// </summary>
public sealed partial class OperatorAuthorizer(
    ICompanies companies,
    IProcoreOperators procore,
    OperatorSessions sessions,
    IMemoryCache cache,
    IOptions<OperatorOptions> options,
    ILogger<OperatorAuthorizer> logger)
{
    /// <summary>The bearer token when one is sent, else the page's session.</summary>
    public Task<OperatorCheck> AuthorizeAsync(Company company, OperatorCredentials credentials, AccessLevel required, string action,
        CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(credentials.AuthorizationHeader) || string.IsNullOrEmpty(credentials.SessionCookie))
        {
            return AuthorizeAsync(company, credentials.AuthorizationHeader, required, action, cancellationToken);
        }

        if (credentials.ChangesState && !credentials.FromPage)
        {
            return Task.FromResult<OperatorCheck>(new OperatorCheck.Forbidden(
                $"A change asked for with the page's session must carry '{OperatorCredentials.PageHeader}: {OperatorCredentials.PageHeaderExpected}'.",
                OperatorCredentials.PageHeader));
        }

        return sessions.Open(credentials.SessionCookie) is { } session
            ? AuthorizeTokenAsync(company, session.AccessToken, required, action, cancellationToken)
            : Task.FromResult<OperatorCheck>(new OperatorCheck.Unauthenticated("Your sign-in has ended; sign in with Procore again."));
    }

    public async Task<OperatorCheck> AuthorizeAsync(Company company, string? authorizationHeader, AccessLevel required, string action,
        CancellationToken cancellationToken)
    {
        var header = authorizationHeader?.Trim() ?? "";
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header[7..].Trim().Length == 0)
        {
            return new OperatorCheck.Unauthenticated("Sign in with Procore, or send your Procore access token as 'Authorization: Bearer <token>'.");
        }

        var token = header[7..].Trim();
        return await AuthorizeTokenAsync(company, token, required, action, cancellationToken);
    }

    private async Task<OperatorCheck> AuthorizeTokenAsync(Company company, string token, AccessLevel required, string action,
        CancellationToken cancellationToken)
    {
        if (!BearerToken().IsMatch(token))
        {
            return new OperatorCheck.Unauthenticated(
                $"The bearer token is not an access token: at most {MaxTokenLength} letters, digits and '-._~+/', then any '='.");
        }

        var key = CacheKey(company, token);
        if (!cache.TryGetValue(key, out Operator? known))
        {
            try
            {
                var calls = CallContext.For(company);
                var me = await procore.GetMeAsync(calls, token, cancellationToken);
                var access = await procore.GetErpToolAccessAsync(calls, token, cancellationToken);
                known = new Operator(me.Id, me.Login ?? "", me.Name ?? "", access, company);
            }
            catch (ProcoreUnauthorizedException)
            {
                return new OperatorCheck.Unauthenticated("Procore does not accept this access token; sign in again.");
            }
            catch (ProcoreApiException e) when (e.StatusCode is 403 or 404)
            {
                LogRefusedByProcore(e.StatusCode, e.ProcoreMessage);
                return new OperatorCheck.Forbidden("Procore refuses this user access to the company's ERP Integrations tool.");
            }

            cache.Set(key, known, options.Value.CacheDuration);
        }

        if (known!.Access < required)
        {
            LogRefused(known.DisplayName, known.Access, action);
            return new OperatorCheck.Forbidden(
                $"{known.DisplayName} has {known.Access.Describe()} on ERP Integrations; {required.Describe()} or higher is needed to {action}.");
        }

        return new OperatorCheck.Allowed(known);
    }

    /// <summary>Forgets what Procore said about a token (signed out: it must not be taken on the strength of the cache).</summary>
    public void Forget(string token)
    {
        foreach (var company in companies.All)
        {
            cache.Remove(CacheKey(company, token));
        }
    }

    private static string CacheKey(Company company, string token) =>
        $"operator:{company.Code}:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>RFC 6750's <c>b64token</c>: anything else (a non-ASCII byte, a space) cannot be a Procore token.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9\-._~+/]{1,4096}=*$")]
    private static partial Regex BearerToken();

    private const int MaxTokenLength = 4096;

    [LoggerMessage(Level = LogLevel.Information, Message = "Operator {Operator} ({Access}) may not {Action}")]
    private partial void LogRefused(string @operator, AccessLevel access, string action);

    [LoggerMessage(Level = LogLevel.Information, Message = "Procore answered {Status} about an operator's access: {ProcoreMessage}")]
    private partial void LogRefusedByProcore(int status, string procoreMessage);
}
