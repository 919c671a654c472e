using ErpFunctions.Operators;
using Microsoft.AspNetCore.Http;

namespace ErpFunctions.Functions.Http;

/// <summary>
/// The page's cookies: the session (the operator's sealed Procore token) and the sign-in pending while the browser is
/// at Procore. Both are HttpOnly, Secure and SameSite=Lax: Lax, because Procore's redirect back to the callback is a
/// navigation from another site, which must carry the pending sign-in.
/// </summary>
public static class SessionCookies
{
    public const string Session = "erp_session";
    public const string PendingSignIn = "erp_signin";

    public static OperatorCredentials Credentials(HttpRequest request) => new(
        request.Headers.Authorization.ToString(),
        request.Cookies[Session],
        !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method),
        request.Headers[OperatorCredentials.PageHeader].ToString());

    public static void Set(HttpResponse response, string name, string value, DateTimeOffset expires, string path = "/") =>
        response.Cookies.Append(name, value, Options(expires, path));

    public static void Delete(HttpResponse response, string name, string path = "/") =>
        response.Cookies.Delete(name, Options(DateTimeOffset.UnixEpoch, path));

    private static CookieOptions Options(DateTimeOffset expires, string path) => new()
    {
        HttpOnly = true,
        Secure = true,
        SameSite = SameSiteMode.Lax,
        Path = path,
        Expires = expires,
        IsEssential = true,
    };
}
