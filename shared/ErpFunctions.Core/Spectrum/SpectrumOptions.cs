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
    /// A job over the row cap is read page by page in cost type order (<c>pSort_By=C</c>), each next page asked for with
    /// a SuperSelect range that starts at the last cost type seen (<c>L13/~~~</c>). Such filters are longer than the 3
    /// characters <c>pCost_Type</c> declares; it is UNCONFIRMED that every server accepts them. When off, or once a server
    /// refuses one with a fault, only filters of at most 3 characters are sent (<c>M/~</c>, <c>S*</c>, <c>S??</c>), which
    /// cannot narrow every job: such a job fails with a clear row-cap error rather than be read in part.
    /// </summary>
    public bool LongFilters { get; set; } = true;

    /// <summary>
    /// The longest SuperSelect value sent, e.g. a list of job numbers read in one call by the sweep. That a server takes
    /// values this long is UNCONFIRMED (see <see cref="LongFilters"/>); a list that would be longer is split.
    /// </summary>
    [Range(10, 100_000)]
    public int MaxFilterLength { get; set; } = 2000;

    /// <summary>
    /// Data Exchange calls per service and UTC day, shared by operators' runs and the sweep (0: not counted). One
    /// integrator documents 500 reads a day per service; UNCONFIRMED, so set it to what the company's agreement says.
    /// </summary>
    [Range(0, 10_000_000)]
    public int DailyCallBudget { get; set; } = 500;
}
