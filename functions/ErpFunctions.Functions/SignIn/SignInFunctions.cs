using ErpFunctions.Companies;
using ErpFunctions.Domain.Prerequisites;
using ErpFunctions.Functions.Http;
using ErpFunctions.Operators;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace ErpFunctions.Functions.SignIn;

/// <summary>Signing in to the page with Procore (OAuth authorization code through the app), who is signed in, and signing out.</summary>
public sealed class SignInFunctions(OperatorSignIn signIn, ICompanies companies, OperatorAuthorizer operators, ILogger<SignInFunctions> logger)
{
    private const string CookiePath = "/auth";

    [Function("SignIn")]
    public Task<IActionResult> Start([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "auth/signin")] HttpRequest request) =>
        HttpEndpoint.RunAsync(request, logger, _ =>
        {
            var start = signIn.Start($"{request.Scheme}://{request.Host}/auth/callback");
            SessionCookies.Set(request.HttpContext.Response, SessionCookies.PendingSignIn, start.PendingCookie, start.ExpiresAt, CookiePath);
            return Task.FromResult<IActionResult>(new RedirectResult(start.AuthorizeUrl.ToString()));
        });

    [Function("SignInCallback")]
    public Task<IActionResult> Callback([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "auth/callback")] HttpRequest request) =>
        HttpEndpoint.RunAsync(request, logger, async _ =>
        {
            var outcome = await signIn.CompleteAsync(request.Query["code"], request.Query["state"], request.Query["error"],
                request.Cookies[SessionCookies.PendingSignIn], request.HttpContext.RequestAborted);
            var response = request.HttpContext.Response;
            SessionCookies.Delete(response, SessionCookies.PendingSignIn, CookiePath);
            switch (outcome)
            {
                case SignInOutcome.SignedIn signedIn:
                    SessionCookies.Set(response, SessionCookies.Session, signedIn.SessionCookie, signedIn.ExpiresAt);
                    return new RedirectResult("/app/");
                case SignInOutcome.Refused refused:
                    return new RedirectResult("/app/?signIn=" + refused.Why.ToString().ToLowerInvariant());
                default:
                    throw new InvalidOperationException();
            }
        });

    [Function("SignOut")]
    public Task<IActionResult> SignOut([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/signout")] HttpRequest request) =>
        HttpEndpoint.RunAsync(request, logger, async _ =>
        {
            if (!await signIn.SignOutAsync(SessionCookies.Credentials(request), request.HttpContext.RequestAborted))
            {
                return Problems.Forbidden(
                    $"Signing out from the page must carry '{OperatorCredentials.PageHeader}: {OperatorCredentials.PageHeaderExpected}'.",
                    OperatorCredentials.PageHeader);
            }

            SessionCookies.Delete(request.HttpContext.Response, SessionCookies.Session);
            return new NoContentResult();
        });

    [Function("Me")]
    public Task<IActionResult> Me([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/me")] HttpRequest request) =>
        HttpEndpoint.RunAsOperatorAsync(request, logger, operators, companies.Default, AccessLevel.None, "sign in", (caller, _) =>
            Task.FromResult<IActionResult>(new OkObjectResult(ApiModels.Me(caller))));
}
