using System.Net.Sockets;
using Azure;
using ErpFunctions.Companies;
using ErpFunctions.Procore;
using ErpFunctions.Runs;
using ErpFunctions.Spectrum;
using Polly.Timeout;

namespace ErpFunctions.Failures;

/// <summary>Whose failure it is, as far as a caller needs to know.</summary>
public enum FailureSource
{
    Procore,
    Spectrum,
    Storage,
    Network,

    /// <summary>Not a failure of anything the app talks to: a fault of its own.</summary>
    None,
}

/// <summary>What a failure means to whoever must react to it (the queue, the sweep, an HTTP answer).</summary>
/// <param name="Transient">Another attempt may not meet it: the queue retries the run.</param>
/// <param name="RateLimitedUntil">Procore's rate limit, or Spectrum's daily call budget, is spent until then.</param>
/// <param name="CallerUnauthorized">Procore refused the operator's own token.</param>
public sealed record Failure(FailureSource Source, bool Transient, DateTimeOffset? RateLimitedUntil = null, bool CallerUnauthorized = false)
{
    /// <summary>One of the systems the app depends on failed (rather than the app itself).</summary>
    public bool IsDependency => Source != FailureSource.None;
}

/// <summary>The one classification of failures, shared by the engine, the sweep and the HTTP functions.</summary>
public static class FailureKinds
{
    public static Failure Classify(Exception exception) => exception switch
    {
        ProcoreRateLimitedException limited => new(FailureSource.Procore, Transient: true, RateLimitedUntil: limited.RetryAt),
        ProcoreUnauthorizedException => new(FailureSource.Procore, Transient: false, CallerUnauthorized: true),
        SpectrumCallBudgetSpentException spent => new(FailureSource.Spectrum, Transient: true, RateLimitedUntil: spent.ResetAt),
        ProcoreServerException or ProcoreListIncompleteException => new(FailureSource.Procore, Transient: true),
        ProcoreApiException => new(FailureSource.Procore, Transient: false),
        SpectrumException spectrum => new(FailureSource.Spectrum, SpectrumResilience.IsTransient(spectrum)),
        RequestFailedException storage => new(FailureSource.Storage, storage.Status is >= 500 or 408 or 0),
        StaleRunUpdateException or LeaseLostException => new(FailureSource.Storage, Transient: true),
        HttpRequestException or TimeoutRejectedException or TimeoutException or SocketException => new(FailureSource.Network, Transient: true),
        AggregateException aggregate when aggregate.InnerExceptions.Count > 0 => Worst(aggregate.InnerExceptions.Select(Classify)),
        _ => new(FailureSource.None, Transient: false),
    };

    public static bool IsTransient(Exception exception) => Classify(exception).Transient;

    /// <summary>
    /// The failure in the app's own words, for a run's status or an HTTP answer: never the text of an upstream error
    /// (a SOAP fault string, Procore's or Azure's error body, an SDK message), which goes to the log only.
    /// </summary>
    public static string Explain(Exception exception) => exception switch
    {
        ProcoreRateLimitedException limited => $"Procore's rate limit is spent until {limited.RetryAt.UtcDateTime:HH:mm} UTC.",
        ProcoreBudgetLockedException => "Procore refused the write: the project's budget is locked.",
        ProcoreUnauthorizedException => "Procore refused the access token.",
        ProcoreBudgetViewMissingException missing => missing.ProcoreMessage,
        ProcoreListIncompleteException incomplete =>
            $"Procore's list {incomplete.Operation} held {incomplete.Read} of the {incomplete.Total} items it said it holds; nothing was decided from part of it.",
        ProcoreApiException procore => $"Procore answered {procore.StatusCode} to {procore.Operation}.",
        SpectrumFaultException fault =>
            $"Spectrum's {fault.Service} service answered with a SOAP {(fault.IsServerFault ? "server" : "client")} fault.",
        SpectrumServiceErrorException refused => $"Spectrum's {refused.Service} service refused the call with error code {refused.Code}.",
        SpectrumException own => own.Message,
        RequestFailedException { Status: 0 } => "Azure Storage could not be reached.",
        RequestFailedException storage => $"Azure Storage answered {storage.Status}.",
        StaleRunUpdateException or LeaseLostException or UnknownCompanyException => exception.Message,
        TimeoutRejectedException or TimeoutException => "A call to a remote system timed out.",
        HttpRequestException or SocketException => "A remote system could not be reached.",
        AggregateException { InnerExceptions.Count: > 0 } aggregate => string.Join(" ", aggregate.InnerExceptions.Select(Explain).Distinct()),
        _ => "An unexpected error occurred.",
    };

    /// <summary>Several failures at once are as transient as the least transient of them.</summary>
    private static Failure Worst(IEnumerable<Failure> failures)
    {
        var all = failures.ToList();
        return all.FirstOrDefault(f => !f.Transient) ?? all[0];
    }
}
