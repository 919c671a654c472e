using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ErpFunctions.Diagnostics;

/// <summary>
/// The app's traces and metrics (OpenTelemetry through .NET's own <see cref="ActivitySource"/> and <see cref="Meter"/>):
/// one re-import is one trace, from the HTTP request through the queue to the worker and each Spectrum and Procore call.
/// </summary>
public static class Telemetry
{
    public const string Name = "ErpFunctions";

    public const string RunIdTag = "erp.run_id";
    public const string CorrelationIdTag = "erp.correlation_id";
    public const string JobTag = "erp.job";
    public const string CompanyTag = "erp.company";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Runs = Meter.CreateCounter<long>("erp.runs", "{run}", "Re-imports that finished, by status");
    private static readonly Counter<long> LinesWritten = Meter.CreateCounter<long>("erp.lines.written", "{line}", "Budget lines Procore holds as planned after a run");
    private static readonly Counter<long> ProcoreCalls = Meter.CreateCounter<long>("erp.procore.calls", "{call}", "Calls to Procore, reads and writes");
    private static readonly Counter<long> RateLimitWaits = Meter.CreateCounter<long>("erp.procore.rate_limit.waits", "{wait}", "Times a call waited for Procore's rate limit");
    private static readonly Counter<long> SpectrumCalls = Meter.CreateCounter<long>("erp.spectrum.calls", "{call}", "Calls to Spectrum's Data Exchange, by service");

    /// <summary>A span of work inside the app, a child of whatever span is current.</summary>
    public static Activity? Start(string name, ActivityKind kind = ActivityKind.Internal) => Source.StartActivity(name, kind);

    /// <summary>A span that continues the trace a queue message carried (its W3C <c>traceparent</c>), or starts one.</summary>
    public static Activity? Continue(string name, string? traceParent, string? traceState) =>
        ActivityContext.TryParse(traceParent, traceState, out var parent)
            ? Source.StartActivity(name, ActivityKind.Consumer, parent)
            : Source.StartActivity(name, ActivityKind.Consumer);

    public static void RunFinished(string status, int linesWritten)
    {
        Runs.Add(1, new KeyValuePair<string, object?>("erp.run.status", status));
        LinesWritten.Add(linesWritten);
    }

    public static void ProcoreCalled(bool isWrite) => ProcoreCalls.Add(1, new KeyValuePair<string, object?>("erp.procore.call", isWrite ? "write" : "read"));

    public static void ProcoreRateLimitWaited() => RateLimitWaits.Add(1);

    public static void SpectrumCalled(string service) => SpectrumCalls.Add(1, new KeyValuePair<string, object?>("erp.spectrum.service", service));
}
