using System.ComponentModel.DataAnnotations;

namespace ErpFunctions.Spectrum;

/// <summary>Where and how to reach Spectrum Data Exchange. Bound from the <c>Spectrum</c> configuration section.</summary>
public sealed class SpectrumOptions
{
    public const string Section = "Spectrum";

    /// <summary>The Data Exchange endpoint, e.g. <c>https://myserver.com:8482</c>; services live under <c>/ws/</c>.</summary>
    [Required, Url]
    public string BaseUrl { get; set; } = "";

    /// <summary>The Data Exchange Authorization ID (secret; at most 20 characters).</summary>
    [Required, StringLength(20)]
    public string AuthorizationId { get; set; } = "";

    /// <summary>The Spectrum company whose jobs are read (at most 3 characters).</summary>
    [Required, StringLength(3)]
    public string CompanyCode { get; set; } = "";

    /// <summary>Calls in flight at once from this process; the server faults under concurrent load.</summary>
    [Range(1, 64)]
    public int MaxConcurrentCalls { get; set; } = 3;

    /// <summary>Attempts per call, the first included, for server faults, transport errors and cut responses.</summary>
    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Time allowed for one attempt; a 500-row response takes a few seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>First retry delay; later ones grow exponentially, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(400);

    /// <summary>
    /// The company's cost types. When a job exceeds the row cap, its phases are re-read one cost type at a time:
    /// these plus the ones seen in the capped response.
    /// </summary>
    public string[] KnownCostTypes { get; set; } = [];

    /// <summary>
    /// After re-reading by cost type, ask once more for every other cost type (SuperSelect <c>#A,B</c>) so that a
    /// cost type neither configured nor seen is not missed. UNCONFIRMED that every Spectrum version accepts an
    /// exclusion list; turn off only when <see cref="KnownCostTypes"/> is complete.
    /// </summary>
    public bool ProbeUnlistedCostTypes { get; set; } = true;
}
