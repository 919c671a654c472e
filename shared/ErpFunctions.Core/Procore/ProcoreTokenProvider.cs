using ErpFunctions.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Procore;

/// <summary>
/// The service account's access token (OAuth <c>client_credentials</c>), cached until shortly before it expires and
/// fetched once however many calls need it at the same moment.
/// </summary>
public sealed partial class ProcoreTokenProvider(
    IHttpClientFactory httpClients,
    IOptions<ProcoreOptions> options,
    TimeProvider time,
    ILogger<ProcoreTokenProvider> logger)
{
    public const string HttpClientName = "procore-login";

    private readonly SemaphoreSlim refresh = new(1, 1);
    private CachedToken? current;

    /// <param name="meter">Counts the token call, when one is made, with the work that needed it.</param>
    public async ValueTask<string> GetTokenAsync(ApiCallMeter meter, CancellationToken cancellationToken)
    {
        if (Valid(current) is { } token)
        {
            return token;
        }

        await refresh.WaitAsync(cancellationToken);
        try
        {
            if (Valid(current) is { } fetchedMeanwhile)
            {
                return fetchedMeanwhile;
            }

            current = await RequestTokenAsync(meter, cancellationToken);
            return current.Value;
        }
        finally
        {
            refresh.Release();
        }
    }

    /// <summary>Forgets a token Procore refused, so that the next call fetches a new one.</summary>
    public void Invalidate(string refused)
    {
        var token = current;
        if (token?.Value == refused)
        {
            Interlocked.CompareExchange(ref current, null, token);
        }
    }

    private string? Valid(CachedToken? token) => token is not null && time.GetUtcNow() < token.RefreshAt ? token.Value : null;

    private async Task<CachedToken> RequestTokenAsync(ApiCallMeter meter, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = settings.ClientId,
            ["client_secret"] = settings.ClientSecret,
        });

        meter.CountProcoreCall(isWrite: false);
        using var response = await httpClients.CreateClient(HttpClientName)
            .PostAsync(settings.LoginBaseUrl.TrimEnd('/') + "/oauth/token", form, cancellationToken);
        var token = await ProcoreTokenAnswer.ReadAsync(response, time, cancellationToken);
        var lifetime = token.Lifetime;
        var margin = settings.TokenRefreshMargin < lifetime / 2 ? settings.TokenRefreshMargin : lifetime / 2;
        LogTokenIssued(lifetime);
        return new CachedToken(token.AccessToken, time.GetUtcNow() + lifetime - margin);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Procore service token issued, valid for {Lifetime}")]
    private partial void LogTokenIssued(TimeSpan lifetime);

    private sealed record CachedToken(string Value, DateTimeOffset RefreshAt);
}
