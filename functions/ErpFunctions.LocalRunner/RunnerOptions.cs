using System.ComponentModel.DataAnnotations;

namespace ErpFunctions.LocalRunner;

/// <summary>The local runner's own settings (section <c>LocalRunner</c>).</summary>
public sealed class RunnerOptions
{
    public const string Section = "LocalRunner";

    /// <summary>How long a received message stays invisible before the listener renews it (at half this).</summary>
    [Range(typeof(TimeSpan), "00:00:02", "01:00:00")]
    public TimeSpan MessageLease { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The longest URL (path and query) the runner takes; a longer one is a 414 problem.</summary>
    [Range(256, 65536)]
    public int MaxUrlLength { get; set; } = 8192;
}
