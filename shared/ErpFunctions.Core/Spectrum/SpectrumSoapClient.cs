using System.Net.Http.Headers;
using System.Text;
using ErpFunctions.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;

namespace ErpFunctions.Spectrum;

/// <summary>Sends one Get call as raw SOAP 1.1 and returns its parsed rows, retrying what is worth retrying.</summary>
public sealed partial class SpectrumSoapClient(
    HttpClient http,
    SpectrumCallBudget budget,
    IOptions<SpectrumOptions> options,
    ResiliencePipelineProvider<string> pipelines,
    ILogger<SpectrumSoapClient> logger)
{
    private readonly ResiliencePipeline pipeline = pipelines.GetPipeline(SpectrumResilience.PipelineName);

    public Task<SpectrumResponse> CallAsync(CallContext calls,
        SpectrumService service, IReadOnlyDictionary<string, string> arguments, CancellationToken cancellationToken) =>
        pipeline.ExecuteAsync(token => new ValueTask<SpectrumResponse>(SendOnceAsync(calls, service, arguments, token)),
            cancellationToken).AsTask();

    private async Task<SpectrumResponse> SendOnceAsync(CallContext calls,
        SpectrumService service, IReadOnlyDictionary<string, string> arguments, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var endpoint = new Uri(settings.BaseUrl.TrimEnd('/') + "/ws/" + service.Name);
        var envelope = SoapEnvelope.Build(service, settings.AuthorizationId, Guid.NewGuid(), arguments);

        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint);
        request.Content = new StringContent(envelope, Encoding.UTF8);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation("SOAPAction", endpoint.ToString());

        await budget.TakeAsync(calls, service, cancellationToken);
        using var span = Telemetry.Start("Spectrum " + service.Name, System.Diagnostics.ActivityKind.Client);
        span?.SetTag("erp.spectrum.service", service.Name);
        calls.Meter.CountSpectrumCall(service.Name);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        using var body = await SpectrumAnswerText.ReadAsync(response.Content, cancellationToken);

        var parsed = SpectrumResponseParser.Parse(body.Span, service);
        if (!response.IsSuccessStatusCode)
        {
            throw new SpectrumHttpException(service.Name, (int)response.StatusCode);
        }

        span?.SetTag("erp.spectrum.rows", parsed.Rows.Count);
        span?.SetTag("erp.spectrum.completeness", parsed.Completeness.ToString());
        if (parsed.Completeness != Completeness.Complete)
        {
            LogCut(service.Name, parsed.Completeness, parsed.Rows.Count);
        }

        return parsed;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spectrum {Service} answered {Completeness} after {RowCount} whole rows")]
    private partial void LogCut(string service, Completeness completeness, int rowCount);
}
