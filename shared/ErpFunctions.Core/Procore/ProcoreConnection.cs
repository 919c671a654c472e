using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using ErpFunctions.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;

namespace ErpFunctions.Procore;

/// <summary>A Procore REST call: whom it is for, what to send, and whether sending it twice is harmless.</summary>
/// <param name="Calls">The company it is made for (<c>Procore-Company-Id</c>), and the meter that counts it.</param>
/// <param name="Repeatable">
/// Reads, and writes idempotent by construction (sync keyed by id or budget code, update by id). A 429 is always
/// repeated (the call was refused, not applied); a 5xx or a lost answer only when the call is repeatable.
/// </param>
/// <param name="OperatorToken">Act as this user (permission checks) instead of the service account.</param>
public sealed record ProcoreCall(CallContext Calls, HttpMethod Method, string PathAndQuery, object? Body = null, bool Repeatable = true,
    string? OperatorToken = null)
{
    public string Operation => $"{Method} {PathAndQuery.Split('?')[0]}";
}

/// <summary>What Procore answered to a call that succeeded, read as it arrived.</summary>
/// <param name="Fingerprint">A hash of the whole body, to tell a page answered twice.</param>
/// <param name="HasLinkHeader">The answer carried <c>Link</c>: a list that says which page comes next.</param>
public sealed record ProcoreAnswer<T>(T Value, string? NextPage, int? Total, byte[] Fingerprint, bool HasLinkHeader = false);

/// <summary>
/// Sends Procore calls: bearer token and <c>Procore-Company-Id</c> on every call, rate-limit headers followed,
/// 429 waited out, 503 <c>Retry-After</c> honoured, transient failures retried only where repeating is safe.
/// </summary>
public sealed partial class ProcoreConnection(
    HttpClient http,
    ProcoreTokenProvider tokens,
    ProcoreRateLimitGate rateLimit,
    IOptions<ProcoreOptions> options,
    ResiliencePipelineProvider<string> pipelines,
    TimeProvider time,
    ILogger<ProcoreConnection> logger)
{
    private readonly ResiliencePipeline pipeline = pipelines.GetPipeline(ProcoreResilience.PipelineName);

    /// <summary>Sends the call; an answer that is not a success is thrown as the exception it stands for.</summary>
    public Task SendAsync(ProcoreCall call, CancellationToken cancellationToken) =>
        SendAsync(call, static (_, _) => ValueTask.FromResult(true), cancellationToken);

    public async Task<T> SendAsync<T>(ProcoreCall call, CancellationToken cancellationToken) =>
        (await SendAsync(call, Reader<T>(call), cancellationToken)).Value;

    /// <summary>
    /// Sends the call and reads its answer with <paramref name="read"/> as the body arrives, inside the attempt: an answer
    /// lost halfway is retried as a lost answer, and no answer is held whole as text.
    /// </summary>
    public async Task<ProcoreAnswer<T>> SendAsync<T>(ProcoreCall call, Func<Stream, CancellationToken, ValueTask<T>> read,
        CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(ProcoreResilience.CallKey, call);
        try
        {
            return await pipeline.ExecuteAsync(
                static (ctx, state) => new ValueTask<ProcoreAnswer<T>>(
                    state.Self.SendOnceAsync(ctx.Properties.GetValue(ProcoreResilience.CallKey, null!), state.Read, ctx.CancellationToken)),
                context, (Self: this, Read: read));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    public static string WithQuery(string path, IEnumerable<KeyValuePair<string, string>> query)
    {
        var text = string.Join('&', query.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        return text.Length == 0 ? path : path + (path.Contains('?') ? "&" : "?") + text;
    }

    private async Task<ProcoreAnswer<T>> SendOnceAsync<T>(ProcoreCall call, Func<Stream, CancellationToken, ValueTask<T>> read,
        CancellationToken cancellationToken)
    {
        // The gate follows the service account's budget: an operator's own calls neither wait on it nor spend it.
        var serviceCall = call.OperatorToken is null;
        if (serviceCall)
        {
            await rateLimit.WaitForCapacityAsync(call.Operation, cancellationToken);
        }

        var bearer = call.OperatorToken ?? await tokens.GetTokenAsync(call.Calls.Meter, cancellationToken);

        using var request = new HttpRequestMessage(call.Method, ToUri(call.PathAndQuery));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        request.Headers.Add("Procore-Company-Id", call.Calls.Company.ProcoreCompanyId.ToString());
        if (call.Body is not null)
        {
            request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(call.Body, ProcoreJson.Options))
            {
                Headers = { ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" } },
            };
        }

        using var span = Telemetry.Start(NumericSegment().Replace(call.Operation, "/{id}"), System.Diagnostics.ActivityKind.Client);
        span?.SetTag("http.request.method", call.Method.Method);
        span?.SetTag("url.path", call.PathAndQuery.Split('?')[0]);
        call.Calls.Meter.CountProcoreCall(isWrite: call.Method != HttpMethod.Get);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        span?.SetTag("http.response.status_code", (int)response.StatusCode);
        if (serviceCall)
        {
            rateLimit.Observe(response);
        }

        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            return await ReadAnswerAsync(response, read, cancellationToken);
        }

        span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error);
        var message = ProcoreErrors.Message(await response.Content.ReadAsStringAsync(cancellationToken));
        LogRefused(call.Operation, status, message);
        switch (response.StatusCode)
        {
            case HttpStatusCode.Unauthorized when call.OperatorToken is null:
                tokens.Invalidate(bearer);
                throw new ProcoreServiceTokenRefusedException(call.Operation, message);
            case HttpStatusCode.Unauthorized:
                throw new ProcoreUnauthorizedException(call.Operation, message);
            case HttpStatusCode.TooManyRequests:
                throw new ProcoreRateLimitedException(call.Operation, rateLimit.RetryAt(response));
            case >= HttpStatusCode.InternalServerError:
                throw new ProcoreServerException(status, call.Operation, message,
                    ProcoreRateLimitGate.RetryAfter(response, time.GetUtcNow()));
            default:
                throw ProcoreApiException.From(status, call.Operation, message);
        }
    }

    /// <summary>Reads a successful answer through <paramref name="read"/>, hashing the body on the way.</summary>
    private static async Task<ProcoreAnswer<T>> ReadAnswerAsync<T>(HttpResponseMessage response, Func<Stream, CancellationToken, ValueTask<T>> read,
        CancellationToken cancellationToken)
    {
        using var hash = SHA256.Create();
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            await using var hashed = new CryptoStream(body, hash, CryptoStreamMode.Read);
            var value = await read(hashed, cancellationToken);
            // The rest of the body (whitespace after the JSON, or all of it when the reader needs none) is in the hash too.
            await hashed.CopyToAsync(Stream.Null, cancellationToken);
            return new ProcoreAnswer<T>(value, NextPage(response), Total(response), hash.Hash!,
                response.Headers.Contains("Link"));
        }
        catch (IOException lost)
        {
            // The connection ended inside the body: an answer lost on the way, as when it never came.
            throw new HttpRequestException($"Procore's answer was cut off: {lost.Message}", lost);
        }
    }

    /// <summary>Deserializes the body as <typeparamref name="T"/>; one that is not is Procore's fault, reported as such.</summary>
    private static Func<Stream, CancellationToken, ValueTask<T>> Reader<T>(ProcoreCall call) => async (body, cancellationToken) =>
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(body, ProcoreJson.Options, cancellationToken)
                ?? throw new JsonException("empty body");
        }
        catch (JsonException e)
        {
            throw new ProcoreApiException(200, call.Operation, $"unreadable answer: {e.Message}");
        }
    };

    private Uri ToUri(string pathAndQuery) =>
        Uri.TryCreate(pathAndQuery, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http")
            ? absolute
            : new Uri(options.Value.ApiBaseUrl.TrimEnd('/') + pathAndQuery);

    /// <summary>An id in a path (<c>/projects/3000000101</c>): span names keep the path's shape, not its ids.</summary>
    [GeneratedRegex(@"/\d+(?=/|$)")]
    private static partial Regex NumericSegment();

    [GeneratedRegex("<(?<url>[^>]+)>\\s*;\\s*rel=\"?next\"?", RegexOptions.IgnoreCase)]
    private static partial Regex NextLink();

    private static string? NextPage(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Link", out var links)
            ? links.Select(l => NextLink().Match(l)).FirstOrDefault(m => m.Success)?.Groups["url"].Value
            : null;

    private static int? Total(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Total", out var values) && int.TryParse(values.FirstOrDefault(), out var total)
            ? total
            : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Procore answered {StatusCode} to {Operation}: {ProcoreMessage}")]
    private partial void LogRefused(string operation, int statusCode, string procoreMessage);

}
