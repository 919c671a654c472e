using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ErpFunctions.Simulators.Procore;

/// <summary>
/// A stateful Procore on loopback: OAuth, the <c>/rest</c> endpoints the product uses, and admin endpoints under
/// <c>/_sim</c>. Start it in-process with <see cref="StartAsync"/> or run the project.
/// </summary>
public sealed class ProcoreSimulator : IAsyncDisposable
{
    private readonly SimulatorHost host;

    private ProcoreSimulator(SimulatorHost host) => this.host = host;

    public Uri BaseAddress => host.BaseAddress;
    public ProcoreState State => host.Services.GetRequiredService<ProcoreState>();
    public ProcoreRateLimiter RateLimits => host.Services.GetRequiredService<ProcoreRateLimiter>();
    public ProcoreQuirks Quirks => host.Services.GetRequiredService<ProcoreQuirks>();
    public FaultPlan Faults => host.Services.GetRequiredService<FaultPlan>();
    public RequestLog Log => host.Services.GetRequiredService<RequestLog>();

    /// <summary>Calls to the API and to the token endpoint, in arrival order.</summary>
    public IReadOnlyList<RequestLogEntry> ApiCalls =>
        [.. Log.Entries.Where(e => e.Path.StartsWith("/rest/", StringComparison.Ordinal) || e.Path.StartsWith("/oauth/", StringComparison.Ordinal))];

    public static async Task<ProcoreSimulator> StartAsync(ProcoreSeed? seed = null, int port = 0, bool quiet = true, TimeProvider? time = null)
    {
        var clock = time ?? TimeProvider.System;
        var source = seed ?? ProcoreSeed.LoadDefault();
        var host = await SimulatorHost.StartAsync(port, quiet, services =>
        {
            services.AddSingleton(clock);
            services.AddSingleton(new ProcoreState(source, clock));
            services.AddSingleton(_ =>
            {
                var limiter = new ProcoreRateLimiter(clock);
                limiter.Configure(source.RateLimits);
                return limiter;
            });
            services.AddSingleton<ProcoreQuirks>();
        }, Map);
        return new ProcoreSimulator(host);
    }

    public Task WaitForShutdownAsync() => host.WaitForShutdownAsync();

    public ValueTask DisposeAsync() => host.DisposeAsync();

    private static void Map(WebApplication app)
    {
        var quirks = app.Services.GetRequiredService<ProcoreQuirks>();
        app.UseRequestLogAndFaults((context, status) =>
        {
            if (status == StatusCodes.Status503ServiceUnavailable)
            {
                context.Response.Headers.RetryAfter = quirks.RetryAfterSeconds.ToString();
            }

            context.Response.ContentType = "application/json; charset=utf-8";
            return context.Response.WriteAsync(JsonSerializer.Serialize(new { errors = ReasonPhrase(status) }));
        });
        app.UseProcoreGate();
        app.MapOAuth();
        app.MapProcoreApi();
        MapAdmin(app);
    }

    private static string ReasonPhrase(int status) => status switch
    {
        503 => "Service Unavailable",
        502 => "Bad Gateway",
        _ => "Internal Server Error",
    };

    private static void MapAdmin(WebApplication app)
    {
        const string admin = SimulatorPipeline.AdminPrefix;
        app.MapRequestLogEndpoints();

        app.MapPost(admin + "/reset", (ProcoreState state, ProcoreRateLimiter limiter, ProcoreQuirks quirks, FaultPlan faults, RequestLog log) =>
        {
            state.Reset();
            limiter.Configure(state.Seed.RateLimits);
            quirks.Reset();
            faults.Reset();
            log.Clear();
            return Results.NoContent();
        });

        app.MapPost(admin + "/faults", (ProcoreFaultRequest request, ProcoreState state, ProcoreRateLimiter limiter, ProcoreQuirks quirks, FaultPlan faults, RequestLog log) =>
        {
            faults.Latency = TimeSpan.FromMilliseconds(request.LatencyMs ?? faults.Latency.TotalMilliseconds);
            if (request.FailNext is { } failures)
            {
                faults.FailNext(failures, request.FailStatus ?? 500, request.FailAfterProcessing ?? false);
            }

            if (request.DropConnections is { } drops)
            {
                faults.DropNext(drops);
            }

            if (request.CutBodies is { } cuts)
            {
                faults.CutBodyNext(cuts);
            }

            if (request.RateLimitStorm is { } storm)
            {
                limiter.Storm(storm, TimeSpan.FromSeconds(request.StormResetSeconds ?? 1));
            }

            quirks.RetryAfterSeconds = request.RetryAfterSeconds ?? quirks.RetryAfterSeconds;
            quirks.RefuseWholeSync = request.RefuseWholeSync ?? quirks.RefuseWholeSync;
            quirks.UnnamedItemErrors = request.UnnamedItemErrors ?? quirks.UnnamedItemErrors;
            quirks.AcceptDuplicateCreates = request.AcceptDuplicateCreates ?? quirks.AcceptDuplicateCreates;
            quirks.OmitPagingHeaders = request.OmitPagingHeaders ?? quirks.OmitPagingHeaders;
            quirks.MaxPerPage = request.MaxPerPage ?? quirks.MaxPerPage;
            if (request.RefuseNextSyncsWhole is { } refusals)
            {
                quirks.RefuseNextSyncsWhole(refusals);
            }

            state.BudgetSyncResponse = request.BudgetSyncResponse ?? state.BudgetSyncResponse;
            log.CaptureBodies = request.CaptureBodies ?? log.CaptureBodies;
            foreach (var (budgetCode, message) in request.RefuseBudgetCodes ?? [])
            {
                quirks.RefusedBudgetCodes[budgetCode] = message;
            }

            return Results.NoContent();
        });

        app.MapPut(admin + "/rate-limits", (SeedRateLimits limits, ProcoreRateLimiter limiter) =>
        {
            limiter.Configure(limits);
            return Results.NoContent();
        });

        app.MapGet(admin + "/state", (ProcoreState state) => state.Read(s =>
        {
            var ix = new ProcoreIndex(s);
            return Results.Ok(new
            {
                s.TokensIssued,
                Projects = s.Projects.Select(p => new
                {
                    p.Id,
                    p.Name,
                    p.OriginId,
                    p.BudgetLocked,
                    Tools = p.Tools.Select(t => new { t.EngineName, t.IsActive }),
                    CostCodes = s.CostCodes.Count(c => c.ProjectId == p.Id),
                    BudgetCodes = s.WbsCodes.Count(w => w.ProjectId == p.Id),
                    BudgetTotal = s.BudgetLines.Where(l => l.ProjectId == p.Id).Sum(l => l.Amount),
                    BudgetLines = s.BudgetLines.Where(l => l.ProjectId == p.Id)
                        .Select(l => new { l.Id, BudgetCode = ix.FlatCode(ix.Wbs[l.WbsCodeId]), l.Amount })
                        .OrderBy(l => l.BudgetCode, StringComparer.Ordinal),
                }),
                ErpRequestDetails = s.ErpRequestDetails,
            });
        }));

        app.MapPut(admin + "/projects/{id:long}/budget-lock", (long id, LockEdit edit, ProcoreState state) =>
            state.Write(s =>
            {
                var project = s.Projects.FirstOrDefault(p => p.Id == id);
                if (project is null)
                {
                    return Results.NotFound();
                }

                project.BudgetLocked = edit.Locked;
                return Results.NoContent();
            }));

        app.MapPut(admin + "/projects/{id:long}/tools/{engineName}", (long id, string engineName, ToolEdit edit, ProcoreState state) =>
            state.Write(s =>
            {
                var tool = s.Projects.FirstOrDefault(p => p.Id == id)?.Tools.FirstOrDefault(t => t.EngineName == engineName);
                if (tool is null)
                {
                    return Results.NotFound();
                }

                tool.IsActive = edit.IsActive;
                return Results.NoContent();
            }));

        app.MapPost(admin + "/erp-requests", (ErpRequestEdit edit, ProcoreState state) => state.Write(s =>
        {
            var request = s.AddErpRequest(edit.CompanyId ?? s.Companies.Keys.First(), edit.RequestName, edit.RequestData);
            return Results.Ok(new { request.Id, request.RequestDetailId });
        }));
    }
}

/// <summary>Body of <c>POST /_sim/faults</c>; every field optional.</summary>
public sealed record ProcoreFaultRequest(
    double? LatencyMs,
    int? FailNext,
    int? FailStatus,
    bool? FailAfterProcessing,
    int? DropConnections,
    int? CutBodies,
    int? RateLimitStorm,
    int? StormResetSeconds,
    int? RetryAfterSeconds,
    BudgetSyncShape? BudgetSyncResponse,
    bool? CaptureBodies,
    Dictionary<string, string>? RefuseBudgetCodes,
    bool? RefuseWholeSync,
    bool? UnnamedItemErrors,
    bool? AcceptDuplicateCreates,
    bool? OmitPagingHeaders,
    int? MaxPerPage = null,
    int? RefuseNextSyncsWhole = null);

public sealed record LockEdit(bool Locked);

public sealed record ToolEdit(bool IsActive);

public sealed record ErpRequestEdit(long? CompanyId, string RequestName, JsonElement? RequestData);
