using System.ComponentModel.DataAnnotations;
using ErpFunctions.Diagnostics;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Procore;

/// <summary>
/// How operators sign in through the page. Bound from <c>SignIn</c>. The Procore app they sign in through (OAuth
/// authorization code): unset, the service account's app is used, since one Procore app may allow both grants
/// (UNCONFIRMED for a DMSA app, hence the setting).
/// </summary>
public sealed class SignInOptions : IValidatableObject
{
    public const string Section = "SignIn";

    public string? ClientId { get; set; }

    /// <summary>Secret; a Key Vault reference in Azure. Used only with <see cref="ClientId"/>.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// The callback Procore sends the browser back to, as registered with the Procore app; unset, it is the request's
    /// own host with <c>/auth/callback</c> (set it when a proxy or a custom domain stands in front of the app).
    /// </summary>
    [Url]
    public string? RedirectUri { get; set; }

    /// <summary>How long a started sign-in may take (Procore's authorization codes live 10 minutes).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "00:30:00")]
    public TimeSpan PendingFor { get; set; } = TimeSpan.FromMinutes(10);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ClientId is { Length: > 0 } && string.IsNullOrEmpty(ClientSecret))
        {
            yield return new ValidationResult("SignIn:ClientSecret is needed with SignIn:ClientId (the app operators sign in through).",
                [nameof(ClientSecret)]);
        }
    }
}

/// <summary>An operator's Procore access token, as the authorization code was exchanged for it.</summary>
public sealed record OperatorToken(string AccessToken, DateTimeOffset ExpiresAt);

/// <summary>
/// Procore's side of an operator's sign-in: where to send the browser (<c>/oauth/authorize</c>), the code exchanged for
/// the operator's own token (<c>/oauth/token</c>), and the token revoked on sign-out (<c>/oauth/revoke</c>).
/// </summary>
public sealed class ProcoreSignIn(
    IHttpClientFactory httpClients,
    IOptions<ProcoreOptions> procore,
    IOptions<SignInOptions> options,
    TimeProvider time)
{
    private (string Id, string Secret) Client => options.Value.ClientId is { Length: > 0 } id
        ? (id, options.Value.ClientSecret ?? "")
        : (procore.Value.ClientId, procore.Value.ClientSecret);

    private string Login => procore.Value.LoginBaseUrl.TrimEnd('/');

    public Uri AuthorizeUrl(string state, string redirectUri) => new(Login + "/oauth/authorize?" + string.Join('&',
        new Dictionary<string, string> { ["client_id"] = Client.Id, ["response_type"] = "code", ["redirect_uri"] = redirectUri, ["state"] = state }
            .Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}")));

    /// <summary>The operator's token for <paramref name="code"/>; a code Procore refuses is a <see cref="ProcoreApiException"/>.</summary>
    public async Task<OperatorToken> ExchangeCodeAsync(string code, string redirectUri, CancellationToken cancellationToken)
    {
        using var response = await PostAsync("/oauth/token", new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
        }, cancellationToken);
        var token = await ProcoreTokenAnswer.ReadAsync(response, time, cancellationToken);
        return new OperatorToken(token.AccessToken, time.GetUtcNow() + token.Lifetime);
    }

    /// <summary>Revokes the token (Procore answers 200 even for one it does not know).</summary>
    public async Task RevokeAsync(string accessToken, CancellationToken cancellationToken)
    {
        using var response = await PostAsync("/oauth/revoke", new Dictionary<string, string> { ["token"] = accessToken }, cancellationToken);
    }

    private async Task<HttpResponseMessage> PostAsync(string path, Dictionary<string, string> fields, CancellationToken cancellationToken)
    {
        var (id, secret) = Client;
        fields["client_id"] = id;
        fields["client_secret"] = secret;
        Telemetry.ProcoreCalled(isWrite: false);
        return await httpClients.CreateClient(ProcoreTokenProvider.HttpClientName)
            .PostAsync(Login + path, new FormUrlEncodedContent(fields), cancellationToken);
    }

}
