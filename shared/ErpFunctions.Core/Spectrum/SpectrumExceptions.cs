namespace ErpFunctions.Spectrum;

/// <summary>Base of every failure reading from Spectrum Data Exchange.</summary>
public abstract class SpectrumException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>True when the same call may succeed if sent again.</summary>
    public abstract bool IsRetryable { get; }
}

/// <summary>
/// A SOAP fault. <c>SOAP-ENV:Client</c> faults (unknown service, malformed request) will fail again;
/// <c>SOAP-ENV:Server</c> faults ("Error executing Web Service" under load) are worth retrying.
/// </summary>
public sealed class SpectrumFaultException(string service, string faultCode, string faultString)
    : SpectrumException($"Spectrum {service} answered with SOAP fault {faultCode}: {faultString}")
{
    public string Service { get; } = service;
    public string FaultCode { get; } = faultCode;
    public string FaultString { get; } = faultString;
    public bool IsServerFault { get; } = faultCode.EndsWith("Server", StringComparison.OrdinalIgnoreCase);
    public override bool IsRetryable => IsServerFault;
}

/// <summary>An in-band business or authorization error: a row whose <c>Error_Code</c> is neither blank nor <c>W</c>.</summary>
public sealed class SpectrumServiceErrorException(string service, string code, string description, string column)
    : SpectrumException(
        $"Spectrum {service} returned error {code}: {description}" + (column.Length > 0 ? $" (column {column})" : ""))
{
    public string Service { get; } = service;
    public string Code { get; } = code;
    public string Description { get; } = description;
    public string Column { get; } = column;
    public override bool IsRetryable => false;
}

/// <summary>
/// A row list could not be read completely: its answers kept arriving cut short, asked again and split as far as Data
/// Exchange allows. Nothing is planned on part of a job's rows, so the run fails with this and writes nothing.
/// </summary>
public sealed class SpectrumResponseIncompleteException(string detail)
    : SpectrumException($"{Code}: {detail}")
{
    public const string Code = "SpectrumResponseIncomplete";

    public override bool IsRetryable => false;
}

/// <summary>
/// An answer holding markup that is no field: a row could have lost a field on the way. Sent again, it usually comes
/// back whole; if it keeps coming back so, the job is not planned.
/// </summary>
public sealed class SpectrumResponseGarbledException(string service, string detail)
    : SpectrumException($"Spectrum {service} answered with {detail}; the answer was not read")
{
    public override bool IsRetryable => true;
}

/// <summary>The server answered with an HTTP error and no SOAP fault (e.g. a proxy's 502 page).</summary>
public sealed class SpectrumHttpException(string service, int statusCode)
    : SpectrumException($"Spectrum {service} answered HTTP {statusCode} without a SOAP fault.")
{
    public int StatusCode { get; } = statusCode;
    public override bool IsRetryable => StatusCode >= 500 || StatusCode == 408 || StatusCode == 429;
}

/// <summary>A partition of a job's phases still exceeds Spectrum's row cap, so the job cannot be read completely.</summary>
public sealed class SpectrumRowCapException(string message) : SpectrumException(message)
{
    public override bool IsRetryable => false;
}

/// <summary>A value that cannot be read as the number or date its column holds.</summary>
public sealed class SpectrumFormatException(string column, string value, string expected)
    : SpectrumException($"Spectrum column {column} holds '{value}', which is not {expected}.")
{
    public string Column { get; } = column;
    public string Value { get; } = value;
    public override bool IsRetryable => false;
}

/// <summary>
/// The day's Data Exchange calls for a service are spent (<c>Spectrum:DailyCallBudget</c>, or the sweep's share of it):
/// nothing is sent until <see cref="ResetAt"/>, midnight UTC.
/// </summary>
public sealed class SpectrumCallBudgetSpentException(string service, int budget, DateTimeOffset resetAt, bool sweepShare)
    : SpectrumException(sweepShare
        ? $"The nightly re-sync's share of today's {budget} Spectrum {service} calls is spent; it goes on after {resetAt.UtcDateTime:HH:mm} UTC."
        : $"Today's {budget} Spectrum {service} calls are spent; calls go on after {resetAt.UtcDateTime:HH:mm} UTC.")
{
    public string Service { get; } = service;
    public DateTimeOffset ResetAt { get; } = resetAt;
    public override bool IsRetryable => false;
}
