using System.Collections.Concurrent;
using System.Diagnostics;
using ErpFunctions.Simulators;

namespace ErpFunctions.FunctionTests.Support;

/// <summary>
/// The local runner as a process of its own (the same <c>ErpFunctions.LocalRunner.dll</c> the command line starts),
/// with a scenario's settings as environment variables: a second instance beside another on the same storage and
/// queues, as Azure scales out, or one a test kills outright, as a crashed worker dies (no <c>finally</c> runs, so its
/// lease stays until it expires).
/// </summary>
public sealed class RunnerProcess : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private const int KilledBySigkill = 128 + 9;

    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private RunnerProcess(Process process, Uri address)
    {
        this.process = process;
        Client = new HttpClient { BaseAddress = address };
        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public HttpClient Client { get; }

    /// <summary>Queue messages of runs this process received (each delivery once), from its own log.</summary>
    public int RunDeliveries => output.Count(l => l.Contains("Queue message ", StringComparison.Ordinal) && l.Contains("(Run), delivery", StringComparison.Ordinal));

    /// <summary>Whether the process died of the kill signal, as the operating system reports it.</summary>
    public bool Killed => process.HasExited && process.ExitCode == KilledBySigkill;

    public static async Task<RunnerProcess> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "ErpFunctions.LocalRunner.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var address = new Uri($"http://127.0.0.1:{LoopbackPort.Free()}");
        start.Environment["Urls"] = address.ToString();
        start.Environment["Logging__LogLevel__ErpFunctions.Functions.Reimports"] = "Information";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        var runner = new RunnerProcess(Process.Start(start) ?? throw new InvalidOperationException("The local runner did not start."), address);
        await runner.WaitUntilServingAsync();
        return runner;
    }

    /// <summary>
    /// Kills the process at once (SIGKILL), as a crash or a host pulled out from under it would, unless the
    /// <c>kill</c> injector is disarmed. Safe to call from a simulator's callback: it does not wait.
    /// </summary>
    public void Kill()
    {
        if (!FaultSwitches.IsDisarmed("kill"))
        {
            process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>Waits for the process to end (a kill takes it down within moments); fails if it goes on living.</summary>
    public Task ExitedAsync() => process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));

    private void Keep(string? line)
    {
        if (line is not null)
        {
            output.Enqueue(line);
        }
    }

    private async Task WaitUntilServingAsync()
    {
        var started = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var _ = await Client.GetAsync("/api/health");
                return;
            }
            catch (HttpRequestException) when (!process.HasExited && started.Elapsed < Patience)
            {
                await Task.Delay(100);
            }
            catch (HttpRequestException e)
            {
                throw new InvalidOperationException($"The local runner process did not serve within {Patience.TotalSeconds:0} s: "
                    + string.Join(Environment.NewLine, output.TakeLast(20)), e);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
