using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ErpFunctions.Simulators.Procore;

/// <summary>
/// <c>POST /oauth/token</c> (client credentials, authorization code bound to its redirect URI, single-use refresh
/// tokens), <c>GET /oauth/authorize</c> (a sign-in page for the seed's users, the demo user's email filled in), which
/// redirects back with a code, and <c>POST /oauth/revoke</c>.
/// </summary>
public static class OAuthEndpoints
{
    public static void MapOAuth(this WebApplication app)
    {
        app.MapPost("/oauth/token", async (HttpContext context, ProcoreState state) =>
        {
            var fields = await ReadFieldsAsync(context.Request);
            string Field(string name) => fields.GetValueOrDefault(name) ?? "";
            context.LogDetail("grant_type", Field("grant_type"));

            var client = state.Seed.Clients.FirstOrDefault(c => c.ClientId == Field("client_id"));
            if (client is null || !CryptographicOperations.FixedTimeEquals(
                    System.Text.Encoding.UTF8.GetBytes(client.ClientSecret), System.Text.Encoding.UTF8.GetBytes(Field("client_secret"))))
            {
                return OAuthError(401, "invalid_client", "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.");
            }

            return Field("grant_type") switch
            {
                "client_credentials" => Issue(state, client.UserId, withRefreshToken: false),
                "authorization_code" => state.Write(s =>
                {
                    // A code is single-use, lives 10 minutes, and is good only with the redirect URI it was issued for.
                    if (!s.AuthorizationCodes.Remove(Field("code"), out var grant) || grant.ExpiresAt <= s.Now || grant.RedirectUri != Field("redirect_uri"))
                    {
                        return OAuthError(400, "invalid_grant", "The provided authorization grant is invalid, expired or revoked.");
                    }

                    return Issue(s, grant.UserId, withRefreshToken: true);
                }),
                "refresh_token" => state.Write(s =>
                    s.RefreshTokens.Remove(Field("refresh_token"), out var userId)
                        ? Issue(s, userId, withRefreshToken: true)
                        : OAuthError(400, "invalid_grant", "The provided authorization grant is invalid, expired or revoked.")),
                _ => OAuthError(400, "unsupported_grant_type", "The authorization grant type is not supported."),
            };
        });

        app.MapGet("/oauth/authorize", (HttpContext context, ProcoreState state) =>
        {
            var query = context.Request.Query;
            if (AuthorizeRequestProblem(state, query["client_id"], query["response_type"], query["redirect_uri"]) is { } problem)
            {
                return problem;
            }

            var demo = state.Read(s => s.Seed.DemoUserId is { } id && s.Users.TryGetValue(id, out var user) ? user.Login : "");
            return Results.Content(SignInPage(query["client_id"]!, query["redirect_uri"]!, query["state"].ToString(), demo, error: null), "text/html");
        });

        // The sign-in form posts here: a user of the seed, by login (the simulator asks for no password).
        app.MapPost("/oauth/authorize", async (HttpContext context, ProcoreState state) =>
        {
            var form = await context.Request.ReadFormAsync();
            string Field(string name) => form[name].ToString();
            if (AuthorizeRequestProblem(state, Field("client_id"), "code", Field("redirect_uri")) is { } problem)
            {
                return problem;
            }

            var redirect = Field("redirect_uri");
            var code = state.Write(s =>
            {
                if (s.Users.Values.FirstOrDefault(u => string.Equals(u.Login, Field("login").Trim(), StringComparison.OrdinalIgnoreCase)) is not { } user)
                {
                    return null;
                }

                var value = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
                s.AuthorizationCodes[value] = new SimAuthorizationCode(user.Id, redirect, s.Now.AddMinutes(10));
                return value;
            });
            if (code is null)
            {
                return Results.Content(SignInPage(Field("client_id"), redirect, Field("state"), Field("login"),
                    error: "No Procore user has that email address."), "text/html", statusCode: 401);
            }

            if (redirect == OutOfBand)
            {
                return Results.Content($"<p>Authorization code: <code>{code}</code></p>", "text/html");
            }

            var separator = redirect.Contains('?') ? '&' : '?';
            return Results.Redirect($"{redirect}{separator}code={code}&state={Uri.EscapeDataString(Field("state"))}");
        });

        app.MapPost("/oauth/revoke", async (HttpContext context, ProcoreState state) =>
        {
            var fields = await ReadFieldsAsync(context.Request);
            var token = fields.GetValueOrDefault("token") ?? "";
            state.Write(s =>
            {
                s.Tokens.Remove(token);
                s.RevokedTokens++;
            });
            return Results.Ok(new { });
        });
    }

    private const string OutOfBand = "urn:ietf:wg:oauth:2.0:oob";

    /// <summary>What Procore refuses before showing its sign-in page: an unknown client, another response type, no redirect URI.</summary>
    private static IResult? AuthorizeRequestProblem(ProcoreState state, string? clientId, string? responseType, string? redirectUri)
    {
        if (state.Seed.Clients.All(c => c.ClientId != clientId) || responseType != "code")
        {
            return Results.BadRequest(new { error = "invalid_request" });
        }

        return string.IsNullOrEmpty(redirectUri) || (redirectUri != OutOfBand && !Uri.TryCreate(redirectUri, UriKind.Absolute, out _))
            ? Results.BadRequest(new { error = "invalid_request", error_description = "redirect_uri is missing or not an absolute URI" })
            : null;
    }

    private static string SignInPage(string clientId, string redirectUri, string state, string login, string? error)
    {
        static string Encode(string text) => System.Net.WebUtility.HtmlEncode(text);
        var alert = error is null ? "" : $"<p role='alert'>{Encode(error)}</p>";
        return $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Sign in to Procore (simulator)</title></head>
            <body><main>
            <h1>Sign in to Procore</h1>
            <p>Procore simulator: sign in as one of the seed's users, by email address.</p>
            {{alert}}
            <form method="post" action="/oauth/authorize">
              <input type="hidden" name="client_id" value="{{Encode(clientId)}}">
              <input type="hidden" name="redirect_uri" value="{{Encode(redirectUri)}}">
              <input type="hidden" name="state" value="{{Encode(state)}}">
              <label for="login">Email</label>
              <input id="login" name="login" type="email" autocomplete="username" value="{{Encode(login)}}" required>
              <button type="submit">Sign in</button>
            </form>
            </main></body></html>
            """;
    }

    private static IResult Issue(ProcoreState state, long userId, bool withRefreshToken) => state.Write(s =>
    {
        var token = "sim-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        var lifetime = s.Seed.TokenLifetimeSeconds;
        s.Tokens[token] = new SimToken { Value = token, UserId = userId, ExpiresAt = s.Now.AddSeconds(lifetime) };
        s.TokensIssued++;
        string? refresh = null;
        if (withRefreshToken)
        {
            refresh = "simr-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
            s.RefreshTokens[refresh] = userId;
        }

        return Results.Json(new
        {
            access_token = token,
            token_type = "bearer",
            expires_in = lifetime,
            refresh_token = refresh,
            created_at = s.Now.ToUnixTimeSeconds(),
        }, ProcoreViews.Json);
    });

    private static IResult OAuthError(int status, string error, string description) =>
        Results.Json(new { error, error_description = description }, statusCode: status);

    private static async Task<Dictionary<string, string?>> ReadFieldsAsync(HttpRequest request)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync();
            return form.ToDictionary(f => f.Key, f => (string?)f.Value.ToString());
        }

        try
        {
            var json = await JsonNode.ParseAsync(request.Body) as JsonObject;
            return json?.ToDictionary(p => p.Key, p => p.Value?.ToString()) ?? [];
        }
        catch (System.Text.Json.JsonException)
        {
            return [];
        }
    }
}
