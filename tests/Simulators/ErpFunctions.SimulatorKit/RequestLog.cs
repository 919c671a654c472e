using System.Collections.Concurrent;

namespace ErpFunctions.Simulators;

/// <summary>One request a simulator served (admin requests under <c>/_sim</c> excluded).</summary>
/// <param name="InFlightAtStart">Requests being served when this one arrived, itself included.</param>
/// <param name="Details">What the endpoint chose to record, e.g. the SOAP service and GUID, or the company header.</param>
public sealed record RequestLogEntry(
    long Sequence,
    string Method,
    string Path,
    string Query,
    int Status,
    DateTimeOffset StartedAt,
    DateTimeOffset CompletedAt,
    int InFlightAtStart,
    IReadOnlyDictionary<string, string> Details);

/// <summary>The simulator's record of what it was asked, so that tests assert calls made rather than time taken.</summary>
public sealed class RequestLog(TimeProvider time)
{
    private readonly ConcurrentQueue<RequestLogEntry> entries = new();
    private long sequence;
    private int inFlight;
    private int peakInFlight;

    /// <summary>Record request and response bodies in each entry's details (contract tests read them).</summary>
    public bool CaptureBodies { get; set; }

    /// <summary>Entries in arrival order.</summary>
    public IReadOnlyList<RequestLogEntry> Entries => [.. entries.OrderBy(e => e.Sequence)];

    /// <summary>The most requests ever served at once since the last <see cref="Clear"/>.</summary>
    public int PeakInFlight => Volatile.Read(ref peakInFlight);

    public void Clear()
    {
        entries.Clear();
        Interlocked.Exchange(ref peakInFlight, Volatile.Read(ref inFlight));
    }

    internal Pending Begin()
    {
        var now = Interlocked.Increment(ref inFlight);
        int peak;
        while (now > (peak = Volatile.Read(ref peakInFlight))
               && Interlocked.CompareExchange(ref peakInFlight, now, peak) != peak)
        {
        }

        return new Pending(Interlocked.Increment(ref sequence), time.GetUtcNow(), now);
    }

    internal void End(Pending pending, string method, string path, string query, int status,
        IReadOnlyDictionary<string, string> details)
    {
        Interlocked.Decrement(ref inFlight);
        entries.Enqueue(new RequestLogEntry(pending.Sequence, method, path, query, status, pending.StartedAt,
            time.GetUtcNow(), pending.InFlightAtStart, details));
    }

    internal readonly record struct Pending(long Sequence, DateTimeOffset StartedAt, int InFlightAtStart);
}
