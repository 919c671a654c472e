using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ErpFunctions.Simulators;

namespace ErpFunctions.FunctionTests.Support;

public enum AzuriteService
{
    Blob,
    Queue,
    Table,
}

/// <summary>
/// An Azurite of a test's own (the pinned one from <c>tests/node_modules</c>), each service its own process persisting
/// to a temporary folder on fixed ports, so that a test can stop a service and start it again with its data, as a
/// storage outage would, without touching the Azurite every other test shares.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly string package;
    private readonly string location = Directory.CreateTempSubdirectory("azurite-").FullName;
    private readonly Dictionary<AzuriteService, int> ports = Enum.GetValues<AzuriteService>().ToDictionary(s => s, _ => LoopbackPort.Free());
    private readonly Dictionary<AzuriteService, Process> running = [];

    private readonly (string Certificate, string Key)? https;

    private AzuriteProcess(string package, (string Certificate, string Key)? https = null)
    {
        this.package = package;
        this.https = https;
    }

    /// <summary>A service's endpoint, as identity-based settings name it (<c>AzureWebJobsStorage__blobServiceUri</c> and the like).</summary>
    public Uri ServiceUri(AzuriteService service) =>
        new($"{(https is null ? "http" : "https")}://127.0.0.1:{ports[service]}/devstoreaccount1");

    public string ConnectionString =>
        $"DefaultEndpointsProtocol={(https is null ? "http" : "https")};AccountName=devstoreaccount1;AccountKey={Key};"
        + $"BlobEndpoint={ServiceUri(AzuriteService.Blob)};QueueEndpoint={ServiceUri(AzuriteService.Queue)};"
        + $"TableEndpoint={ServiceUri(AzuriteService.Table)};";

    public static async Task<AzuriteProcess> StartAsync()
    {
        var azurite = new AzuriteProcess(FindPackage());
        await azurite.StartAsync(Enum.GetValues<AzuriteService>());
        return azurite;
    }

    /// <summary>
    /// An Azurite that takes OAuth bearer tokens (<c>--oauth basic</c>: issuer, audience and expiry are checked, the
    /// signature is not) besides the account key; OAuth needs HTTPS, served with <paramref name="certificatePem"/>.
    /// </summary>
    public static async Task<AzuriteProcess> StartWithOAuthAsync(string certificatePem, string keyPem)
    {
        var azurite = new AzuriteProcess(FindPackage(), (certificatePem, keyPem));
        await azurite.StartAsync(Enum.GetValues<AzuriteService>());
        return azurite;
    }

    public async Task StartAsync(params AzuriteService[] services)
    {
        foreach (var service in services)
        {
            var name = service.ToString().ToLowerInvariant();
            var start = new ProcessStartInfo("node")
            {
                ArgumentList =
                {
                    Path.Combine(package, "dist", "src", name, "main.js"),
                    $"--{name}Host", "127.0.0.1", $"--{name}Port", ports[service].ToString(),
                    "--location", location, "--skipApiVersionCheck", "--disableTelemetry", "--loose",
                },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            if (https is { } tls)
            {
                foreach (var argument in new[] { "--cert", tls.Certificate, "--key", tls.Key, "--oauth", "basic" })
                {
                    start.ArgumentList.Add(argument);
                }
            }

            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            running[service] = process;
            await WaitUntilListeningAsync(service, process);
        }
    }

    /// <summary>Stops services as an outage would (their data stays on disk for the next start).</summary>
    public async Task StopAsync(params AzuriteService[] services)
    {
        foreach (var service in services)
        {
            if (running.Remove(service, out var process))
            {
                // SIGINT: the one signal every Azurite service shuts down cleanly on, saving its data.
                using var terminate = Process.Start("kill", ["-INT", process.Id.ToString()]);
                await terminate.WaitForExitAsync();
                await process.WaitForExitAsync().WaitAsync(Patience);
                process.Dispose();
            }
        }
    }

    /// <summary>Outages a scenario caused through <see cref="OutageAsync"/>, as this Azurite's processes recorded them.</summary>
    public int Outages { get; private set; }

    /// <summary>A fault scenario's outage: the services stop (unless the injector is disarmed), counted once they exited.</summary>
    public async Task OutageAsync(params AzuriteService[] services)
    {
        if (FaultSwitches.IsDisarmed("storage-stop"))
        {
            return;
        }

        var stopping = services.Count(running.ContainsKey);
        // StopAsync returns only once every process it signalled has exited.
        await StopAsync(services);
        if (stopping > 0)
        {
            Outages++;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(Enum.GetValues<AzuriteService>());
        Directory.Delete(location, recursive: true);
    }

    private async Task WaitUntilListeningAsync(AzuriteService service, Process process)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, ports[service]);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    private static string FindPackage()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "node_modules", "azurite");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("The pinned Azurite is not installed: run 'npm ci --prefix tests' (tests/run-tests.sh does).");
    }
}
