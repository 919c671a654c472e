using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using ErpFunctions.Diagnostics;
using ErpFunctions.Domain.Runs;
using ErpFunctions.FunctionTests.Support;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ErpFunctions.FunctionTests;

/// <summary>
/// The app's traces and metrics, caught by OpenTelemetry's in-memory exporter in the local runner: one re-import is one
/// trace from the HTTP request through the queue to the worker and each Procore and Spectrum call. The app's source and
/// meter are the process's, so these tests run alone: no other test's runs may count in their figures.
/// </summary>
[Collection(nameof(TelemetryTests))]
public sealed class TelemetryTests : IAsyncLifetime
{
    private readonly List<Activity> spans = [];
    private readonly List<Metric> metrics = [];
    private RunnerHost runner = null!;

    public async Task InitializeAsync() => runner = await RunnerHost.StartAsync(
        settings => settings["AzureFunctionsJobHost:extensions:queues:maxPollingInterval"] = "00:00:00.200",
        services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans))
            .ConfigureOpenTelemetryMeterProvider(meters => meters.AddInMemoryExporter(metrics)));

    public async Task DisposeAsync() => await runner.DisposeAsync();

    [Fact]
    public async Task One_re_import_is_one_trace_from_the_request_through_the_queue_to_every_Procore_write()
    {
        var request = RunnerHost.Request(HttpMethod.Post, "/api/budgets/22-208/reimport",
            body: new StringContent("""{"confirm": true}""", Encoding.UTF8, "application/json"));
        request.Headers.Add("X-Correlation-Id", "trace-me-1");
        var accepted = await runner.SendAsync(request);
        accepted.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var runId = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("runId").GetString()!;
        await WaitUntilFinishedAsync(runId);
        // The worker's span ends once its handler returns, a moment after the run's row says it finished.
        await WaitForSpanAsync(s => s.DisplayName == "Worker Run" && Equals(s.GetTagItem(Telemetry.RunIdTag), runId));

        var http = Single(s => s.DisplayName == "HTTP POST /api/budgets/{job}/reimport" && Equals(s.GetTagItem(Telemetry.CorrelationIdTag), "trace-me-1"));
        var trace = spans.Where(s => s.TraceId == http.TraceId).ToList();
        foreach (var expected in new[] { "Queue Run", "Worker Run", "Re-import run", "POST /rest/v1.0/budget_line_items/sync",
                     "GET /rest/v1.0/budget_views/{id}/detail_rows", "Spectrum GetPhaseEnhanced", "Spectrum GetJobUDF" })
        {
            trace.Should().Contain(s => s.DisplayName.StartsWith(expected, StringComparison.Ordinal), $"the trace holds '{expected}'");
        }

        http.GetTagItem(Telemetry.CorrelationIdTag).Should().Be("trace-me-1");
        http.GetTagItem(Telemetry.RunIdTag).Should().Be(runId);
        var worker = trace.Single(s => s.DisplayName == "Worker Run");
        (worker.GetTagItem(Telemetry.RunIdTag), worker.GetTagItem(Telemetry.CorrelationIdTag)).Should().Be((runId, "trace-me-1"));
        worker.ParentSpanId.Should().Be(trace.Single(s => s.DisplayName == "Queue Run").SpanId, "the worker continues the trace the message carried");
        var sync = trace.First(s => s.DisplayName == "POST /rest/v1.0/budget_line_items/sync");
        Ancestors(sync, trace).Should().Contain(worker, "each Procore write hangs under the worker's span");
    }

    [Fact]
    public async Task Counts_runs_by_status_lines_written_and_external_calls()
    {
        var request = RunnerHost.Request(HttpMethod.Post, "/api/budgets/22-208/reimport",
            body: new StringContent("""{"confirm": true}""", Encoding.UTF8, "application/json"));
        var runId = JsonDocument.Parse(await (await runner.SendAsync(request)).Content.ReadAsStringAsync()).RootElement.GetProperty("runId").GetString()!;
        var run = await WaitUntilFinishedAsync(runId);
        // The run is counted a moment after its row says it finished.
        await WaitForSpanAsync(s => s.DisplayName == "Worker Run" && Equals(s.GetTagItem(Telemetry.RunIdTag), runId));
        ForceFlush();

        Sum("erp.runs", ("erp.run.status", "Succeeded")).Should().Be(1);
        Sum("erp.lines.written").Should().Be(run.Counts[Domain.Planning.PlanKind.Create] + run.Counts[Domain.Planning.PlanKind.Update]);
        Sum("erp.procore.calls").Should().BeGreaterThanOrEqualTo(run.ProcoreReads + run.ProcoreWrites);
        Sum("erp.spectrum.calls", ("erp.spectrum.service", "GetPhaseEnhanced")).Should().BeGreaterThanOrEqualTo(2);
    }

    private async Task<Runs.RunRecord> WaitUntilFinishedAsync(string runId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var run = await runner.Harness.Runs.FindAsync(runId, default);
            if (run is { } finished && finished.Status.IsFinished())
            {
                finished.Status.Should().Be(RunStatus.Succeeded);
                return finished;
            }

            DateTime.UtcNow.Should().BeBefore(deadline, "the run should finish");
            await Task.Delay(100);
        }
    }

    private async Task WaitForSpanAsync(Func<Activity, bool> predicate)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            ForceFlush();
            lock (spans)
            {
                if (spans.Any(predicate))
                {
                    return;
                }
            }

            DateTime.UtcNow.Should().BeBefore(deadline, "the span should end");
            await Task.Delay(50);
        }
    }

    private void ForceFlush()
    {
        var services = runner.Services;
        services.GetRequiredService<TracerProvider>().ForceFlush();
        services.GetRequiredService<MeterProvider>().ForceFlush();
    }

    private Activity Single(Func<Activity, bool> predicate)
    {
        lock (spans)
        {
            return spans.Single(predicate);
        }
    }

    private static IEnumerable<Activity> Ancestors(Activity span, IReadOnlyList<Activity> trace)
    {
        for (var parent = trace.FirstOrDefault(s => s.SpanId == span.ParentSpanId); parent is not null;
             parent = trace.FirstOrDefault(s => s.SpanId == parent.ParentSpanId))
        {
            yield return parent;
        }
    }

    private long Sum(string name, params (string Key, string Value)[] tags)
    {
        long total = 0;
        foreach (var metric in metrics.Where(m => m.Name == name))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                var pointTags = new Dictionary<string, object?>();
                foreach (var tag in point.Tags)
                {
                    pointTags[tag.Key] = tag.Value;
                }

                if (tags.All(t => Equals(pointTags.GetValueOrDefault(t.Key), t.Value)))
                {
                    total = Math.Max(total, point.GetSumLong());
                }
            }
        }

        return total;
    }
}

[CollectionDefinition(nameof(TelemetryTests), DisableParallelization = true)]
public sealed class TelemetryCollection;
