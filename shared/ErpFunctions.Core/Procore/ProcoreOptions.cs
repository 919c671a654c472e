using System.ComponentModel.DataAnnotations;

namespace ErpFunctions.Procore;

/// <summary>How to reach Procore. Bound from the <c>Procore</c> configuration section.</summary>
public sealed class ProcoreOptions
{
    public const string Section = "Procore";

    /// <summary>OAuth host: <c>https://login.procore.com</c>, <c>https://login-sandbox.procore.com</c> (developer sandbox) or <c>https://login-sandbox-monthly.procore.com</c>.</summary>
    [Required, Url]
    public string LoginBaseUrl { get; set; } = "https://login.procore.com";

    /// <summary>API host: <c>https://api.procore.com</c>, <c>https://sandbox.procore.com</c> or <c>https://api-monthly.procore.com</c>.</summary>
    [Required, Url]
    public string ApiBaseUrl { get; set; } = "https://api.procore.com";

    /// <summary>The service account's (DMSA) OAuth client id.</summary>
    [Required]
    public string ClientId { get; set; } = "";

    /// <summary>The service account's OAuth client secret (secret; a Key Vault reference in Azure).</summary>
    [Required]
    public string ClientSecret { get; set; } = "";

    /// <summary>Sent as <c>Procore-Company-Id</c> on every call.</summary>
    [Range(1, long.MaxValue)]
    public long CompanyId { get; set; }

    /// <summary>Browser link to a project's budget; <c>{projectId}</c> is replaced.</summary>
    [Required]
    public string BudgetPageUrlTemplate { get; set; } = "https://app.procore.com/{projectId}/project/budgets";

    /// <summary><c>per_page</c> of list calls: Procore recommends at most 2,000.</summary>
    [Range(1, 2000)]
    public int PageSize { get; set; } = 2000;

    /// <summary>Pages of one list read at once, once its first page has said (<c>Total</c>) how many there are.</summary>
    [Range(1, 16)]
    public int PageConcurrency { get; set; } = 4;

    /// <summary>Items per budget line items sync call; Procore accepts at most 1,000.</summary>
    [Range(1, 1000)]
    public int SyncBatchSize { get; set; } = 1000;

    /// <summary>Refresh the service token this long before it expires.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan TokenRefreshMargin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>When <c>X-Rate-Limit-Remaining</c> is at or below this, wait for the window to reset before calling.</summary>
    [Range(0, 10_000)]
    public int RateLimitFloor { get; set; } = 2;

    /// <summary>Longest wait for a rate-limit reset inside one call; beyond it the call fails as rate limited.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxRateLimitWait { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The longest a <c>Retry-After</c> (or rate-limit reset) is believed: a run waits at most this long before it asks
    /// again, however far off Procore's answer puts it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Attempts per call for 429s, and for 5xx/transport errors on calls that are safe to repeat.</summary>
    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 4;

    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>The Budget tool in a project's tool list, matched on <c>engine_name</c> or <c>title</c> (the identifier is UNCONFIRMED).</summary>
    [Required]
    public string BudgetToolName { get; set; } = "budget";

    /// <summary>The company ERP Integrations tool in <c>settings/permissions</c>, matched on <c>name</c> or <c>friendly_name</c> (UNCONFIRMED).</summary>
    [Required]
    public string ErpToolName { get; set; } = "ERP Integrations";

    /// <summary>Show an ERP request (from Procore's 2022 ERP guide; not in the public spec).</summary>
    [Required]
    public string ErpRequestPath { get; set; } = "/rest/v1.0/companies/{companyId}/erp_requests/{id}";

    /// <summary>Close out an ERP request detail with <c>status</c> and <c>messages</c>.</summary>
    [Required]
    public string ErpRequestDetailPath { get; set; } = "/rest/v1.0/companies/{companyId}/erp_request_details/{id}";

    /// <summary>The guide shows both PATCH and PUT for the close-out.</summary>
    [RegularExpression("^(PATCH|PUT)$")]
    public string ErpRequestDetailMethod { get; set; } = "PATCH";
}
