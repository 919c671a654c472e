using System.Diagnostics;

namespace ErpFunctions.FunctionTests.Support;

/// <summary>Polls what another process or a background worker changes, until it holds; a wait that runs out fails, saying what it waited for.</summary>
public static class Eventually
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    public static async Task HoldsAsync(Func<Task<bool>> condition, Func<string> waitingFor, TimeSpan patience)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > patience)
            {
                throw new TimeoutException($"Waited {patience.TotalSeconds:0} s for {waitingFor()}");
            }

            await Task.Delay(Poll);
        }
    }

    public static Task HoldsAsync(Func<bool> condition, Func<string> waitingFor, TimeSpan patience) =>
        HoldsAsync(() => Task.FromResult(condition()), waitingFor, patience);
}
