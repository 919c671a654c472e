using System.Net;

namespace ErpFunctions.Procore;

/// <summary>A call Procore refused or could not answer; <see cref="ProcoreMessage"/> is Procore's own wording.</summary>
public class ProcoreApiException(int statusCode, string operation, string procoreMessage)
    : Exception($"Procore answered {statusCode} to {operation}: {procoreMessage}")
{
    public int StatusCode { get; } = statusCode;
    public string Operation { get; } = operation;
    public string ProcoreMessage { get; } = procoreMessage;

    public bool IsNotFound => StatusCode == (int)HttpStatusCode.NotFound;

    internal static ProcoreApiException From(int statusCode, string operation, string message) =>
        message.Contains("locked budget", StringComparison.OrdinalIgnoreCase)
            ? new ProcoreBudgetLockedException(statusCode, operation, message)
            : new ProcoreApiException(statusCode, operation, message);
}

/// <summary>Procore refused a budget write because the project's budget is locked.</summary>
public sealed class ProcoreBudgetLockedException(int statusCode, string operation, string procoreMessage)
    : ProcoreApiException(statusCode, operation, procoreMessage);

/// <summary>The project has no budget view to read the budget from (or none of the configured name): said in the app's words.</summary>
public sealed class ProcoreBudgetViewMissingException(string reason)
    : ProcoreApiException(404, "GET /rest/v1.0/budget_views", reason);

/// <summary>A 5xx: worth repeating only for calls that are safe to repeat; <see cref="RetryAfter"/> from the answer.</summary>
public sealed class ProcoreServerException(int statusCode, string operation, string procoreMessage, TimeSpan? retryAfter)
    : ProcoreApiException(statusCode, operation, procoreMessage)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>Procore's hourly or 10-second limit is spent until <see cref="RetryAt"/>.</summary>
public sealed class ProcoreRateLimitedException(string operation, DateTimeOffset retryAt)
    : ProcoreApiException(429, operation, $"rate limit reached; it resets at {retryAt:O}")
{
    public DateTimeOffset RetryAt { get; } = retryAt;
}

/// <summary>The bearer token was refused (expired, revoked, or not a Procore token).</summary>
public sealed class ProcoreUnauthorizedException(string operation, string procoreMessage)
    : ProcoreApiException(401, operation, procoreMessage);

/// <summary>The cached service token was refused; a new one is fetched and the call repeated once more.</summary>
internal sealed class ProcoreServiceTokenRefusedException(string operation, string message)
    : ProcoreApiException(401, operation, message);

/// <summary>
/// A list whose pages, read again and again, held fewer items than its own <c>Total</c>: nothing is decided from part of
/// it. Another read later may be whole.
/// </summary>
public sealed class ProcoreListIncompleteException(string operation, int read, int total, int attempts)
    : ProcoreApiException(200, operation, $"its pages held {read} of the {total} items it said it holds, in each of {attempts} reads")
{
    public int Read { get; } = read;
    public int Total { get; } = total;
}

/// <summary>A list whose pages went on past any length the product reads (a server that ignores <c>page</c> but varies its answer).</summary>
public sealed class ProcoreListEndlessException(string operation, int pages, int read)
    : ProcoreApiException(200, operation, $"it still had pages after {pages} ({read} items); the list is not read any further");
