using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ErpFunctions.Simulators.Procore;

/// <summary>
/// <c>POST /oauth/token</c> (client credentials, authorization code, single-use refresh tokens) and
/// <c>GET /oauth/authorize</c>, which approves the seed's demo user and redirects back with a code.
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
                    if (!s.AuthorizationCodes.Remove(Field("code"), out var grant) || grant.ExpiresAt <= s.Now)
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
            var redirect = query["redirect_uri"].ToString();
            if (state.Seed.Clients.All(c => c.ClientId != query["client_id"]) || query["response_type"] != "code")
            {
                return Results.BadRequest(new { error = "invalid_request" });
            }

            if (state.Seed.DemoUserId is not { } demoUser)
            {
                return Results.Content("<p>This simulator approves no user: set demoUserId in its seed.</p>", "text/html", statusCode: 403);
            }

            var code = state.Write(s =>
            {
                var value = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
                s.AuthorizationCodes[value] = (demoUser, s.Now.AddMinutes(10));
                return value;
            });

            if (redirect is "" or "urn:ietf:wg:oauth:2.0:oob")
            {
                return Results.Content($"<p>Authorization code: <code>{code}</code></p>", "text/html");
            }

            var separator = redirect.Contains('?') ? '&' : '?';
            return Results.Redirect($"{redirect}{separator}code={code}&state={Uri.EscapeDataString(query["state"].ToString())}");
        });
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
