using System.ComponentModel.DataAnnotations;

namespace ErpFunctions.Webhooks;

/// <summary>Procore webhook deliveries. Bound from the <c>Webhooks</c> section.</summary>
public sealed class WebhookOptions : IValidatableObject
{
    public const string Section = "Webhooks";

    /// <summary>
    /// The exact <c>Authorization</c> header value configured on the hook (<c>destination_headers</c>), e.g.
    /// <c>Bearer &lt;random secret&gt;</c> (secret; a Key Vault reference in Azure). Unset: every delivery is refused.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>A previous secret still accepted while the hook is being rotated to <see cref="Secret"/>.</summary>
    public string? PreviousSecret { get; set; }

    /// <summary>ERP request names that ask for a budget re-import (UNCONFIRMED names; Procore's 2022 guide lists <c>create_budget_in_procore</c>).</summary>
    public string[]? ReimportRequestNames { get; set; }

    /// <summary>Other <c>resource/event</c> pairs that re-import the event's project, e.g. <c>Projects/update</c>.</summary>
    public string[] ReimportTriggers { get; set; } = [];

    /// <summary>Procore user ids whose own changes never trigger a re-import (the service account: loop prevention).</summary>
    public long[] IgnoreUserIds { get; set; } = [];

    /// <summary>Procore app ids (a delivery's <c>metadata.source_application_id</c>) whose changes never trigger a re-import: this app's own.</summary>
    public long[] IgnoreApplicationIds { get; set; } = [];

    /// <summary>
    /// The secrets a delivery may carry. A value still reading <c>@Microsoft.KeyVault(…)</c> is a Key Vault reference App
    /// Service could not resolve (it then passes the reference's text on): it is no secret, and never accepted.
    /// </summary>
    public IReadOnlyList<string> AcceptedSecrets => [.. new[] { Secret, PreviousSecret }.Where(s => !string.IsNullOrEmpty(s) && !IsUnresolvedReference(s)).Select(s => s!)];

    public static bool IsUnresolvedReference(string? value) => value?.TrimStart().StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase) == true;

    public IReadOnlyList<string> RequestNames =>
        ReimportRequestNames is { Length: > 0 } names ? names : ["create_budget_in_procore", "import_budget", "reimport_budget"];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var trigger in ReimportTriggers.Where(t => t.Split('/') is not [{ Length: > 0 }, { Length: > 0 }]))
        {
            yield return new ValidationResult(
                $"Webhooks:ReimportTriggers holds '{trigger}'; each entry is a resource/event pair such as Projects/update.",
                [nameof(ReimportTriggers)]);
        }

        if (ReimportRequestNames?.Any(string.IsNullOrWhiteSpace) == true)
        {
            yield return new ValidationResult("Webhooks:ReimportRequestNames holds an empty name.", [nameof(ReimportRequestNames)]);
        }
    }
}
