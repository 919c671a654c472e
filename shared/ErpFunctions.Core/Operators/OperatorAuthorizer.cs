using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
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

/// <summary>An operator as Procore knows them, with their level on the ERP Integrations tool.</summary>
public sealed record Operator(long UserId, string Login, string Name, AccessLevel Access)
{
    public string DisplayName => Login.Length > 0 ? Login : Name;
}

public abstract record OperatorCheck
{
    public sealed record Allowed(Operator Operator) : OperatorCheck;

    public sealed record Unauthenticated(string Reason) : OperatorCheck;

    public sealed record Forbidden(string Reason) : OperatorCheck;
}

/// <summary>
/// Operators call with their own Procore token. Procore says who they are and their access level on ERP
/// Integrations; the answer is cached briefly under the token's hash (never the token itself).
/// </summary>
public sealed partial class OperatorAuthorizer(
    IProcoreOperators procore,
    IMemoryCache cache,
    IOptions<OperatorOptions> options,
    ILogger<OperatorAuthorizer> logger)
{
    public async Task<OperatorCheck> AuthorizeAsync(string? authorizationHeader, AccessLevel required, string action,
        CancellationToken cancellationToken)
    {
        var header = authorizationHeader?.Trim() ?? "";
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header[7..].Trim().Length == 0)
        {
            return new OperatorCheck.Unauthenticated("Send your Procore access token as 'Authorization: Bearer <token>'.");
        }

        var token = header[7..].Trim();
        if (!BearerToken().IsMatch(token))
        {
            return new OperatorCheck.Unauthenticated(
                $"The bearer token is not an access token: at most {MaxTokenLength} letters, digits and '-._~+/', then any '='.");
        }

        var key = "operator:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        if (!cache.TryGetValue(key, out Operator? known))
        {
            try
            {
                var me = await procore.GetMeAsync(token, cancellationToken);
                var access = await procore.GetErpToolAccessAsync(token, cancellationToken);
                known = new Operator(me.Id, me.Login ?? "", me.Name ?? "", access);
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
                $"{known.DisplayName} has {Describe(known.Access)} on ERP Integrations; {Describe(required)} or higher is needed to {action}.");
        }

        return new OperatorCheck.Allowed(known);
    }

    /// <summary>RFC 6750's <c>b64token</c>: anything else (a non-ASCII byte, a space) cannot be a Procore token.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9\-._~+/]{1,4096}=*$")]
    private static partial Regex BearerToken();

    private const int MaxTokenLength = 4096;

    public static string Describe(AccessLevel level) => level switch
    {
        AccessLevel.ReadOnly => "Read Only",
        _ => level.ToString(),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Operator {Operator} ({Access}) may not {Action}")]
    private partial void LogRefused(string @operator, AccessLevel access, string action);

    [LoggerMessage(Level = LogLevel.Information, Message = "Procore answered {Status} about an operator's access: {ProcoreMessage}")]
    private partial void LogRefusedByProcore(int status, string procoreMessage);
}
