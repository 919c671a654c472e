using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using ErpFunctions.Procore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Operators;

/// <summary>Where to send the browser, and the pending sign-in to keep in its cookie until Procore sends it back.</summary>
public sealed record SignInStart(Uri AuthorizeUrl, string PendingCookie, DateTimeOffset ExpiresAt);

/// <summary>Why a sign-in made no session; the page words each for the operator (no text of the request is shown back).</summary>
public enum SignInRefusal
{
    /// <summary>The pending sign-in took too long, or was started in another browser.</summary>
    Expired,

    /// <summary>Procore sent an error instead of a code (the user declined, say).</summary>
    Denied,

    /// <summary>The <c>state</c> Procore sent back is not the one this browser's sign-in holds.</summary>
    Mismatch,

    /// <summary>Procore did not take the code (used, expired, or for another redirect).</summary>
    CodeRefused,

    /// <summary>Procore could not be reached to exchange the code.</summary>
    Unreachable,
}

public abstract record SignInOutcome
{
    public sealed record SignedIn(string SessionCookie, DateTimeOffset ExpiresAt) : SignInOutcome;

    public sealed record Refused(SignInRefusal Why) : SignInOutcome;
}

/// <summary>
/// Signing operators in with Procore (OAuth authorization code through the app) and out again. The session is the
/// operator's own Procore token, sealed in an HttpOnly cookie; it ends when the token does (refresh tokens are not
/// kept), and signing out revokes the token at Procore.
/// </summary>
public sealed partial class OperatorSignIn(
    ProcoreSignIn procore,
    OperatorSessions sessions,
    OperatorAuthorizer authorizer,
    IOptions<SignInOptions> options,
    TimeProvider time,
    ILogger<OperatorSignIn> logger)
{
    public SignInStart Start(string callbackUri)
    {
        var redirect = options.Value.RedirectUri ?? callbackUri;
        var state = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        var expires = time.GetUtcNow() + options.Value.PendingFor;
        return new SignInStart(procore.AuthorizeUrl(state, redirect), sessions.Seal(new PendingSignIn(state, redirect, expires)), expires);
    }

    /// <param name="error">What Procore sent instead of a code (e.g. <c>access_denied</c>).</param>
    public async Task<SignInOutcome> CompleteAsync(string? code, string? state, string? error, string? pendingCookie,
        CancellationToken cancellationToken)
    {
        if (sessions.OpenSignIn(pendingCookie) is not { } pending)
        {
            return new SignInOutcome.Refused(SignInRefusal.Expired);
        }

        if (!string.IsNullOrEmpty(error))
        {
            return new SignInOutcome.Refused(SignInRefusal.Denied);
        }

        if (string.IsNullOrEmpty(state) || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(state), Encoding.UTF8.GetBytes(pending.State)))
        {
            return new SignInOutcome.Refused(SignInRefusal.Mismatch);
        }

        if (string.IsNullOrEmpty(code))
        {
            return new SignInOutcome.Refused(SignInRefusal.Denied);
        }

        try
        {
            var token = await procore.ExchangeCodeAsync(code, pending.RedirectUri, cancellationToken);
            return new SignInOutcome.SignedIn(sessions.Seal(new OperatorSession(token.AccessToken, token.ExpiresAt)), token.ExpiresAt);
        }
        catch (ProcoreApiException refused) when (refused is not ProcoreServerException)
        {
            LogCodeRefused(refused.StatusCode, refused.ProcoreMessage);
            return new SignInOutcome.Refused(SignInRefusal.CodeRefused);
        }
        catch (Exception e) when (e is ProcoreServerException or HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogUnreachable(e.Message);
            return new SignInOutcome.Refused(SignInRefusal.Unreachable);
        }
    }

    /// <summary>
    /// Revokes the session's token at Procore (the cookie is to be dropped whatever Procore answers); false, and nothing
    /// done, when the call does not carry the page's header, so that another site cannot sign an operator out.
    /// </summary>
    public async Task<bool> SignOutAsync(OperatorCredentials credentials, CancellationToken cancellationToken)
    {
        if (!credentials.FromPage)
        {
            return false;
        }

        if (sessions.Open(credentials.SessionCookie) is { } session)
        {
            authorizer.Forget(session.AccessToken);
            try
            {
                await procore.RevokeAsync(session.AccessToken, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                LogRevokeFailed(e.Message);
            }
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Procore refused a sign-in code ({Status}): {ProcoreMessage}")]
    private partial void LogCodeRefused(int status, string procoreMessage);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Procore could not be reached to finish a sign-in: {Reason}")]
    private partial void LogUnreachable(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signing out could not revoke the token at Procore: {Reason}")]
    private partial void LogRevokeFailed(string reason);
}
