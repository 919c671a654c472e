using System.Text.Json;
using ErpFunctions.Domain.Companies;
using ErpFunctions.Domain.Jobs;
using ErpFunctions.Domain.Runs;
using ErpFunctions.Operators;

namespace ErpFunctions.Requests;

/// <summary>
/// An operator's request to re-import a job: it must confirm (<c>{"confirm": true}</c>, as Procore's "Please Confirm"
/// box asks), may carry an idempotency key, and is checked against the prerequisites before it is queued.
/// </summary>
public sealed class OperatorReimports(ReimportRequests requests)
{
    public const int MaxIdempotencyKeyLength = 200;

    public async Task<ReimportRequestOutcome> RequestAsync(Company company, JobNumber job, JsonElement body, string? idempotencyKey,
        Operator caller, string correlationId, CancellationToken cancellationToken)
    {
        if (Refusal(body, idempotencyKey) is { } invalid)
        {
            return invalid;
        }

        return await requests.RequestAsync(new ReimportRequest(company, job, RunTrigger.Operator, caller.DisplayName, correlationId,
            caller.Access, string.IsNullOrEmpty(idempotencyKey) ? null : idempotencyKey), cancellationToken);
    }

    private static ReimportRequestOutcome.Invalid? Refusal(JsonElement body, string? idempotencyKey)
    {
        if (!body.TryGetProperty("confirm", out var confirm))
        {
            return new("confirm", "Send {\"confirm\": true} to confirm the re-import.");
        }

        if (confirm.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return new("confirm", $"confirm must be a boolean, not a {confirm.ValueKind.ToString().ToLowerInvariant()}.");
        }

        if (confirm.ValueKind == JsonValueKind.False)
        {
            return new("confirm", "confirm is false: nothing was re-imported.");
        }

        return idempotencyKey is { Length: > 0 } key && (key.Length > MaxIdempotencyKeyLength || key.Any(c => c is < '!' or > '~'))
            ? new("Idempotency-Key", $"The Idempotency-Key header holds 1 to {MaxIdempotencyKeyLength} printable ASCII characters, no spaces.")
            : null;
    }
}
