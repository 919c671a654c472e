using ErpFunctions.Spectrum;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ErpFunctions.Simulators.Spectrum;

/// <summary>
/// A Spectrum Data Exchange server on loopback: <c>/ws/&lt;Service&gt;</c> (SOAP), <c>/wsdls/&lt;Service&gt;.jws</c>, and
/// admin endpoints under <c>/_sim</c>. Start it in-process with <see cref="StartAsync"/> or run the project.
/// </summary>
public sealed class SpectrumSimulator : IAsyncDisposable
{
    private readonly SimulatorHost host;

    private SpectrumSimulator(SimulatorHost host) => this.host = host;

    public Uri BaseAddress => host.BaseAddress;
    public SpectrumData Data => host.Services.GetRequiredService<SpectrumData>();
    public SpectrumQuirks Quirks => host.Services.GetRequiredService<SpectrumQuirks>();
    public FaultPlan Faults => host.Services.GetRequiredService<FaultPlan>();
    public RequestLog Log => host.Services.GetRequiredService<RequestLog>();
    public string AuthorizationId => Data.AuthorizationId;
    public string CompanyCode => Data.DefaultCompany;

    /// <summary>The calls made to <c>/ws/</c> services, in arrival order.</summary>
    public IReadOnlyList<RequestLogEntry> ServiceCalls =>
        [.. Log.Entries.Where(e => e.Path.StartsWith("/ws/", StringComparison.Ordinal))];

    public static async Task<SpectrumSimulator> StartAsync(SpectrumSeed? seed = null, int port = 0, bool quiet = true)
    {
        var data = new SpectrumData(seed ?? SpectrumSeed.LoadDefault());
        var host = await SimulatorHost.StartAsync(port, quiet,
            services => services.AddSingleton(data).AddSingleton<SpectrumQuirks>().AddSingleton<SdeServer>(),
            Map);
        return new SpectrumSimulator(host);
    }

    public Task WaitForShutdownAsync() => host.WaitForShutdownAsync();

    public ValueTask DisposeAsync() => host.DisposeAsync();

    private static void Map(WebApplication app)
    {
        app.UseRequestLogAndFaults((context, _) => SdeServer.WriteServerFaultAsync(context));

        app.MapPost("/ws/{service}", (HttpContext context, string service, SdeServer server) =>
            server.HandleAsync(context, service));

        app.MapGet("/wsdls/{file}", (HttpContext context, string file) =>
        {
            var service = file.EndsWith(".jws", StringComparison.OrdinalIgnoreCase) ? SpectrumService.Find(file[..^4]) : null;
            if (service is null)
            {
                return Results.NotFound();
            }

            var endpoint = $"{context.Request.Scheme}://{context.Request.Host}/ws/{service.Name}";
            return Results.Text(SdeWriter.Wsdl(service, endpoint), "text/xml");
        });

        MapAdmin(app);
    }

    private static void MapAdmin(WebApplication app)
    {
        const string admin = SimulatorPipeline.AdminPrefix;
        app.MapRequestLogEndpoints();

        app.MapPost(admin + "/reset", (SpectrumData data, SpectrumQuirks quirks, FaultPlan faults, RequestLog log) =>
        {
            data.Reset();
            quirks.Reset();
            faults.Reset();
            log.Clear();
            return Results.NoContent();
        });

        app.MapPost(admin + "/faults", (SpectrumFaultRequest request, SpectrumQuirks quirks, FaultPlan faults) =>
        {
            faults.Latency = TimeSpan.FromMilliseconds(request.LatencyMs ?? faults.Latency.TotalMilliseconds);
            if (request.ServerFaults is { } serverFaults)
            {
                faults.FailNext(serverFaults);
            }

            if (request.DropConnections is { } drops)
            {
                faults.DropNext(drops);
            }

            if (request.CutBodies is { } cuts)
            {
                faults.CutBodyNext(cuts);
            }

            if (request.ClientFaults is { } clientFaults)
            {
                quirks.ClientFaultNext(clientFaults);
            }

            if (request.Truncate is { } truncate)
            {
                quirks.TruncateNext(truncate, request.TruncateMode ?? TruncationMode.AtWrapper);
            }

            quirks.PadValues = request.PadValues ?? quirks.PadValues;
            quirks.EnforceDeclaredLengths = request.EnforceDeclaredLengths ?? quirks.EnforceDeclaredLengths;
            quirks.EstimateElementName = request.EstimateElementName ?? quirks.EstimateElementName;
            return Results.NoContent();
        });

        app.MapGet(admin + "/jobs", (SpectrumData data) => Results.Ok(data.Jobs.Select(job => new
        {
            job.Company,
            job.Number,
            job.Description,
            job.Status,
            job.Udfs,
            Lines = data.Lines.Count(l => l.Company == job.Company && l.Job == job.Number),
            EstimateTotal = data.Lines.Where(l => l.Company == job.Company && l.Job == job.Number).Sum(l => l.Estimate),
        })));

        app.MapPut(admin + "/estimates", (EstimateEdit edit, SpectrumData data) =>
        {
            data.SetEstimate(edit.Company ?? data.DefaultCompany, edit.Job, edit.Phase, edit.CostType, edit.Estimate, edit.Jtd);
            return Results.NoContent();
        });

        app.MapPut(admin + "/udfs", (UdfEdit edit, SpectrumData data) =>
        {
            data.SetUdf(edit.Company ?? data.DefaultCompany, edit.Job, edit.Number, edit.Value);
            return Results.NoContent();
        });
    }
}

/// <summary>Body of <c>POST /_sim/faults</c>; every field optional.</summary>
public sealed record SpectrumFaultRequest(
    double? LatencyMs,
    int? ServerFaults,
    int? ClientFaults,
    int? DropConnections,
    int? CutBodies,
    int? Truncate,
    TruncationMode? TruncateMode,
    bool? PadValues,
    string? EstimateElementName,
    bool? EnforceDeclaredLengths);

public sealed record EstimateEdit(string? Company, string Job, string Phase, string CostType, decimal Estimate, decimal? Jtd);

public sealed record UdfEdit(string? Company, string Job, int Number, string Value);
