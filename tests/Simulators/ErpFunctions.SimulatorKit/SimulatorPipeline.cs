using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ErpFunctions.Simulators;

public static class SimulatorPipeline
{
    public const string AdminPrefix = "/_sim";
    private const string DetailsKey = "sim.details";

    /// <summary>Records a detail of the current request in the request log.</summary>
    public static void LogDetail(this HttpContext context, string key, string value)
    {
        if (context.Items[DetailsKey] is Dictionary<string, string> details)
        {
            details[key] = value;
        }
    }

    /// <summary>
    /// Logs every non-admin request and applies the <see cref="FaultPlan"/>; <paramref name="writeFailure"/> renders
    /// an injected failure the way the simulated system would (a SOAP fault, a JSON error).
    /// </summary>
    public static void UseRequestLogAndFaults(this WebApplication app, Func<HttpContext, int, Task> writeFailure)
    {
        var log = app.Services.GetRequiredService<RequestLog>();
        var faults = app.Services.GetRequiredService<FaultPlan>();

        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(AdminPrefix))
            {
                await next(context);
                return;
            }

            var details = new Dictionary<string, string>();
            context.Items[DetailsKey] = details;
            var pending = log.Begin();
            var capture = log.CaptureBodies ? await BeginCaptureAsync(context, details) : null;
            try
            {
                await ServeAsync(context, next, faults, writeFailure);
            }
            finally
            {
                if (capture is not null)
                {
                    await EndCaptureAsync(context, capture, details);
                }

                log.End(pending, context.Request.Method, context.Request.Path.Value ?? "",
                    context.Request.QueryString.Value ?? "", context.Response.StatusCode, details);
            }
        });
    }

    /// <summary>Maps <c>GET/DELETE /_sim/requests</c>: read or clear the request log.</summary>
    public static void MapRequestLogEndpoints(this WebApplication app)
    {
        app.MapGet(AdminPrefix + "/requests", (RequestLog log) => Results.Ok(new { log.PeakInFlight, requests = log.Entries }));
        app.MapDelete(AdminPrefix + "/requests", (RequestLog log) =>
        {
            log.Clear();
            return Results.NoContent();
        });
    }

    private sealed record Capture(Stream Original, MemoryStream Buffer);

    private static async Task<Capture> BeginCaptureAsync(HttpContext context, Dictionary<string, string> details)
    {
        context.Request.EnableBuffering();
        using (var reader = new StreamReader(context.Request.Body, leaveOpen: true))
        {
            details["requestBody"] = await reader.ReadToEndAsync();
        }

        context.Request.Body.Position = 0;
        var capture = new Capture(context.Response.Body, new MemoryStream());
        context.Response.Body = capture.Buffer;
        return capture;
    }

    private static async Task EndCaptureAsync(HttpContext context, Capture capture, Dictionary<string, string> details)
    {
        details["responseBody"] = System.Text.Encoding.UTF8.GetString(capture.Buffer.ToArray());
        details["contentType"] = context.Response.ContentType ?? "";
        context.Response.Body = capture.Original;
        capture.Buffer.Position = 0;
        if (!context.RequestAborted.IsCancellationRequested)
        {
            await capture.Buffer.CopyToAsync(capture.Original);
        }

        await capture.Buffer.DisposeAsync();
    }

    /// <summary>
    /// Serves the call in full, then sends its headers and half its body, and ends the response there: the server closes
    /// the connection once its bytes are out, as one that fell short of its own <c>Content-Length</c> must.
    /// </summary>
    private static async Task ServeCutOffAsync(HttpContext context, RequestDelegate next)
    {
        var answer = context.Response.Body;
        using var whole = new MemoryStream();
        context.Response.Body = whole;
        await next(context);
        context.Response.Body = answer;
        context.Response.ContentLength = whole.Length;
        await answer.WriteAsync(whole.GetBuffer().AsMemory(0, (int)(whole.Length / 2)), context.RequestAborted);
    }

    private static async Task ServeAsync(
        HttpContext context, RequestDelegate next, FaultPlan faults, Func<HttpContext, int, Task> writeFailure)
    {
        if (faults.Latency > TimeSpan.Zero)
        {
            await Task.Delay(faults.Latency, context.RequestAborted);
        }

        var path = context.Request.Path.Value ?? "";
        if (faults.TakeDelay(path) is { } slow && slow > TimeSpan.Zero)
        {
            context.LogDetail("fault", $"delayed {slow.TotalMilliseconds:0} ms");
            await Task.Delay(slow, context.RequestAborted);
        }

        if (faults.TryTakeDrop(path))
        {
            context.LogDetail("fault", "dropped");
            context.Abort();
            return;
        }

        if (faults.TryTakeCutBody(path))
        {
            context.LogDetail("fault", "body cut off");
            await ServeCutOffAsync(context, next);
            return;
        }

        if (!faults.TryTakeFailure(path, out var status, out var afterProcessing))
        {
            await next(context);
            faults.Served(path);
            return;
        }

        context.LogDetail("fault", afterProcessing ? $"{status} after processing" : status.ToString());
        if (afterProcessing)
        {
            var answer = context.Response.Body;
            context.Response.Body = Stream.Null;
            await next(context);
            context.Response.Body = answer;
            context.Response.Headers.Clear();
        }

        context.Response.StatusCode = status;
        await writeFailure(context, status);
    }
}
