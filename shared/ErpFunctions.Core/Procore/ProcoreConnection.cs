using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ErpFunctions.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;

namespace ErpFunctions.Procore;

/// <summary>A Procore REST call: what to send, and whether sending it twice is harmless.</summary>
/// <param name="Repeatable">
/// Reads, and writes idempotent by construction (sync keyed by id or budget code, update by id). A 429 is always
/// repeated (the call was refused, not applied); a 5xx or a lost answer only when the call is repeatable.
/// </param>
/// <param name="OperatorToken">Act as this user (permission checks) instead of the service account.</param>
public sealed record ProcoreCall(HttpMethod Method, string PathAndQuery, object? Body = null, bool Repeatable = true,
    string? OperatorToken = null)
{
    public string Operation => $"{Method} {PathAndQuery.Split('?')[0]}";
}

/// <param name="HasPagingHeaders">The answer carried <c>Link</c> or <c>Total</c>: a list that says where it ends.</param>
public sealed record ProcoreAnswer(int StatusCode, string Body, string? NextPage, int? Total, bool HasPagingHeaders = false);

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

    public long CompanyId => options.Value.CompanyId;

    public async Task<ProcoreAnswer> SendAsync(ProcoreCall call, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(ProcoreResilience.CallKey, call);
        try
        {
            return await pipeline.ExecuteAsync(
                static (ctx, self) => new ValueTask<ProcoreAnswer>(self.SendOnceAsync(ctx.Properties.GetValue(ProcoreResilience.CallKey, null!), ctx.CancellationToken)),
                context, this);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    public async Task<T> SendAsync<T>(ProcoreCall call, CancellationToken cancellationToken)
    {
        var answer = await SendAsync(call, cancellationToken);
        return Deserialize<T>(answer.Body, call);
    }

    /// <summary>
    /// Every page of a list. When the first page says how many items there are (<c>Total</c>), the other pages are read
    /// in parallel, <c>PageConcurrency</c> at a time; otherwise page after page, following <c>Link: rel="next"</c>, else
    /// (where Procore sends neither) asking for the next page while pages come back full. A list that ignores
    /// <c>page</c> and answers the same page again ends there.
    /// </summary>
    public async Task<List<T>> ListAllAsync<T>(string path, IEnumerable<KeyValuePair<string, string>> query,
        CancellationToken cancellationToken)
    {
        var perPage = options.Value.PageSize;
        var parameters = query.Append(new("per_page", perPage.ToString())).ToList();
        ProcoreCall Page(int page) => new(HttpMethod.Get, WithQuery(path, parameters.Append(new("page", page.ToString()))));

        var first = await SendAsync(Page(1), cancellationToken);
        var items = Deserialize<List<T>>(first.Body, Page(1));
        if (first.Total is { } total && items.Count > 0 && total > items.Count)
        {
            var pages = (int)Math.Ceiling(total / (double)items.Count);
            // Each page is read into items as it arrives, keeping only its fingerprint, so no page's text outlives it.
            var read = new (byte[] Fingerprint, List<T> Items)[pages + 1];
            await Parallel.ForEachAsync(Enumerable.Range(2, pages - 1),
                new ParallelOptions { MaxDegreeOfParallelism = options.Value.PageConcurrency, CancellationToken = cancellationToken },
                async (page, token) =>
                {
                    var answer = await SendAsync(Page(page), token);
                    read[page] = (Fingerprint(answer.Body), Deserialize<List<T>>(answer.Body, Page(page)));
                });
            var previous = Fingerprint(first.Body);
            foreach (var page in Enumerable.Range(2, pages - 1).TakeWhile(page => !read[page].Fingerprint.AsSpan().SequenceEqual(previous)))
            {
                items.AddRange(read[page].Items);
                previous = read[page].Fingerprint;
            }

            return items;
        }

        var last = first;
        var lastItems = items.Count;
        for (var page = 2; lastItems > 0 && (last.NextPage is not null || (last.Total is null && !last.HasPagingHeaders && lastItems >= perPage)); page++)
        {
            var answer = await SendAsync(Page(page), cancellationToken);
            if (answer.Body == last.Body)
            {
                break;
            }

            var pageItems = Deserialize<List<T>>(answer.Body, Page(page));
            items.AddRange(pageItems);
            (last, lastItems) = (answer, pageItems.Count);
        }

        return items;
    }

    public static string WithQuery(string path, IEnumerable<KeyValuePair<string, string>> query)
    {
        var text = string.Join('&', query.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        return text.Length == 0 ? path : path + (path.Contains('?') ? "&" : "?") + text;
    }

    private async Task<ProcoreAnswer> SendOnceAsync(ProcoreCall call, CancellationToken cancellationToken)
    {
        // The gate follows the service account's budget: an operator's own calls neither wait on it nor spend it.
        var serviceCall = call.OperatorToken is null;
        if (serviceCall)
        {
            await rateLimit.WaitForCapacityAsync(call.Operation, cancellationToken);
        }

        var bearer = call.OperatorToken ?? await tokens.GetTokenAsync(cancellationToken);

        using var request = new HttpRequestMessage(call.Method, ToUri(call.PathAndQuery));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        request.Headers.Add("Procore-Company-Id", CompanyId.ToString());
        if (call.Body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(call.Body, ProcoreJson.Options), Encoding.UTF8,
                "application/json");
        }

        ApiCallMeter.CountProcoreCall(isWrite: call.Method != HttpMethod.Get);
        using var response = await http.SendAsync(request, cancellationToken);
        if (serviceCall)
        {
            rateLimit.Observe(response);
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            return new ProcoreAnswer(status, body, NextPage(response), Total(response),
                response.Headers.Contains("Link") || response.Headers.Contains("Total"));
        }

        var message = ProcoreErrors.Message(body);
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

    private Uri ToUri(string pathAndQuery) =>
        Uri.TryCreate(pathAndQuery, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http")
            ? absolute
            : new Uri(options.Value.ApiBaseUrl.TrimEnd('/') + pathAndQuery);

    private static byte[] Fingerprint(string body) => SHA256.HashData(MemoryMarshal.AsBytes(body.AsSpan()));

    private static T Deserialize<T>(string body, ProcoreCall call)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(body, ProcoreJson.Options)
                ?? throw new JsonException("empty body");
        }
        catch (JsonException e)
        {
            throw new ProcoreApiException(200, call.Operation, $"unreadable answer: {e.Message}");
        }
    }

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
