using System.ComponentModel.DataAnnotations;

namespace ErpFunctions.Resync;

/// <summary>The nightly bulk re-sync. Bound from the <c>Resync</c> section.</summary>
public sealed class ResyncOptions
{
    public const string Section = "Resync";

    /// <summary>NCRONTAB with seconds, as the timer trigger reads it from <c>%Resync:Schedule%</c>; nightly at 02:00 UTC.</summary>
    [Required]
    public string Schedule { get; set; } = "0 0 2 * * *";

    /// <summary>Share of Procore's hourly limit one tick may spend, so that operators' re-imports are never starved.</summary>
    [Range(0.01, 1.0)]
    public double ShareOfHourlyLimit { get; set; } = 0.5;

    /// <summary>
    /// Share of Spectrum's daily call budget (<c>Spectrum:DailyCallBudget</c>, per service) the sweep may spend in a day;
    /// the rest is kept for operators. When it is spent the sweep pauses and the next tick resumes where it stopped.
    /// </summary>
    [Range(0.01, 1.0)]
    public double ShareOfDailySpectrumBudget { get; set; } = 0.5;

    /// <summary>Procore's hourly limit for the app and company (Procore does not publish one number; 3,600 is the usual DMSA figure).</summary>
    [Range(1, 1_000_000)]
    public int HourlyCallLimit { get; set; } = 3600;

    /// <summary>
    /// How long one tick may check jobs before it stops and leaves the rest to the next tick: less than the host's
    /// <c>functionTimeout</c> (10 minutes), so that a tick ends cleanly rather than being cut off.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:59:00")]
    public TimeSpan MaxTickDuration { get; set; } = TimeSpan.FromMinutes(8);

    /// <summary>Queue every linked, imported job, not only those whose totals drifted.</summary>
    public bool ReimportAll { get; set; }

    /// <summary>Also import linked jobs never imported yet (otherwise they wait for an operator's first import).</summary>
    public bool IncludeNeverImported { get; set; }
}
