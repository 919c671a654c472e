using System.Text.Json;
using System.Text.Json.Serialization;

namespace ErpFunctions.Procore;

/// <summary>What <c>POST /oauth/token</c> answers, whatever the grant: a token and how long it lives, or Procore's refusal.</summary>
internal sealed record ProcoreTokenAnswer(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_in")] long ExpiresIn)
{
    private const string Operation = "POST /oauth/token";

    /// <summary>Procore documents 5,400 seconds; an answer that names no lifetime gets that.</summary>
    public TimeSpan Lifetime => TimeSpan.FromSeconds(ExpiresIn > 0 ? ExpiresIn : 5400);

    /// <summary>The token of a successful answer; a 5xx is a <see cref="ProcoreServerException"/>, another refusal a <see cref="ProcoreApiException"/>.</summary>
    public static async Task<ProcoreTokenAnswer> ReadAsync(HttpResponseMessage response, TimeProvider time, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if ((int)response.StatusCode >= 500)
        {
            throw new ProcoreServerException((int)response.StatusCode, Operation, ProcoreErrors.Message(body),
                ProcoreRateLimitGate.RetryAfter(response, time.GetUtcNow()));
        }

        if (!response.IsSuccessStatusCode)
        {
            // Never echo a secret; Procore's error text names the problem (e.g. invalid_client, invalid_grant).
            throw new ProcoreApiException((int)response.StatusCode, Operation, ProcoreErrors.Message(body));
        }

        ProcoreTokenAnswer? token;
        try
        {
            token = JsonSerializer.Deserialize<ProcoreTokenAnswer>(body, ProcoreJson.Options);
        }
        catch (JsonException)
        {
            throw new ProcoreApiException((int)response.StatusCode, Operation, "the token answer is not JSON");
        }

        return token is { AccessToken.Length: > 0 }
            ? token
            : throw new ProcoreApiException((int)response.StatusCode, Operation, "the token answer holds no access token");
    }
}
