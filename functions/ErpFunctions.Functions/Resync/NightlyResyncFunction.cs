using ErpFunctions.Resync;
using Microsoft.Azure.Functions.Worker;

namespace ErpFunctions.Functions.Resync;

/// <summary>The bulk re-sync of every company; the runtime runs one instance at a time across a scaled-out app.</summary>
public sealed class NightlyResyncFunction(ResyncSweep sweep)
{
    [Function("NightlyResync")]
    public Task<IReadOnlyList<SweepReport>> Run([TimerTrigger("%Resync:Schedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        sweep.RunAsync(cancellationToken);
}
