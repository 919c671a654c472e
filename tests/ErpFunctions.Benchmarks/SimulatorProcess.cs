using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace ErpFunctions.Benchmarks;

/// <summary>
/// A simulator run as its own process, so that the benchmark's memory figures are the engine's alone; driven through
/// its admin endpoints.
/// </summary>
public sealed class SimulatorProcess : IAsyncDisposable
{
    private readonly Process process;

    private SimulatorProcess(Process process, Uri baseAddress)
    {
        this.process = process;
        BaseAddress = baseAddress;
        Admin = new HttpClient { BaseAddress = baseAddress };
    }

    public Uri BaseAddress { get; }
    public HttpClient Admin { get; }

    public static async Task<SimulatorProcess> StartAsync(string assemblyPath, string seedPath)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [assemblyPath, "--port", port.ToString(), "--seed", seedPath])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {assemblyPath}");
        // The simulator logs every request: its output is drained so that a full pipe never blocks it.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var simulator = new SimulatorProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                (await simulator.Admin.GetAsync("_sim/requests")).EnsureSuccessStatusCode();
                return simulator;
            }
            catch (HttpRequestException) when (attempt < 300 && !process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    public async Task PostAsync(string path, object body) =>
        (await Admin.PostAsJsonAsync(path, body)).EnsureSuccessStatusCode();

    public async Task PutAsync(string path, object body) =>
        (await Admin.PutAsJsonAsync(path, body)).EnsureSuccessStatusCode();

    public async Task ClearLogAsync() => (await Admin.DeleteAsync("_sim/requests")).EnsureSuccessStatusCode();

    /// <summary>The request log: (method, path) of every call served.</summary>
    public async Task<IReadOnlyList<(string Method, string Path)>> CallsAsync()
    {
        using var document = JsonDocument.Parse(await Admin.GetStringAsync("_sim/requests"));
        return [.. document.RootElement.GetProperty("requests").EnumerateArray()
            .Select(r => (r.GetProperty("method").GetString()!, r.GetProperty("path").GetString()!))];
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
